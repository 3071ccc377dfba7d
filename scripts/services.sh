#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Starts and stops the services the e2e tests need: Jaeger v2 (all-in-one, in-memory) and a
# throwaway Postgres 15. Every start is idempotent, so .ci/run and developers can call it blindly.
#
#   scripts/services.sh build-jaeger | start-jaeger | stop-jaeger
#   scripts/services.sh start-postgres | stop-postgres | dsn
#   scripts/services.sh start-all | stop-all | status
#
# Environment:
#   STATE_DIR          logs, pid files, Postgres data   (default: <repo>/.cache/services)
#   GOINSTR_TOOLS_DIR  where the Jaeger binary is cached, outside the clone so that a new clone
#                      (CI) reuses it (default: ~/.cache/goinstr/tools)
#   PGPORT             Postgres TCP port on 127.0.0.1    (default: 55432)
#   PG_BINDIR          Postgres server binaries          (default: newest /usr/lib/postgresql/*/bin)
#   JAEGER_CONFIG      optional Jaeger config file; unset = the binary's built-in all-in-one config
#   SERVICE_TIMEOUT    readiness deadline in seconds     (default: 60)
#
# `status` exits 1 when a service is stopped. Commands on one STATE_DIR are serialized by a lock.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE_DIR="${STATE_DIR:-$REPO/.cache/services}"
GOINSTR_TOOLS_DIR="${GOINSTR_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/goinstr/tools}"
PGPORT="${PGPORT:-55432}"
SERVICE_TIMEOUT="${SERVICE_TIMEOUT:-60}"

JAEGER_BIN="$GOINSTR_TOOLS_DIR/jaeger"
JAEGER_PID="$STATE_DIR/jaeger.pid"
JAEGER_LOG="$STATE_DIR/jaeger.log"
JAEGER_QUERY_URL="http://127.0.0.1:16686"
JAEGER_OTLP_PORTS=(4317 4318)

# Postgres files live in PG_ROOT: normally STATE_DIR, see choose_pg_root for when it is not.
PG_ROOT="$STATE_DIR"
PG_DATA="$STATE_DIR/pgdata"
PG_SOCK="$STATE_DIR/pgsock"
PG_LOG="$STATE_DIR/postgres.log"
PG_DSN="postgres://postgres@127.0.0.1:$PGPORT/demo?sslmode=disable"

log() { printf 'services: %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

# Prints the last lines of a log so a failed start explains itself in CI output.
show_tail() {
  local file="$1"
  if [[ -f "$file" ]]; then
    log "last lines of $file:"
    tail -n 40 "$file" >&2 || true
  fi
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pid_alive() {
  local pid_file="$1" pid
  [[ -f "$pid_file" ]] || return 1
  pid="$(<"$pid_file")"
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null
}

# ---------------------------------------------------------------------------------------------
# Jaeger

# The binary is keyed on tools/jaeger/go.{mod,sum} so bumping the version there rebuilds it.
jaeger_stamp() { cat "$REPO/tools/jaeger/go.mod" "$REPO/tools/jaeger/go.sum" | sha256sum | cut -d' ' -f1; }

build_jaeger() {
  local stamp_file="$JAEGER_BIN.stamp" want
  want="$(jaeger_stamp)"
  if [[ -x "$JAEGER_BIN" && -f "$stamp_file" && "$(<"$stamp_file")" == "$want" ]]; then
    return 0
  fi
  command -v go >/dev/null || die "go is not on PATH; it is needed to build Jaeger"
  mkdir -p "$GOINSTR_TOOLS_DIR"
  log "building Jaeger into $JAEGER_BIN (first build takes several minutes)"
  local start=$SECONDS tmp="$JAEGER_BIN.tmp.$$"
  # Build to a temporary name so an interrupted build never leaves a binary that looks complete.
  if ! (cd "$REPO/tools/jaeger" && go build -o "$tmp" github.com/jaegertracing/jaeger/cmd/jaeger); then
    rm -f "$tmp"
    die "building Jaeger failed"
  fi
  mv -f "$tmp" "$JAEGER_BIN"
  printf '%s\n' "$want" >"$stamp_file"
  log "built Jaeger in $((SECONDS - start))s"
}

jaeger_ready() {
  curl -fsS -o /dev/null --max-time 2 "$JAEGER_QUERY_URL/api/services" 2>/dev/null || return 1
  local p
  for p in "${JAEGER_OTLP_PORTS[@]}"; do port_open "$p" || return 1; done
}

start_jaeger() {
  mkdir -p "$STATE_DIR"
  if pid_alive "$JAEGER_PID"; then
    log "jaeger already running (pid $(<"$JAEGER_PID"))"
    return 0
  fi
  if jaeger_ready; then
    # Someone else's Jaeger holds the ports; a second one could not bind them, so share it.
    log "a Jaeger not started by this script already answers on $JAEGER_QUERY_URL; using it"
    return 0
  fi
  build_jaeger
  local args=()
  if [[ -n "${JAEGER_CONFIG:-}" ]]; then
    args+=(--config "$JAEGER_CONFIG")
  fi
  # With no --config the binary runs its embedded all-in-one config (memory storage). Its
  # receivers and extensions read JAEGER_LISTEN_HOST; the query API binds :16686 regardless.
  : >"$JAEGER_LOG"
  # 9>&-: the daemon must not inherit the lock, or it would hold it for its whole life.
  JAEGER_LISTEN_HOST=127.0.0.1 setsid "$JAEGER_BIN" "${args[@]}" >>"$JAEGER_LOG" 2>&1 </dev/null 9>&- &
  echo $! >"$JAEGER_PID"
  local deadline=$((SECONDS + SERVICE_TIMEOUT))
  until jaeger_ready; do
    if ! pid_alive "$JAEGER_PID"; then
      show_tail "$JAEGER_LOG"
      rm -f "$JAEGER_PID"
      die "jaeger exited during startup"
    fi
    if ((SECONDS >= deadline)); then
      show_tail "$JAEGER_LOG"
      die "jaeger not ready after ${SERVICE_TIMEOUT}s (query API $JAEGER_QUERY_URL/api/services, OTLP ${JAEGER_OTLP_PORTS[*]})"
    fi
    sleep 0.2
  done
  log "jaeger ready (pid $(<"$JAEGER_PID")): OTLP grpc 127.0.0.1:4317, http 127.0.0.1:4318, UI/API $JAEGER_QUERY_URL"
}

# Sends TERM, waits with a deadline, then KILL: only the pid this script recorded.
stop_pid_file() {
  local pid_file="$1" name="$2" pid deadline
  if ! pid_alive "$pid_file"; then
    rm -f "$pid_file"
    log "$name not running"
    return 0
  fi
  pid="$(<"$pid_file")"
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + 15))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      log "$name (pid $pid) ignored SIGTERM; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
  done
  rm -f "$pid_file"
  log "$name stopped"
}

stop_jaeger() { stop_pid_file "$JAEGER_PID" jaeger; }

# ---------------------------------------------------------------------------------------------
# Postgres

pg_bindir() {
  if [[ -n "${PG_BINDIR:-}" ]]; then
    echo "$PG_BINDIR"
    return
  fi
  local d
  d="$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  [[ -x "$d/pg_ctl" ]] || die "no Postgres server binaries under /usr/lib/postgresql (set PG_BINDIR)"
  echo "$d"
}

# initdb and postgres refuse to run as root, so as root they run as the postgres user.
as_pg() {
  if ((EUID == 0)); then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# The server runs as the postgres user, which must be able to reach its files, and a unix socket
# path is limited to 107 bytes. A checkout under a private or deep directory fails either test; then
# the files go to a directory under /tmp named after STATE_DIR, so each checkout still gets its own.
choose_pg_root() {
  local sock_path="$STATE_DIR/pgsock/.s.PGSQL.$PGPORT"
  mkdir -p "$STATE_DIR"
  if ((${#sock_path} <= 100)) && { ((EUID != 0)) || runuser -u postgres -- test -x "$STATE_DIR"; }; then
    return 0
  fi
  PG_ROOT="/tmp/goinstr-pg-$(printf '%s' "$STATE_DIR" | sha256sum | cut -c1-12)"
  PG_DATA="$PG_ROOT/pgdata"
  PG_SOCK="$PG_ROOT/pgsock"
  PG_LOG="$PG_ROOT/postgres.log"
}

pg_running() {
  [[ -f "$PG_DATA/PG_VERSION" ]] && as_pg "$(pg_bindir)/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1
}

start_postgres() {
  local bin
  bin="$(pg_bindir)"
  mkdir -p "$STATE_DIR"
  if pg_running; then
    log "postgres already running"
    echo "$PG_DSN"
    return 0
  fi
  if port_open "$PGPORT"; then
    die "port $PGPORT is taken by something else; set PGPORT"
  fi
  # A fresh cluster each start keeps tests independent of what an earlier run left behind.
  rm -rf "$PG_DATA" "$PG_SOCK"
  mkdir -p "$PG_DATA" "$PG_SOCK"
  if ((EUID == 0)); then
    chmod 755 "$PG_ROOT"
    chown postgres: "$PG_DATA" "$PG_SOCK"
  fi
  chmod 700 "$PG_DATA"
  : >"$PG_LOG"
  if ((EUID == 0)); then chown postgres: "$PG_LOG"; fi
  if ! as_pg "$bin/initdb" -D "$PG_DATA" -U postgres --auth=trust --encoding=UTF8 \
    --no-locale >>"$PG_LOG" 2>&1; then
    show_tail "$PG_LOG"
    die "initdb failed"
  fi
  cat >>"$PG_DATA/postgresql.conf" <<EOF
# Added by scripts/services.sh
listen_addresses = '127.0.0.1'
port = $PGPORT
unix_socket_directories = '$PG_SOCK'
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  if ! as_pg "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t "$SERVICE_TIMEOUT" start >/dev/null 9>&-; then
    show_tail "$PG_LOG"
    die "pg_ctl start failed"
  fi
  local psql=("$bin/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -X -q -v ON_ERROR_STOP=1)
  if [[ "$("${psql[@]}" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'demo'")" != 1 ]]; then
    "${psql[@]}" -d postgres -c "CREATE DATABASE demo" || die "creating database demo failed"
  fi
  log "postgres ready on 127.0.0.1:$PGPORT (data $PG_DATA)"
  echo "$PG_DSN"
}

stop_postgres() {
  if pg_running; then
    as_pg "$(pg_bindir)/pg_ctl" -D "$PG_DATA" -m fast -w -t "$SERVICE_TIMEOUT" stop >/dev/null ||
      die "pg_ctl stop failed"
    log "postgres stopped"
  else
    log "postgres not running"
  fi
  rm -rf "$PG_DATA" "$PG_SOCK"
  if [[ "$PG_ROOT" != "$STATE_DIR" ]]; then rm -rf "$PG_ROOT"; fi
}

status() {
  local rc=0
  if pid_alive "$JAEGER_PID"; then
    echo "jaeger:   running (pid $(<"$JAEGER_PID")) query $JAEGER_QUERY_URL log $JAEGER_LOG"
  elif jaeger_ready; then
    echo "jaeger:   running (not started by this script) query $JAEGER_QUERY_URL"
  else
    echo "jaeger:   stopped"
    rc=1
  fi
  if pg_running; then
    echo "postgres: running $PG_DSN"
  else
    echo "postgres: stopped"
    rc=1
  fi
  return "$rc"
}

usage() {
  sed -n '3,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

choose_pg_root

# Two callers (CI and a developer, or parallel test scripts) must not both start a server.
exec 9>"$STATE_DIR/.lock"
flock 9

case "${1:-}" in
  build-jaeger) build_jaeger ;;
  start-jaeger) start_jaeger ;;
  stop-jaeger) stop_jaeger ;;
  start-postgres) start_postgres ;;
  stop-postgres) stop_postgres ;;
  dsn) echo "$PG_DSN" ;;
  start-all)
    start_jaeger
    start_postgres
    ;;
  stop-all)
    stop_jaeger
    stop_postgres
    ;;
  status) status ;;
  *) usage ;;
esac
