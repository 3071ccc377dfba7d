#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# What goinstr adds to a service per unary gRPC call and per HTTP/2 request, under the runtime
# agent and compiled in (`goinstr go build`), side by side in one run, at a fixed rate:
#   grpc  tests/testapps/grpcapp (grpc v1.85), unary Say("ok") calls over one connection
#   h2    tests/testapps/h2app -mode tls, GET /hello/{id} over HTTP/2 with TLS, one connection
#   h1    the same over plain HTTP/1.1 (keep-alive connections), for comparison
# Each scenario runs two copies of its binary (uprobes attach per inode, so the plain copy never
# hits a probe): plain, and under `goinstr run --output FILE`; and a woven build writing the same
# OTLP-JSON lines (export.output in a GOINSTR_CONFIG file, metrics off as the agent's --output). Every round loads each variant in
# turn (the order flips every round) with the app's own load mode (an open model: one call due
# every 1/RATE s), after WARMUP_SECS, and charges the service the CPU it used during the loaded
# SECS: the sum of sum_exec_runtime over its threads (/proc/PID/task/*/schedstat, ns); goinstr's
# own CPU is charged the same way. At the end the spans in each FILE are counted against the calls.
#
# Settings (environment): RATE=3000 SECS=10 ROUNDS=5 WARMUP_SECS=2 SCENARIOS="grpc h2"
#   VARIANTS="plain agent woven"
#   BENCH_DIR=/tmp/goinstr-bench-streams GOINSTR=build/goinstr
#   PIN=1 (0: no pinning; 1: the service on CPU 1, goinstr and the load generator on CPU 0, so
#   that neither disturbs the service's scheduling)
#   SATURATE=0 (1: saturated instead: RATE defaults to 100000, calls the service cannot take with
#   512 open are skipped, not failures; CPU is per answered call, and the answered calls per
#   second, the throughput, are reported too)
# Needs root (uprobes) and Go 1.26 (the apps build from the module proxy).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
SATURATE=${SATURATE:-0}
if ((SATURATE)); then RATE=${RATE:-100000}; else RATE=${RATE:-3000}; fi
late_ok=()
((SATURATE)) && late_ok=(-late-ok)
SECS=${SECS:-10}
ROUNDS=${ROUNDS:-5}
WARMUP_SECS=${WARMUP_SECS:-2}
SCENARIOS=${SCENARIOS:-grpc h2}
VARIANTS=${VARIANTS:-plain agent woven}
PIN=${PIN:-1}
BENCH_DIR=${BENCH_DIR:-/tmp/goinstr-bench-streams}
GOINSTR=${GOINSTR:-$repo/build/goinstr}
export PATH=/usr/local/go/bin:$PATH

die() {
  echo "bench-streams: $*" >&2
  exit 1
}
((EUID == 0)) || die "needs root (uprobes)"
[[ -x $GOINSTR ]] || die "no $GOINSTR (scripts/build.sh)"
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

mkdir -p "$BENCH_DIR"
for app in grpcapp h2app; do
  (cd "$repo/tests/testapps/$app" && go build -o "$BENCH_DIR/$app" .) || die "go build $app failed"
  for copy in plain inst; do cp "$BENCH_DIR/$app" "$BENCH_DIR/$app-$copy"; done
  if [[ " $VARIANTS " == *" woven "* ]]; then
    (cd "$repo/tests/testapps/$app" && "$GOINSTR" go build -o "$BENCH_DIR/$app-woven" .) ||
      die "goinstr go build $app failed"
  fi
done

# CPU time (ns) of every thread of a process so far.
cpu_ns() {
  local sum=0 t v
  for t in /proc/"$1"/task/*/schedstat; do
    read -r v _ <"$t" 2>/dev/null || continue
    sum=$((sum + v))
  done
  echo "$sum"
}

# Waits for "listening on ADDR" in a log and prints ADDR.
listen_addr() {
  local log=$1 deadline=$((SECONDS + 30)) line
  while ((SECONDS < deadline)); do
    line=$(grep -m1 -o 'listening on [0-9.:]*' "$log" 2>/dev/null || true)
    if [[ -n $line ]]; then
      echo "${line#listening on }"
      return 0
    fi
    sleep 0.05
  done
  die "no 'listening on' in $log"
}

# One measured run: scenario, variant (plain|agent|woven), round. Prints "us_service us_agent calls spans".
run_one() {
  local scen=$1 variant=$2 round=$3 app args load_args log="$BENCH_DIR/$1-$2-$3.log"
  local spans_file="$BENCH_DIR/$1-$3.jsonl" svc agent=""
  case $scen in
    grpc) app=grpcapp args=(-addr 127.0.0.1:0) ;;
    h2) app=h2app args=(-mode tls -addr 127.0.0.1:0) ;;
    h1) app=h2app args=(-mode h1 -addr 127.0.0.1:0) ;;
  esac
  if [[ $variant == plain ]]; then
    "$BENCH_DIR/$app-plain" "${args[@]}" >"$log" 2>&1 &
    svc=$!
    pids+=("$svc")
  elif [[ $variant == woven ]]; then
    rm -f "$spans_file"
    printf 'export:\n  output: %s\n' "$spans_file" >"$BENCH_DIR/woven.yaml"
    GOINSTR_CONFIG="$BENCH_DIR/woven.yaml" OTEL_METRICS_EXPORTER=none \
      "$BENCH_DIR/$app-woven" "${args[@]}" >"$log" 2>&1 &
    svc=$!
    pids+=("$svc")
  else
    rm -f "$spans_file"
    "$GOINSTR" run --output "$spans_file" -- "$BENCH_DIR/$app-inst" "${args[@]}" >"$log" 2>&1 &
    agent=$!
    pids+=("$agent")
  fi
  local addr
  addr=$(listen_addr "$log")
  [[ -z $agent ]] || svc=$(pgrep -P "$agent" -f "$app-inst" | head -1)
  local load=()
  if ((PIN)); then
    taskset -a -p -c 1 "$svc" >/dev/null
    [[ -z $agent ]] || taskset -a -p -c 0 "$agent" >/dev/null
    load=(taskset -c 0)
  fi
  case $scen in
    grpc) load_args=(-load "$addr") ;;
    h2) load_args=(-load "https://$addr/hello/1" -proto h2) ;;
    h1) load_args=(-load "http://$addr/hello/1" -proto h1) ;;
  esac
  local warm
  warm=$("${load[@]}" "$BENCH_DIR/$app" "${load_args[@]}" "${late_ok[@]}" -rate "$RATE" \
    -duration "${WARMUP_SECS}s") || die "$scen $variant warm-up load failed: $warm"
  local s0 a0=0 s1 a1=0 out
  s0=$(cpu_ns "$svc")
  [[ -z $agent ]] || a0=$(cpu_ns "$agent")
  out=$("${load[@]}" "$BENCH_DIR/$app" "${load_args[@]}" "${late_ok[@]}" -rate "$RATE" \
    -duration "${SECS}s") || die "$scen $variant load failed: $out"
  s1=$(cpu_ns "$svc")
  [[ -z $agent ]] || a1=$(cpu_ns "$agent")
  # "load: N calls, M ok, ...": the answered calls are what the CPU is charged to.
  local calls total rps
  calls=$(awk '{ print $4 }' <<<"$out")
  total=$((calls + $(awk '{ print $4 }' <<<"$warm")))
  rps=$(awk '{ print $(NF) }' <<<"$out")
  if [[ -n $agent ]]; then
    kill -TERM "$agent"
    wait "$agent" 2>/dev/null || true
  else
    kill -TERM "$svc"
    wait "$svc" 2>/dev/null || true
  fi
  local spans=-
  if [[ $variant != plain ]]; then spans=$(grep -o '"spanId"' "$spans_file" | wc -l); fi
  awk -v s=$((s1 - s0)) -v a=$((a1 - a0)) -v n="$calls" -v t="$total" -v sp="$spans" -v r="$rps" \
    'BEGIN { printf "%.2f %.2f %d %s %s\n", s / n / 1000, a / n / 1000, t, sp, r }'
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "bench-streams: RATE=$RATE/s SECS=$SECS ROUNDS=$ROUNDS WARMUP_SECS=$WARMUP_SECS PIN=$PIN SATURATE=$SATURATE on $(nproc) CPUs, $(uname -r)"
echo "scenario round variant  service_us/call  agent_us/call  calls  spans  answered/s"
results="$BENCH_DIR/results.txt"
: >"$results"
for ((r = 1; r <= ROUNDS; r++)); do
  for scen in $SCENARIOS; do
    read -r -a order <<<"$VARIANTS"
    if ! ((r % 2)); then
      local_order=()
      for ((i = ${#order[@]} - 1; i >= 0; i--)); do local_order+=("${order[i]}"); done
      order=("${local_order[@]}")
    fi
    for v in "${order[@]}"; do
      read -r us agent_us total spans rps < <(run_one "$scen" "$v" "$r")
      printf '%-8s %5d %-7s %15s %14s %6s %6s %11s\n' "$scen" "$r" "$v" "$us" "$agent_us" "$total" \
        "$spans" "$rps"
      echo "$scen $v $us $agent_us ${rps%/s}" >>"$results"
    done
  done
done

echo
echo "medians over $ROUNDS rounds (service CPU per call, and added by each variant)"
for scen in $SCENARIOS; do
  plain=$(awk -v s="$scen" '$1 == s && $2 == "plain" { print $3 }' "$results" | median)
  rp=$(awk -v s="$scen" '$1 == s && $2 == "plain" { print $5 }' "$results" | median)
  echo "$scen: plain $plain us/call, answered calls/s $rp"
  for v in $VARIANTS; do
    [[ $v == plain ]] && continue
    inst=$(awk -v s="$scen" -v v="$v" '$1 == s && $2 == v { print $3 }' "$results" | median)
    own=$(awk -v s="$scen" -v v="$v" '$1 == s && $2 == v { print $4 }' "$results" | median)
    ra=$(awk -v s="$scen" -v v="$v" '$1 == s && $2 == v { print $5 }' "$results" | median)
    # The added cost per round, plain and this variant of one round paired, then its median.
    added=$(paste <(awk -v s="$scen" '$1 == s && $2 == "plain" { print $3 }' "$results") \
      <(awk -v s="$scen" -v v="$v" '$1 == s && $2 == v { print $3 }' "$results") |
      awk '{ print $2 - $1 }' | median)
    awk -v v="$v" -v p="$plain" -v i="$inst" -v a="$own" -v d="$added" -v r="$ra" 'BEGIN {
      printf "  %-6s %.1f us (x%.2f): +%.1f us in the service (median of per-round differences), agent process %.1f us, answered calls/s %s\n", v, i, i / p, d, a, r }'
  done
done
