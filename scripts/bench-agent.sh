#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Measures what goinstr's runtime agent costs the traced service, per request.
#
#   scripts/bench-agent.sh [agent]     baseline vs `goinstr run` vs naive entry+RET uprobes
#   scripts/bench-agent.sh probe-cost  ns per uprobe hit by instruction class (bench/probe_cost.c)
#
# agent mode: three copies of the demo binary run side by side (uprobes attach per inode, so a
# probe on one copy never fires in another):
#   base   plain
#   inst   under `goinstr run --output FILE` (two BPF uprobes on emulated prologue jbe sites)
#   naive  tracefs uprobes (no BPF) on ServeHTTP's entry (+0) and its RET sites: single-stepped
# Each round loads each variant in turn (order rotated every round) at a fixed rate with
# bench/rate_load and charges the service the CPU it used during its run: utime+stime from
# /proc/PID/stat (clock ticks) and, as a finer cross-check, the sum of sum_exec_runtime over its
# threads (/proc/PID/task/*/schedstat, ns). goinstr's own CPU is charged the same way. At the end
# the spans in FILE are counted against the requests the instrumented copy served.
#
# Settings (environment): RATE=5000 (req/s) SECS=10 ROUNDS=6 CONNS=8 NAIVE=1 WARMUP_SECS=2
#   KEEP_SPANS=0 (1 keeps the span file after counting)
#   BENCH_DIR=/tmp/goinstr-bench  GOINSTR=build/goinstr  PORT_BASE=18181 (uses 3 ports)
#   PIN=0 (1: every service on CPU 1; goinstr and the load generator on CPU 0, so the agent's
#   own work cannot disturb the service's scheduling)
#   PROBE_N=300000 PROBE_REPS=3 (probe-cost mode)
# Needs root (uprobes), go, cmake, ninja, curl, jq.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
mode=${1:-agent}
RATE=${RATE:-5000}
SECS=${SECS:-10}
ROUNDS=${ROUNDS:-6}
CONNS=${CONNS:-8}
NAIVE=${NAIVE:-1}
WARMUP_SECS=${WARMUP_SECS:-2}
KEEP_SPANS=${KEEP_SPANS:-0}
PORT_BASE=${PORT_BASE:-18181}
PROBE_N=${PROBE_N:-300000}
PROBE_REPS=${PROBE_REPS:-3}
BENCH_DIR=${BENCH_DIR:-/tmp/goinstr-bench}
GOINSTR=${GOINSTR:-$repo/build/goinstr}
PIN=${PIN:-0}
export PATH=/usr/local/go/bin:$PATH

tracefs=/sys/kernel/tracing
group=goinstr_bench
instance=$tracefs/instances/$group
pids=()    # every process we start, killed on exit
events=()  # every uprobe event we create, removed on exit

die() {
  echo "bench-agent: $*" >&2
  exit 1
}

# Stops a process we started: SIGTERM, then SIGKILL if it has not gone within 10 s.
stop_pid() {
  local pid=$1 deadline=$((SECONDS + 10))
  kill -TERM "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS > deadline)); then
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
  done
  wait "$pid" 2>/dev/null || true
}

remove_events() {
  local e
  for e in "${events[@]}"; do
    if [ -e "$instance/events/$group/$e/enable" ]; then
      echo 0 >"$instance/events/$group/$e/enable"
    fi
  done
  if [ -d "$instance" ]; then rmdir "$instance"; fi
  for e in "${events[@]}"; do echo "-:$group/$e" >>"$tracefs/uprobe_events" || true; done
  events=()
}

cleanup() {
  local pid
  for pid in "${pids[@]}"; do stop_pid "$pid"; done
  remove_events 2>/dev/null || true
  if grep -q "^[pr]:$group/" "$tracefs/uprobe_events" 2>/dev/null; then
    echo "bench-agent: WARNING: uprobe events of group $group are left:" >&2
    grep "^[pr]:$group/" "$tracefs/uprobe_events" >&2
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Sets up tracefs and a private ftrace instance, so our events never write to the global buffer.
setup_tracefs() {
  [ "$(id -u)" -eq 0 ] || die "uprobes need root"
  mountpoint -q "$tracefs" || mount -t tracefs nodev "$tracefs"
  if grep -q "^[pr]:$group/" "$tracefs/uprobe_events"; then
    die "uprobe events of group $group exist already (another run?): $(grep "^[pr]:$group/" \
      "$tracefs/uprobe_events" | tr '\n' ' ')"
  fi
  mkdir -p "$instance"
  # The handler still runs for every hit, but nothing is written to a trace buffer (that write
  # alone is ~300 ns here), so the probe body is as close to empty as tracefs gets.
  echo 0 >"$instance/tracing_on"
}

# add_uprobe NAME PATH FILE_OFFSET: creates the event and enables it in our instance.
add_uprobe() {
  echo "p:$group/$1 $2:$3" >>"$tracefs/uprobe_events"
  events+=("$1")
  echo 1 >"$instance/events/$group/$1/enable"
}

build_tools() {
  cmake -S "$repo/bench" -B "$BENCH_DIR/build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$BENCH_DIR/build" >/dev/null
}

machine() {
  printf 'date %s\nhost nproc=%s cpu="%s" kernel=%s\n%s\n' "$(date -u +%FT%TZ)" "$(nproc)" \
    "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')" "$(uname -r)" \
    "$(go version)"
  echo "git $(git -C "$repo" rev-parse --short HEAD)$(git -C "$repo" diff --quiet || echo +dirty)"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# CPU used so far by a process: "TICKS NS" (utime+stime from stat; schedstat summed over threads).
cpu_of() {
  local stat ns=0 t x
  stat=$(<"/proc/$1/stat")
  stat=${stat##*) }
  read -r -a f <<<"$stat"
  for t in /proc/"$1"/task/*/schedstat; do
    read -r x _ <"$t" 2>/dev/null && ns=$((ns + x))
  done
  echo "$((f[11] + f[12])) $ns"
}

wait_http() {  # wait_http URL PID: polls until URL answers 200 or PID dies (30 s deadline)
  local deadline=$((SECONDS + 30))
  until curl -sf -o /dev/null "$1"; do
    kill -0 "$2" 2>/dev/null || die "process $2 died before $1 answered"
    ((SECONDS < deadline)) || die "$1 did not answer within 30 s"
    sleep 0.1
  done
}

# t quantile (two-sided 95%) for df degrees of freedom, df >= 1.
t975() {
  local q="12.706 4.303 3.182 2.776 2.571 2.447 2.365 2.306 2.262 2.228 2.201 2.179 2.160 2.145"
  q+=" 2.131 2.120 2.110 2.101 2.093 2.086"
  awk -v df="$1" -v q="$q" 'BEGIN { split(q, t, " "); print (df <= 20 ? t[df] : 1.96 + 2.4 / df) }'
}

run_agent() {
  command -v jq >/dev/null || die "needs jq"
  [ -x "$GOINSTR" ] || die "no goinstr at $GOINSTR (cmake --build build-agent --target goinstr)"
  local out
  out=$BENCH_DIR/results-$(date -u +%Y%m%dT%H%M%SZ)
  mkdir -p "$out"
  build_tools
  local load=$BENCH_DIR/build/rate_load
  (cd "$repo/demo" && go build -o "$out/demo-base" .)
  cp "$out/demo-base" "$out/demo-inst"
  cp "$out/demo-base" "$out/demo-naive"
  machine | tee "$out/machine.txt"
  echo "settings RATE=$RATE SECS=$SECS ROUNDS=$ROUNDS CONNS=$CONNS NAIVE=$NAIVE" |
    tee -a "$out/machine.txt"

  local variants=(base inst)
  ((NAIVE)) && variants+=(naive)
  declare -A port svc
  local i=0 v
  for v in "${variants[@]}"; do
    port[$v]=$((PORT_BASE + i))
    i=$((i + 1))
  done

  "$out/demo-base" -addr "127.0.0.1:${port[base]}" >"$out/base.log" 2>&1 &
  pids+=($!)
  svc[base]=$!
  "$GOINSTR" run --output "$out/spans.jsonl" -- "$out/demo-inst" -addr "127.0.0.1:${port[inst]}" \
    >"$out/inst.log" 2>"$out/goinstr.stderr" &
  local agent=$!
  pids+=("$agent")
  local deadline=$((SECONDS + 30))
  until svc[inst]=$(pgrep -P "$agent"); do
    kill -0 "$agent" 2>/dev/null || die "goinstr exited: $(cat "$out/goinstr.stderr")"
    ((SECONDS < deadline)) || die "goinstr started no child"
    sleep 0.1
  done
  if ((NAIVE)); then
    setup_tracefs
    "$GOINSTR" inspect --json "$out/demo-naive" >"$out/inspect.json"
    local h='.hooks[] | select(.symbol == "net/http.serverHandler.ServeHTTP")'
    local entry_off ret_offs k=0 off
    entry_off=$(jq -r "$h | .entry_site.file_offset - .entry_site.func_offset" "$out/inspect.json")
    ret_offs=$(jq -r "$h | .return_sites[].file_offset" "$out/inspect.json")
    add_uprobe naive_entry "$out/demo-naive" "$(printf '0x%x' "$entry_off")"
    for off in $ret_offs; do
      add_uprobe "naive_ret$k" "$out/demo-naive" "$(printf '0x%x' "$off")"
      k=$((k + 1))
    done
    echo "naive probes: $(grep "^p:$group/" "$tracefs/uprobe_events" | tr '\n' ';')" |
      tee -a "$out/machine.txt"
    "$out/demo-naive" -addr "127.0.0.1:${port[naive]}" >"$out/naive.log" 2>&1 &
    pids+=($!)
    svc[naive]=$!
  fi
  if ((PIN)); then
    for v in "${variants[@]}"; do taskset -a -p -c 1 "${svc[$v]}" >/dev/null; done
    taskset -a -p -c 0 "$agent" >/dev/null
    load="taskset -c 0 $load"
  fi
  local expected_spans=1  # the readiness request
  for v in "${variants[@]}"; do
    wait_http "http://127.0.0.1:${port[$v]}/hello" "${svc[$v]}"
    $load --rate "$RATE" --duration "$WARMUP_SECS" --connections "$CONNS" \
      "http://127.0.0.1:${port[$v]}/hello" >"$out/warmup-$v.json"
  done
  expected_spans=$((expected_spans + $(jq '.ok + .errors' "$out/warmup-inst.json")))

  local tsv=$out/rounds.tsv r j n
  printf 'round\tvariant\tok\terrors\ttimeouts\tunsent\tp50_us\tp99_us\tsvc_ticks\tsvc_ns' >"$tsv"
  printf '\tagent_ticks\tagent_ns\n' >>"$tsv"
  n=${#variants[@]}
  for ((r = 1; r <= ROUNDS; r++)); do
    for ((j = 0; j < n; j++)); do
      v=${variants[$(((r - 1 + j) % n))]}
      local s0 s1 a0="0 0" a1="0 0" res
      s0=$(cpu_of "${svc[$v]}")
      [ "$v" = inst ] && a0=$(cpu_of "$agent")
      res=$($load --rate "$RATE" --duration "$SECS" --connections "$CONNS" \
        "http://127.0.0.1:${port[$v]}/hello")
      s1=$(cpu_of "${svc[$v]}")
      [ "$v" = inst ] && a1=$(cpu_of "$agent")
      echo "$res" >"$out/round$r-$v.json"
      read -r st0 sn0 <<<"$s0"
      read -r st1 sn1 <<<"$s1"
      read -r at0 an0 <<<"$a0"
      read -r at1 an1 <<<"$a1"
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$v" "$(jq -r '[.ok, .errors, .timeouts,
        .unsent, .latency_us.p50, .latency_us.p99] | @tsv' <<<"$res")" "$((st1 - st0))" \
        "$((sn1 - sn0))" "$((at1 - at0))" "$((an1 - an0))" >>"$tsv"
      [ "$v" = inst ] && expected_spans=$((expected_spans + $(jq '.ok + .errors' <<<"$res")))
      tail -n1 "$tsv"
    done
  done

  stop_pid "$agent"  # goinstr forwards SIGTERM, flushes the exporters and reports losses
  local spans
  spans=$(grep -o '"spanId"' "$out/spans.jsonl" | wc -l)
  {
    echo "spans in file: $spans; requests served by inst (readiness + warmup + rounds): " \
      "$expected_spans"
    echo "goinstr stderr:"
    sed 's/^/  /' "$out/goinstr.stderr"
  } | tee "$out/spans.txt"
  ((KEEP_SPANS)) || rm -f "$out/spans.jsonl"  # ~800 bytes a span: 320 MB for 400k requests
  summarize "$tsv" "$(getconf CLK_TCK)" | tee "$out/summary.md"
  echo "results in $out"
}

# summarize TSV HZ: medians per variant and paired differences against base, as markdown.
summarize() {
  local tsv=$1 hz=$2 rounds
  rounds=$(awk 'NR > 1 { if ($1 > m) m = $1 } END { print m }' "$tsv")
  local t
  t=$(t975 $((rounds - 1)))
  awk -F'\t' -v hz="$hz" -v t="$t" '
    function median(a, n,   i, j, x) {
      for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    NR > 1 {
      r = $1; v = $2; served = $3 + $4
      tk[v, r] = $9 * 1e6 / hz / served; ns[v, r] = $10 / 1e3 / served
      ag_tk[v, r] = $11 * 1e6 / hz / served; ag_ns[v, r] = $12 / 1e3 / served
      p50[v, r] = $7; p99[v, r] = $8; bad[v] += $4 + $5 + $6; ok[v] += $3
      seen[v] = 1; if (r > R) R = r
    }
    END {
      printf "| variant | rounds | requests ok | errors+timeouts+unsent | service CPU/req, stat (µs) | service CPU/req, schedstat (µs) | agent CPU/req, stat (µs) | agent CPU/req, schedstat (µs) | p50 latency (µs) | p99 latency (µs) |\n"
      printf "|---|---|---|---|---|---|---|---|---|---|\n"
      split("base inst naive", order, " ")
      for (k = 1; k <= 3; k++) {
        v = order[k]; if (!(v in seen)) continue
        for (r = 1; r <= R; r++) { a[r] = tk[v, r]; b[r] = ns[v, r]; c[r] = ag_tk[v, r]; d[r] = ag_ns[v, r]; e[r] = p50[v, r]; f[r] = p99[v, r] }
        m_tk[v] = median(a, R); m_ns[v] = median(b, R)
        printf "| %s | %d | %d | %d | %.2f | %.2f | %.2f | %.2f | %.0f | %.0f |\n", v, R, ok[v], bad[v], m_tk[v], m_ns[v], median(c, R), median(d, R), median(e, R), median(f, R)
      }
      printf "\nAdded service CPU per request against base, paired by round (mean ± t95 · sd/√n, n = %d; median of the paired differences; ratio of medians):\n\n", R
      printf "| variant | measure | added µs/req (mean) | 95%% CI | median diff | ratio to base |\n|---|---|---|---|---|---|\n"
      for (k = 2; k <= 3; k++) {
        v = order[k]; if (!(v in seen)) continue
        for (q = 1; q <= 2; q++) {
          s = 0; ss = 0
          for (r = 1; r <= R; r++) { x = q == 1 ? tk[v, r] - tk["base", r] : ns[v, r] - ns["base", r]; dd[r] = x; s += x }
          mean = s / R; for (r = 1; r <= R; r++) ss += (dd[r] - mean) ^ 2
          half = R > 1 ? t * sqrt(ss / (R - 1)) / sqrt(R) : 0
          printf "| %s | %s | %+.2f | [%+.2f, %+.2f] | %+.2f | %.2f× |\n", v, q == 1 ? "stat ticks" : "schedstat ns", mean, mean - half, mean + half, median(dd, R), q == 1 ? m_tk[v] / m_tk["base"] : m_ns[v] / m_ns["base"]
        }
      }
    }' "$tsv"
}

run_probe_cost() {
  build_tools
  setup_tracefs
  local bin=$BENCH_DIR/build/probe_cost name off rep
  machine
  echo "N=$PROBE_N calls per timed run, $PROBE_REPS runs each way, median; thread CPU time"
  echo
  echo "| first instruction | class | ns/call without probe | ns/call with probe | ns per hit |"
  echo "|---|---|---|---|---|"
  while read -r name off; do
    [ "$name" = none ] && continue
    local without=() with=()
    for ((rep = 0; rep < PROBE_REPS; rep++)); do
      without+=("$("$bin" "$name" "$PROBE_N" | cut -d' ' -f3)")
      add_uprobe "pc_$name" "$bin" "$off"
      with+=("$("$bin" "$name" "$PROBE_N" | cut -d' ' -f3)")
      remove_events
      setup_tracefs
    done
    local wo wi
    wo=$(printf '%s\n' "${without[@]}" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
    wi=$(printf '%s\n' "${with[@]}" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
    printf '| %s | %s | %s | %s | %.0f |\n' "$name" "$(probe_class "$name")" "$wo" "$wi" \
      "$(awk -v a="$wi" -v b="$wo" 'BEGIN { print a - b }')"
  done < <("$bin" list)
}

# What arch/x86/kernel/uprobes.c does with each case's first instruction.
probe_class() {
  case $1 in
    nop5) echo "emulated (nop)" ;;
    push_rbp) echo "emulated (push)" ;;
    jmp8 | jbe8 | call32) echo "emulated (branch)" ;;
    *) echo "single-stepped (XOL)" ;;
  esac
}

case $mode in
  agent) run_agent ;;
  probe-cost) run_probe_cost ;;
  *) die "unknown mode '$mode' (agent | probe-cost)" ;;
esac
