#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The demo: installs what is missing, builds goinstr and the demo service, starts Postgres
# (Debian's, in .cache/services, port 55432) and two demo instances, front and back, traced by one
# `goinstr attach --exe build/demo` (console exporter: no collector needed). It sends traffic, then
# stops everything so the traces print, among them one trace across both services:
#   front POST /relay -> HTTP client POST -> back POST /log -> INSERT instrumentation_logs
# Needs root (eBPF uprobes).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
front=${DEMO_ADDR:-127.0.0.1:18080}
back=${DEMO_BACK_ADDR:-127.0.0.1:18081}

if [ "$(id -u)" -ne 0 ]; then
  echo "demo: goinstr loads eBPF programs and uprobes, which needs root: run with sudo" >&2
  exit 1
fi
"$repo/scripts/install-deps.sh"
export PATH=/usr/local/go/bin:$PATH
"$repo/scripts/build.sh"
(cd "$repo/demo" && go build -o "$repo/build/demo" .)
# A Postgres already running (the test services) is used and left running.
pg_was_up=0
(exec 3<>/dev/tcp/127.0.0.1/55432) 2>/dev/null && pg_was_up=1
dsn=$("$repo/scripts/services.sh" start-postgres | tail -n 1)

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  if ((!pg_was_up)); then "$repo/scripts/services.sh" stop-postgres >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

wait_up() {
  local deadline=$((SECONDS + 30))
  until curl -sf "http://$1/hello" -o /dev/null; do
    if ((SECONDS > deadline)); then
      echo "demo: the service did not come up on $1" >&2
      exit 1
    fi
    sleep 0.2
  done
}

work=$(mktemp -d)
cat >"$work/goinstr.yaml" <<'YAML'
instrumentation:
  http:
    trace_headers: true      # where the kernel allows it; goinstr says so when it does not
  database:
    capture_queries: true    # db.query.text, literals replaced by ?
YAML

echo
echo "== goinstr attach --exe build/demo  (every process of that file, started before or after)"
"$repo/build/goinstr" attach --exe "$repo/build/demo" --config "$work/goinstr.yaml" \
  2>"$work/goinstr.log" &
agent=$!
deadline=$((SECONDS + 30))
until grep -q "Ctrl-C to stop" "$work/goinstr.log"; do
  if ((SECONDS > deadline)) || ! kill -0 $agent 2>/dev/null; then
    cat "$work/goinstr.log" >&2
    echo "demo: goinstr did not start" >&2
    exit 1
  fi
  sleep 0.1
done

echo "== build/demo -addr $back -db <postgres>      (back: writes to Postgres)"
"$repo/build/demo" -addr "$back" -db "$dsn" &
pids+=($!)
echo "== build/demo -addr $front -next http://$back   (front: relays to back)"
"$repo/build/demo" -addr "$front" -next "http://$back" &
pids+=($!)
wait_up "$back"
wait_up "$front"

echo "== sending traffic"
for _ in 1 2; do curl -s "http://$front/hello" -o /dev/null; done
curl -s -H 'traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' \
  "http://$front/hello" -o /dev/null
curl -s "http://$front/load?cpu=200000&alloc=65536&sleep=5ms" -o /dev/null
curl -s "http://$front/status/503" -o /dev/null
curl -s -X POST -d '{"instrumentation":"ebpf","error_status":false}' "http://$back/log" -o /dev/null
curl -s -X POST -d '{"instrumentation":"ebpf-relay","error_status":false}' "http://$front/relay" \
  -o /dev/null

echo "== stopping the services, then goinstr (Ctrl-C: it flushes and prints the summary)"
for p in "${pids[@]}"; do kill -TERM "$p"; wait "$p" || true; done
pids=()
kill -INT $agent
wait $agent || true
sed 's/^/[goinstr] /' "$work/goinstr.log" >&2
rm -rf "$work"
