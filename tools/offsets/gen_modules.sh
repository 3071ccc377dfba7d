#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Regenerates data/offsets/modules.json, the offsets of third-party module types for binaries
# without DWARF, keyed by the module version in the binary's build info:
#   {"google.golang.org/grpc": {"v1.70.0": {"google.golang.org/grpc.csAttempt": {"cs": 16}}},
#    "golang.org/x/net": {"v0.35.0": {...}}}
#
# Usage: tools/gen_offsets.sh modules [OUT.json]   (or this script directly, same arguments)
#
# For every google.golang.org/grpc release the module proxy serves from v1.60.0 on (no -dev or
# pre-releases) it builds tools/offsets/grpc against that version (`go get` + `go mod tidy`) and
# reads the offsets from the binary's DWARF with tools/offsets/dump. The golang.org/x/net entries
# are the x/net version each of those builds selected, plus the newest x/net (built with the
# newest grpc), one entry per version. The genproto rpc status.Status is recorded inside each grpc
# entry, as built with the genproto that grpc version selects.
#
# Built with Go 1.26 (GOTOOLCHAIN=local, `go` on PATH or $GO), the toolchain every listed grpc
# version builds with (grpc v1.85.0 and x/net v0.60.0 need go >= 1.26). goinstr uses them for
# binaries from any Go version; they would only be wrong for another one if a standard-library
# type held by value before a field (sync.Mutex, time.Time, ...) changed size in it, which this
# table does not check. Progress goes to stderr, one line per version.
# Downloads use the normal module cache, so a rerun only fetches what is new: about 6 minutes on
# 2 CPUs with cold caches, under 2 with warm ones.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$repo/data/offsets/modules.json}
go=${GO:-go}
export GOTOOLCHAIN=local GOFLAGS=-buildvcs=false
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

grpc_types=(
  "google.golang.org/grpc/internal/transport.Stream:id,method,status,ctx"
  # v1.69+; Stream is embedded as *Stream up to v1.76, by value since v1.77: st and ct, the fields
  # right after it, tell which (they follow at +8 after a pointer).
  "google.golang.org/grpc/internal/transport.ServerStream:Stream,st"
  "google.golang.org/grpc/internal/transport.ClientStream:Stream,status,ct"
  "google.golang.org/grpc/internal/transport.http2Server:peer"
  "google.golang.org/grpc/internal/transport.http2Client:localAddr,remoteAddr"
  "google.golang.org/grpc/internal/transport.CallHdr:Host,Method"
  "google.golang.org/grpc.clientStream:callHdr,attempt,desc,cc"
  "google.golang.org/grpc.csAttempt:cs,t,transport,s,transportStream"  # renamed across versions
  "google.golang.org/grpc.StreamDesc:ServerStreams,ClientStreams"
  "google.golang.org/grpc/internal/status.Status:s"
  "google.golang.org/grpc/internal/status.Error:s"
  "google.golang.org/grpc/peer.Peer:Addr,LocalAddr"
  "google.golang.org/genproto/googleapis/rpc/status.Status:Code,Message"
)
xnet_types=(
  "golang.org/x/net/http2.MetaHeadersFrame:HeadersFrame,Fields"
  "golang.org/x/net/http2.HeadersFrame:FrameHeader"
  "golang.org/x/net/http2.FrameHeader:StreamID"
  "golang.org/x/net/http2/hpack.HeaderField:Name,Value,Sensitive"
  "golang.org/x/net/http2.responseWriter:rws"
  "golang.org/x/net/http2.responseWriterState:stream,req,conn,status"
  "golang.org/x/net/http2.stream:id"
)

full=$(cd "$work" && $go env GOVERSION)
[[ $full == go1.26* ]] || { echo "gen_modules: need Go 1.26 (GO=path/to/go), have $full" >&2; exit 1; }
(cd "$repo/tools/offsets/dump" && $go build -o "$work/dumper" .)

# Releases only, oldest first (sort -V orders v1.9 before v1.10).
versions() { $go list -m -versions "$1" | tr ' ' '\n' | grep -E '^v[0-9]+\.[0-9]+\.[0-9]+$' | sort -V; }
grpc_versions=$(versions google.golang.org/grpc | awk -F. '$1 == "v1" && $2 >= 60')
xnet_latest=$(versions golang.org/x/net | tail -1)

# build DIR: go.mod for the grpc version already required in DIR; tidy and build DIR/bin.
build() {
  (cd "$1" && $go mod tidy >>log 2>&1 && $go build -o bin . >>log 2>&1)
}

grpc_args=() xnet_args=() skipped=() last=""
declare -A xnet_seen=()
start=$SECONDS n=0 total=$(wc -w <<<"$grpc_versions")
for v in $grpc_versions; do
  n=$((n + 1))
  dir=$work/grpc-$v
  mkdir -p "$dir"
  cp "$repo/tools/offsets/grpc/main.go" "$dir/"
  printf 'module goinstr.dev/tools/offsets/grpc\n\ngo 1.19\n' >"$dir/go.mod"
  if ! (cd "$dir" && $go get "google.golang.org/grpc@$v" >log 2>&1) || ! build "$dir"; then
    echo "gen_modules: [$n/$total] grpc $v: build failed, skipped: $(tail -1 "$dir/log")" >&2
    skipped+=("$v")
    continue
  fi
  xnet=$(cd "$dir" && $go list -m -f '{{.Version}}' golang.org/x/net)
  echo "gen_modules: [$n/$total] grpc $v (x/net $xnet) $((SECONDS - start))s" >&2
  grpc_args+=("google.golang.org/grpc@$v=$dir/bin")
  if [[ -z ${xnet_seen[$xnet]:-} ]]; then
    xnet_seen[$xnet]=1
    xnet_args+=("golang.org/x/net@$xnet=$dir/bin")
  fi
  last=$v
done
[[ ${#grpc_args[@]} -gt 0 ]] || { echo "gen_modules: no grpc version built" >&2; exit 1; }

if [[ -z ${xnet_seen[$xnet_latest]:-} ]]; then
  dir=$work/xnet-$xnet_latest
  cp -r "$work/grpc-$last" "$dir"
  if (cd "$dir" && $go get "golang.org/x/net@$xnet_latest" >log 2>&1) && build "$dir"; then
    echo "gen_modules: x/net $xnet_latest (newest, built with grpc $last)" >&2
    xnet_args+=("golang.org/x/net@$xnet_latest=$dir/bin")
  else
    echo "gen_modules: x/net $xnet_latest: build failed, skipped: $(tail -1 "$dir/log")" >&2
    skipped+=("x/net $xnet_latest")
  fi
fi

"$work/dumper" -types "${grpc_types[*]}" "${grpc_args[@]}" \
  -types "${xnet_types[*]}" "${xnet_args[@]}" >"$out.tmp"
mv "$out.tmp" "$out"
echo "gen_modules: wrote $out: ${#grpc_args[@]} grpc, ${#xnet_args[@]} x/net versions" \
  "in $((SECONDS - start))s${skipped:+; skipped: ${skipped[*]}}" >&2
