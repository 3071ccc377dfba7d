#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Time spent in goinstr's BPF programs per run, measured by the kernel (kernel.bpf_stats_enabled),
# and goinstr's own CPU per request, for each exporter: the demo under `goinstr run` at a fixed
# rate. Needs root. Settings: RATE=5000 SECS=5 GOINSTR=build/goinstr LOAD=build/rate_load.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
RATE=${RATE:-5000}
SECS=${SECS:-5}
GOINSTR=${GOINSTR:-$repo/build/goinstr}
LOAD=${LOAD:-$repo/build/rate_load}
export PATH=/usr/local/go/bin:$PATH
work=$(mktemp -d)
agent=
cleanup() {
  [ -n "$agent" ] && kill -TERM "$agent" 2>/dev/null && wait "$agent" 2>/dev/null
  sysctl -qw kernel.bpf_stats_enabled=0
  rm -rf "$work"
}
trap cleanup EXIT
(cd "$repo/demo" && go build -o "$work/demo" .)

# measure LABEL GOINSTR-OPTIONS...: one run; prints BPF ns/run per program and agent us/request.
measure() {
  local label=$1 port=$((20000 + RANDOM % 20000))
  shift
  sysctl -qw kernel.bpf_stats_enabled=1
  "$GOINSTR" run "$@" -- "$work/demo" -addr "127.0.0.1:$port" >/dev/null 2>"$work/err" &
  agent=$!
  local deadline=$((SECONDS + 30))
  until curl -sf "http://127.0.0.1:$port/hello" -o /dev/null; do
    ((SECONDS < deadline)) || { cat "$work/err" >&2; exit 1; }
    sleep 0.1
  done
  local t0 t1 ok
  t0=$(awk '{print $14 + $15}' "/proc/$agent/stat")
  ok=$("$LOAD" --rate "$RATE" --duration "$SECS" --connections 8 "http://127.0.0.1:$port/hello" |
    jq .ok)
  t1=$(awk '{print $14 + $15}' "/proc/$agent/stat")
  local progs
  progs=$(bpftool prog show -j | jq -r '.[] | select(.name | startswith("uprobe__net_http")) |
    "\(.name)=\(.run_time_ns / .run_cnt | floor)ns"' | tr '\n' ' ')
  kill -TERM "$agent"
  wait "$agent" || true
  agent=
  sysctl -qw kernel.bpf_stats_enabled=0
  echo "$label: $ok requests; BPF per run: $progs; goinstr CPU $(((t1 - t0) * 1000000 / $(getconf CLK_TCK) / ok)) us/request"
}

OTEL_TRACES_EXPORTER=none measure "no exporter"
measure console
measure "json lines" --output "$work/spans.jsonl"
if curl -s -o /dev/null http://127.0.0.1:16686/; then
  measure "otlp http" --endpoint http://127.0.0.1:4318
  measure "otlp grpc" --endpoint http://127.0.0.1:4317 --protocol grpc
fi
