#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The demo: installs what is missing, builds goinstr and the demo service, runs the service under
# `goinstr run` (console exporter: no other server needed), sends some traffic, and stops it so
# the traces print. Needs root (eBPF uprobes).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
addr=${DEMO_ADDR:-127.0.0.1:18080}

if [ "$(id -u)" -ne 0 ]; then
  echo "demo: goinstr loads eBPF programs and uprobes, which needs root: run with sudo" >&2
  exit 1
fi
"$repo/scripts/install-deps.sh"
export PATH=/usr/local/go/bin:$PATH
"$repo/scripts/build.sh"
(cd "$repo/demo" && go build -o "$repo/build/demo" .)

echo
echo "== goinstr run -- build/demo -addr $addr"
"$repo/build/goinstr" run -- "$repo/build/demo" -addr "$addr" &
agent=$!
trap 'kill -TERM $agent 2>/dev/null || true' EXIT

deadline=$((SECONDS + 30))
until curl -sf "http://$addr/hello" -o /dev/null; do
  if ((SECONDS > deadline)) || ! kill -0 $agent 2>/dev/null; then
    echo "demo: the service did not come up on $addr" >&2
    exit 1
  fi
  sleep 0.2
done

echo "== sending traffic"
for _ in 1 2 3; do curl -s "http://$addr/hello" -o /dev/null; done
curl -s -H 'traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' \
  "http://$addr/hello" -o /dev/null
curl -s "http://$addr/load?cpu=200000&alloc=65536&sleep=5ms" -o /dev/null
curl -s "http://$addr/status/503" -o /dev/null
curl -s -X POST -d '{"instrumentation":"ebpf","error_status":false}' "http://$addr/log" -o /dev/null
curl -s "http://$addr/no/such/page" -o /dev/null

echo "== stopping the service (goinstr forwards SIGTERM, flushes, exits with its code)"
kill -TERM $agent
trap - EXIT
wait $agent
