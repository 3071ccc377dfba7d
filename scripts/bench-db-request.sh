#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Added service CPU per request for a request that runs one query (issue 3's benchmark): the demo's
# POST /log (one INSERT into Postgres) at a fixed rate, plain, under `goinstr run`, and under
# `goinstr run` without goroutine following, interleaved (plain, traced, traced-nogo, plain, ...)
# in one run, CPU of the demo process only (utime + stime from /proc). Then one traced run with kernel.bpf_stats_enabled for the time spent in each BPF program.
# Needs root and Postgres (scripts/services.sh start-postgres). Settings: RATE=2000 SECS=10
# ROUNDS=5 GOINSTR=build/goinstr PIN=1 (pins the demo to CPU 0 and the load generator to CPU 1).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
RATE=${RATE:-2000}
SECS=${SECS:-10}
ROUNDS=${ROUNDS:-5}
GOINSTR=${GOINSTR:-$repo/build/goinstr}
PIN=${PIN:-1}
export PATH=/usr/local/go/bin:$PATH
work=$(mktemp -d)
svc=
cleanup() {
  [ -n "$svc" ] && kill -TERM "$svc" 2>/dev/null && wait "$svc" 2>/dev/null
  sysctl -qw kernel.bpf_stats_enabled=0
  rm -rf "$work"
}
trap cleanup EXIT
dsn=$("$repo/scripts/services.sh" start-postgres | tail -n 1)
(cd "$repo/demo" && go build -o "$work/demo" .)
pin_svc=()
pin_load=()
if [ "$PIN" = 1 ]; then
  pin_svc=(taskset -c 0)
  pin_load=(taskset -c 1)
fi
body='{"instrumentation":"bench","error_status":false}'

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

printf 'instrumentation:\n  follow_goroutines: false\n' >"$work/nogo.yaml"
printf 'instrumentation:\n  follow_goroutines: true\n' >"$work/go.yaml"

# run LABEL traced(0|1) [CONFIG]: one fixed-rate run; prints "LABEL us_per_request requests".
run() {
  local label=$1 traced=$2 config=${3:-$work/go.yaml} port=$((10000 + RANDOM % 10000)) demo_pid
  if [ "$traced" = 1 ]; then
    OTEL_TRACES_EXPORTER=none OTEL_METRICS_EXPORTER=none "${pin_svc[@]}" "$GOINSTR" run \
      --config "$config" -- "$work/demo" -addr "127.0.0.1:$port" -db "$dsn" >/dev/null 2>"$work/err" &
  else
    "${pin_svc[@]}" "$work/demo" -addr "127.0.0.1:$port" -db "$dsn" >/dev/null 2>"$work/err" &
  fi
  svc=$!
  local deadline=$((SECONDS + 30))
  until curl -sf "http://127.0.0.1:$port/hello" -o /dev/null; do
    ((SECONDS < deadline)) || { cat "$work/err" >&2; exit 1; }
    sleep 0.1
  done
  demo_pid=$svc
  [ "$traced" = 1 ] && demo_pid=$(pgrep -P "$svc" -f "$work/demo")
  local t0 t1 ok
  t0=$(cpu_ticks "$demo_pid")
  "${pin_load[@]}" "$GOINSTR" load "http://127.0.0.1:$port/log" -X POST -d "$body" \
    --rate "$RATE" --duration "${SECS}s" -c 16 -q --json "$work/load.json" >/dev/null
  t1=$(cpu_ticks "$demo_pid")
  ok=$(jq '.status_codes["201"] // 0' "$work/load.json")
  kill -TERM "$svc"
  wait "$svc" || true
  svc=
  echo "$label $(((t1 - t0) * 1000000 / $(getconf CLK_TCK) * 100 / ok)) $ok" |
    awk '{printf "%s %.2f %d\n", $1, $2 / 100, $3}'
}

echo "# $(nproc) CPUs, $(uname -r), rate $RATE/s for ${SECS}s x $ROUNDS rounds, PIN=$PIN"
for ((i = 1; i <= ROUNDS; i++)); do
  run plain 0
  run traced 1
  run traced-nogo 1 "$work/nogo.yaml"
done | tee "$work/runs.txt"
median() { awk -v l="$1" '$1 == l {print $2}' "$work/runs.txt" | sort -n |
  awk '{v[NR] = $1} END {print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
p=$(median plain)
for label in traced traced-nogo; do
  t=$(median "$label")
  awk -v p="$p" -v t="$t" -v l="$label" 'BEGIN {
    printf "median service CPU per request: plain %.2f us, %s %.2f us, added %.2f us (x%.3f)\n",
      p, l, t, t - p, t / p }'
done

# Where the added time goes: BPF program time per request, measured by the kernel.
sysctl -qw kernel.bpf_stats_enabled=1
port=$((10000 + RANDOM % 10000))
OTEL_TRACES_EXPORTER=none OTEL_METRICS_EXPORTER=none "$GOINSTR" run -- "$work/demo" \
  -addr "127.0.0.1:$port" -db "$dsn" >/dev/null 2>"$work/err" &
svc=$!
until curl -sf "http://127.0.0.1:$port/hello" -o /dev/null; do sleep 0.1; done
"$GOINSTR" load "http://127.0.0.1:$port/log" -X POST -d "$body" --rate "$RATE" \
  --duration "${SECS}s" -c 16 -q --json "$work/load.json" >/dev/null
ok=$(jq '.status_codes["201"] // 0' "$work/load.json")
bpftool prog show -j | jq -r --argjson ok "$ok" '.[] | select(.name | startswith("uprobe__")) |
  select(.run_cnt > 0) |
  "\(.name): \(.run_cnt / $ok * 100 | floor / 100) runs/request, \(.run_time_ns / .run_cnt | floor) ns/run, \(.run_time_ns / $ok / 10 | floor / 100) us/request"'
kill -TERM "$svc"
wait "$svc" || true
svc=
