#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Compile-time instrumentation (issue 4): `goinstr go build` against plain `go build` and against
# the hand-instrumented demo (`go build -tags otelmanual`: OpenTelemetry SDK + otelhttp, see
# demo/otel_manual.go). Three variants, always interleaved in rotated order:
#   plain    go build
#   manual   go build -tags otelmanual
#   goinstr  goinstr go build
#
# Part "build": wall and CPU (user+sys of the go command and its children) seconds of
#   cold    a fresh empty GOCACHE (and a fresh GOINSTR_CACHE), module cache warm: every package,
#           the standard library included, is compiled
#   warm    the identical build repeated with the caches of the previous builds
#   change  one harmless line (a new unexported const) appended to handlers.go, then rebuilt
# The builds run in a copy of demo/ under a temporary directory; the repo's demo/ is never touched.
#
# Part "request": the three binaries serve GET /hello and POST /log (one INSERT into Postgres)
# under a closed-model load (`goinstr load --vus CONNS`) for SECS seconds, ROUNDS rounds per
# scenario, a fresh service process per run after a WARMUP_SECS warm-up. manual and goinstr export
# to Jaeger's OTLP/HTTP 127.0.0.1:4318 with the SDK's default batch settings (no OTEL_BSP_*).
# Service CPU = utime+stime from /proc/PID/stat across the measured run, per successful request.
# Spans Jaeger accepted during a run (its otelcol_receiver_accepted_spans_total{transport="http"}
# on :8888, so anything else exporting at the same time is counted too) are reported against the
# spans the requests should have produced, as a check that nothing was dropped.
#
# RATE=R: GET /hello at a fixed R requests/s instead (open model, build/rate_load over CONNS
#   keep-alive connections; POST /log keeps the closed model). Each run also records the service's
#   VmRSS at the end of the measured load, and part "build" the binaries' sizes.
# Settings (environment): BUILD_ROUNDS=3 (cold builds per variant) WARM_ROUNDS=7 (warm and change
#   builds per variant) ROUNDS=5 SECS=10 WARMUP_SECS=2 CONNS=16 PARTS="build request"
#   SCENARIOS="hello log" RATE= (empty: closed model) RATE_LOAD=build/rate_load
#   PIN=1 (service on CPU 0, load generator on CPU 1; Postgres and Jaeger are not pinned)
#   GOINSTR=build-agent/goinstr (copied to the work directory first, so a rebuild during the run
#   cannot change it) PORT=18480 KEEP=0 (1 keeps the work directory)
#   DSN= (a Postgres to use instead of the one scripts/services.sh starts)
#   BUILDS_FROM=FILE, RUNS_FROM=FILE: summarize raw lines printed by an earlier run instead of
#   measuring (the "Every build" / "Every run" blocks of its output)
# Needs go, curl, jq, taskset, /usr/bin/time; the request part needs root-started services
# (scripts/services.sh start-all: Jaeger and Postgres).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
BUILD_ROUNDS=${BUILD_ROUNDS:-3}
WARM_ROUNDS=${WARM_ROUNDS:-7}
ROUNDS=${ROUNDS:-5}
SECS=${SECS:-10}
WARMUP_SECS=${WARMUP_SECS:-2}
CONNS=${CONNS:-16}
PARTS=${PARTS:-build request}
PIN=${PIN:-1}
PORT=${PORT:-18480}
DSN=${DSN:-}
BUILDS_FROM=${BUILDS_FROM:-}
RUNS_FROM=${RUNS_FROM:-}
KEEP=${KEEP:-0}
SCENARIOS=${SCENARIOS:-hello log}
RATE=${RATE:-}
RATE_LOAD=${RATE_LOAD:-$repo/build/rate_load}
GOINSTR=${GOINSTR:-$repo/build-agent/goinstr}
export PATH=/usr/local/go/bin:$PATH
variants=(plain manual goinstr)

work=$(mktemp -d /tmp/bench-compile-time.XXXXXX)
svc=
die() {
  echo "bench-compile-time: $*" >&2
  exit 1
}
cleanup() {
  if [ -n "$svc" ]; then
    kill -TERM "$svc" 2>/dev/null || true
    wait "$svc" 2>/dev/null || true
  fi
  if [ "$KEEP" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ -x "$GOINSTR" ] || die "no goinstr at $GOINSTR (cmake --build build-agent --target goinstr)"
cp "$GOINSTR" "$work/goinstr"
GOINSTR=$work/goinstr
for tool in go curl jq taskset /usr/bin/time; do
  command -v "$tool" >/dev/null || die "$tool is needed"
done

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# rotated I: the variants in the order of round I (plain manual goinstr, manual goinstr plain, ...).
rotated() {
  local i=$1 k n=${#variants[@]}
  for ((k = 0; k < n; k++)); do echo "${variants[(i + k) % n]}"; done
}

echo "# $(date -u +%FT%TZ) nproc=$(nproc) cpu=\"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- |
  sed 's/^ //')\" kernel=$(uname -r) $(go version | cut -d' ' -f3-)"
echo "# goinstr $("$GOINSTR" --version | awk '{print $NF}') from $(git -C "$repo" rev-parse --short HEAD)$(
  git -C "$repo" diff --quiet HEAD -- src gort data 2>/dev/null || echo +dirty); load average $(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------------------------------------
# Part 1: build time

src=$work/src
cp -r "$repo/demo" "$src"

# build VARIANT GOCACHE GOINSTR_CACHE: one build of the copy into $work/bin-VARIANT; prints
# "wall cpu load" (seconds, seconds, 1-minute load average when it started).
build() {
  local v=$1 cmd load
  load=$(cut -d' ' -f1 /proc/loadavg)
  case $v in
  plain) cmd=(go build -o "$work/bin-$v" .) ;;
  manual) cmd=(go build -tags otelmanual -o "$work/bin-$v" .) ;;
  goinstr) cmd=("$GOINSTR" go build -o "$work/bin-$v" .) ;;
  esac
  (cd "$src" && GOCACHE=$2 GOINSTR_CACHE=$3 /usr/bin/time -f '%e %U %S' -o "$work/time" \
    "${cmd[@]}" >"$work/build.log" 2>&1) || { cat "$work/build.log" >&2; die "$v build failed"; }
  awk -v l="$load" '{ printf "%.2f %.2f %s\n", $1, $2 + $3, l }' "$work/time"
}

measure_builds() {
  local i v r
  echo "# build: cold x$BUILD_ROUNDS, warm x$WARM_ROUNDS, change x$WARM_ROUNDS per variant" >&2
  echo "# kind variant wall_s cpu_s load1" >&2
  for ((i = 0; i < BUILD_ROUNDS; i++)); do
    for v in $(rotated "$i"); do
      rm -rf "$work/cold-gocache" "$work/cold-gicache"
      r=$(build "$v" "$work/cold-gocache" "$work/cold-gicache")
      echo "cold $v $r" | tee -a "$work/builds.txt" >&2
    done
  done
  rm -rf "$work/cold-gocache" "$work/cold-gicache"
  # One shared GOCACHE, like a developer's: prime it with every variant, then repeat.
  for v in "${variants[@]}"; do build "$v" "$work/gocache" "$work/gicache" >/dev/null; done
  for ((i = 0; i < WARM_ROUNDS; i++)); do
    for v in $(rotated "$i"); do
      r=$(build "$v" "$work/gocache" "$work/gicache")
      echo "warm $v $r" | tee -a "$work/builds.txt" >&2
    done
  done
  for ((i = 0; i < WARM_ROUNDS; i++)); do
    printf '\nconst benchEdit%d = %d\n' "$i" "$i" >>"$src/handlers.go"
    for v in $(rotated "$i"); do
      r=$(build "$v" "$work/gocache" "$work/gicache")
      echo "change $v $r" | tee -a "$work/builds.txt" >&2
    done
  done
}

summarize_builds() {
  local kind col v
  echo
  echo "Build time, medians; wall = elapsed seconds, CPU = user+sys seconds of the go command and its"
  echo "children (less sensitive to other load on the machine than wall):"
  echo
  echo "| build | measure | plain | manual | goinstr | goinstr / plain | manual / plain | goinstr / manual |"
  echo "|---|---|---|---|---|---|---|---|"
  for kind in cold warm change; do
    for col in 3 4; do
      declare -A md=()
      for v in "${variants[@]}"; do
        md[$v]=$(awk -v k="$kind" -v v="$v" -v c="$col" '$1 == k && $2 == v { print $c }' "$work/builds.txt" | median)
      done
      awk -v k="$kind" -v n="$(grep -c "^$kind plain " "$work/builds.txt")" -v c="$col" \
        -v p="${md[plain]}" -v m="${md[manual]}" -v g="${md[goinstr]}" 'BEGIN {
          printf "| %s | %s | %.2f | %.2f | %.2f | **%.2f×** | %.2f× | %.2f× |\n",
            c == 3 ? k " (n=" n ")" : "", c == 3 ? "wall s" : "CPU s", p, m, g, g / p, m / p, g / m }'
    done
  done
  echo
  echo "Every build, in order (kind variant wall_s cpu_s load1):"
  echo
  echo '```'
  cat "$work/builds.txt"
  echo '```'
}

# ---------------------------------------------------------------------------------------------
# Part 2: cost per request

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
jaeger_spans() {
  curl -sf --max-time 5 http://127.0.0.1:8888/metrics |
    awk '/^otelcol_receiver_accepted_spans_total/ && /transport="http"/ { s += $NF } END { printf "%d\n", s }'
}

# run SCENARIO VARIANT ROUND: one fresh service, warm-up, measured load; appends a line to runs.txt.
run() {
  local scenario=$1 v=$2 round=$3 url args=() t0 t1 s0 s1 load
  url=http://127.0.0.1:$PORT
  if [ "$scenario" = log ]; then
    url+=/log
    args=(-X POST -d '{"instrumentation":"bench","error_status":false}' -H 'Content-Type: application/json')
  else
    url+=/hello
  fi
  s0=$(jaeger_spans)
  load=$(cut -d' ' -f1 /proc/loadavg)
  OTEL_SERVICE_NAME=bench-$v OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 OTEL_METRICS_EXPORTER=none \
    "${pin_svc[@]}" "$work/req-$v" -addr "127.0.0.1:$PORT" -db "$dsn" >/dev/null 2>"$work/svc.err" &
  svc=$!
  local deadline=$((SECONDS + 30))
  until curl -sf -o /dev/null "http://127.0.0.1:$PORT/hello"; do
    kill -0 "$svc" 2>/dev/null || { cat "$work/svc.err" >&2; die "$v died at start"; }
    ((SECONDS < deadline)) || die "$v did not answer within 30 s"
    sleep 0.1
  done
  if [ -n "$RATE" ] && [ "$scenario" = hello ]; then
    # rate_load's summary in the shape of goinstr load's (the fields used below).
    local to_load='{rps: .achieved_rate, latency_us: {p50: .latency_us.p50, p99: .latency_us.p99},
      counts: {successes: .ok, requests: .scheduled}}'
    "${pin_load[@]}" "$RATE_LOAD" --rate "$RATE" --duration "$WARMUP_SECS" --connections "$CONNS" \
      "$url" | jq "$to_load" >"$work/warmup.json"
    t0=$(cpu_ticks "$svc")
    "${pin_load[@]}" "$RATE_LOAD" --rate "$RATE" --duration "$SECS" --connections "$CONNS" \
      "$url" | jq "$to_load" >"$work/load.json"
    t1=$(cpu_ticks "$svc")
  else
    "${pin_load[@]}" "$GOINSTR" load "$url" "${args[@]}" --vus "$CONNS" --duration "${WARMUP_SECS}s" \
      -q --json "$work/warmup.json" >/dev/null
    t0=$(cpu_ticks "$svc")
    "${pin_load[@]}" "$GOINSTR" load "$url" "${args[@]}" --vus "$CONNS" --duration "${SECS}s" \
      -q --json "$work/load.json" >/dev/null
    t1=$(cpu_ticks "$svc")
  fi
  local rss_kib
  rss_kib=$(awk '/^VmRSS:/ { print $2 }' "/proc/$svc/status")
  kill -TERM "$svc"
  wait "$svc" || die "$v exited with $? ($(tail -n 3 "$work/svc.err"))"
  svc=
  sleep 1 # Jaeger counts what the shutdown flush sent
  s1=$(jaeger_spans)
  # Spans the instrumented variants should have sent: one server span per request (the readiness
  # probe's GET /hello included), plus the INSERT's client span per POST /log.
  jq -r --arg s "$scenario" --arg v "$v" --arg r "$round" --argjson t "$((t1 - t0))" \
    --argjson hz "$(getconf CLK_TCK)" --argjson spans "$((s1 - s0))" \
    --argjson k "$([ "$scenario" = log ] && echo 2 || echo 1)" \
    --argjson warm "$(jq '.counts.successes' "$work/warmup.json")" --arg load "$load" \
    --argjson rss "$rss_kib" \
    '"\($s) \($v) \($r) \(.rps) \(.latency_us.p50) \(.latency_us.p99) \($t / $hz * 1e6 / .counts.successes) \(.counts.successes) \(.counts.requests - .counts.successes) \($spans) \(1 + $k * ($warm + .counts.successes)) \($load) \($rss / 1024)"' \
    "$work/load.json" | tee -a "$work/runs.txt" >&2
}

measure_requests() {
  pin_svc=()
  pin_load=()
  if [ "$PIN" = 1 ]; then
    pin_svc=(taskset -c 0)
    pin_load=(taskset -c 1)
  fi
  if [ -n "$DSN" ]; then
    "$repo/scripts/services.sh" start-jaeger >/dev/null
    dsn=$DSN
  else
    "$repo/scripts/services.sh" start-all >/dev/null
    dsn=$("$repo/scripts/services.sh" dsn | tail -n 1)
  fi
  # Binaries from a clean copy of demo/, with the caches of part 1 when it ran, else the usual ones.
  rm -rf "$src" && cp -r "$repo/demo" "$src"
  local v gocache=$work/gocache gicache=$work/gicache scenario i
  if [ ! -d "$gocache" ]; then
    gocache=$(go env GOCACHE)
    gicache=${GOINSTR_CACHE:-$HOME/.cache/goinstr}
  fi
  for v in "${variants[@]}"; do
    build "$v" "$gocache" "$gicache" >/dev/null
    cp "$work/bin-$v" "$work/req-$v"
  done
  echo "# request: $ROUNDS rounds x ${SECS}s (+${WARMUP_SECS}s warm-up), --vus $CONNS, RATE=${RATE:-closed} (hello), PIN=$PIN" >&2
  echo "# scenario variant round rps p50_us p99_us cpu_us_per_req ok failed jaeger_spans spans_expected load1 rss_mib" >&2
  for v in "${variants[@]}"; do
    echo "# binary $v $(stat -c %s "$work/req-$v") bytes" >&2
    echo "$v $(stat -c %s "$work/req-$v")" >>"$work/sizes.txt"
  done
  for scenario in $SCENARIOS; do
    for ((i = 0; i < ROUNDS; i++)); do
      for v in $(rotated "$i"); do run "$scenario" "$v" "$i"; done
    done
  done
}

# column_of SCENARIO VARIANT COLUMN: that column of every run of one variant, in round order.
column_of() { awk -v s="$1" -v v="$2" -v c="$3" '$1 == s && $2 == v { print $c }' "$work/runs.txt"; }

# paired A B: median over rounds of A[i] / B[i] (values on two lines of numbers, round order).
paired() { paste -d' ' <(echo "$1") <(echo "$2") | awk '$2 > 0 { print $1 / $2 }' | median; }

summarize_requests() {
  local scenario v c rounds
  rounds=$(awk '{ print $3 }' "$work/runs.txt" | sort -u | wc -l)
  echo
  echo "Cost per request: medians of $rounds rounds; service CPU = utime+stime of the demo process per"
  echo "successful request; spans: the lowest ratio over the runs of the spans Jaeger accepted to the"
  echo "spans the requests should have made (>= 1 means none lost; others' exports can only add):"
  echo
  echo "| scenario | variant | req/s | p50 µs | p99 µs | CPU µs/req | added CPU µs/req vs plain | RSS MiB | spans received / expected (lowest run) |"
  echo "|---|---|---|---|---|---|---|---|---|"
  for scenario in $SCENARIOS; do
    declare -A m=()
    for v in "${variants[@]}"; do
      for c in 4 5 6 7 13; do m[$v,$c]=$(column_of "$scenario" "$v" "$c" | median); done
      m[$v,spans]=$(awk -v s="$scenario" -v v="$v" '$1 == s && $2 == v && $11 > 0 { print $10 / $11 }' \
        "$work/runs.txt" | sort -g | head -n 1)
      m[$v,failed]=$(column_of "$scenario" "$v" 9 | awk '{ a += $1 } END { print a + 0 }')
    done
    for v in "${variants[@]}"; do
      awk -v s="$scenario" -v v="$v" -v rps="${m[$v,4]}" -v p50="${m[$v,5]}" -v p99="${m[$v,6]}" \
        -v cpu="${m[$v,7]}" -v base="${m[plain,7]}" -v spans="${m[$v,spans]}" -v f="${m[$v,failed]}" \
        -v rss="${m[$v,13]}" 'BEGIN {
          printf "| %s | %s | %.0f | %.0f | %.0f | %.1f | %s | %.1f | %s |\n", s == "log" ? "POST /log" : "GET /hello",
            (f > 0 ? v " (" f " failed)" : v), rps, p50, p99, cpu, v == "plain" ? "–" : sprintf("%+.1f", cpu - base),
            rss, v == "plain" ? "–" : sprintf("%.3f", spans) }'
    done
  done
  echo
  echo "Ratios: of the medians, and in brackets the median of the per-round ratios (variants of one round"
  echo "ran back to back, so they shared the machine's load):"
  echo
  echo "| scenario | measure | goinstr / manual | goinstr / plain | manual / plain |"
  echo "|---|---|---|---|---|"
  for scenario in $SCENARIOS; do
    for c in 4 5 6 7; do
      declare -A mm=() rr=()
      for v in "${variants[@]}"; do mm[$v]=$(column_of "$scenario" "$v" "$c" | median); done
      rr[gm]=$(paired "$(column_of "$scenario" goinstr "$c")" "$(column_of "$scenario" manual "$c")")
      rr[gp]=$(paired "$(column_of "$scenario" goinstr "$c")" "$(column_of "$scenario" plain "$c")")
      rr[mp]=$(paired "$(column_of "$scenario" manual "$c")" "$(column_of "$scenario" plain "$c")")
      awk -v s="$scenario" -v c="$c" -v p="${mm[plain]}" -v m="${mm[manual]}" -v g="${mm[goinstr]}" \
        -v gm="${rr[gm]}" -v gp="${rr[gp]}" -v mp="${rr[mp]}" 'BEGIN {
          split("- - - req/s p50 p99 CPU/req", name, " ")
          printf "| %s | %s | %.3f (%.3f) | %.3f (%.3f) | %.3f (%.3f) |\n", s == "log" ? "POST /log" : "GET /hello",
            name[c], g / m, gm, g / p, gp, m / p, mp }'
    done
  done
  echo
  echo "Binary sizes (bytes): $(tr '\n' ' ' <"$work/sizes.txt")"
  echo
  echo "Every run, in order (scenario variant round rps p50_us p99_us cpu_us_per_req ok failed jaeger_spans spans_expected load1 rss_mib):"
  echo
  echo '```'
  cat "$work/runs.txt"
  echo '```'
}

: >"$work/builds.txt"
: >"$work/runs.txt"
: >"$work/sizes.txt"
case " $PARTS " in *" build "*)
  if [ -n "$BUILDS_FROM" ]; then cp "$BUILDS_FROM" "$work/builds.txt"; else measure_builds; fi
  summarize_builds
  ;;
esac
case " $PARTS " in *" request "*)
  if [ -n "$RUNS_FROM" ]; then cp "$RUNS_FROM" "$work/runs.txt"; else measure_requests; fi
  summarize_requests
  ;;
esac
