#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Regenerates the struct field offsets goinstr falls back to when a binary has no DWARF
# (-ldflags=-w). Both tables are read from the DWARF of real builds by one program,
# tools/offsets/dump, and compiled into goinstr (src/obj/CMakeLists.txt).
#
#   tools/gen_offsets.sh [std] [OUT.json]    data/offsets/offsets.json, keyed by Go minor version:
#                                            {"go1.26": {"net/http.Request": {"Method": 0, ...}}}
#   tools/gen_offsets.sh modules [OUT.json]  data/offsets/modules.json, keyed by module version:
#                                            {"google.golang.org/grpc": {"v1.70.0": {TYPE: {...}}}}
#                                            (tools/offsets/gen_modules.sh, with Go 1.26;
#                                            52 grpc versions: ~6 min cold, ~2 min cached)
#
# std: for each available Go toolchain it builds tools/offsets/std, which links net/http (HTTP/1
# and HTTP/2 server, client) and database/sql. Toolchains: GO_TOOLCHAINS="cmd1;cmd2" (each a
# command that runs `go`), default: Go 1.19 from Debian, `go` on PATH, and GOTOOLCHAIN=go1.27.3
# (fetched from the module proxy if needed). A type a Go version lacks is absent from its entry.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
case ${1:-} in
  modules) shift; exec "$repo/tools/offsets/gen_modules.sh" "$@" ;;
  std) shift ;;
esac
out=${1:-$repo/data/offsets/offsets.json}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Types dumped in full, or only the fields after ':' (runtime.g has ~50 internal ones, and the
# HTTP/2 types are large and only these fields are read).
h2=(
  "net/http.http2responseWriter:rws" "net/http.http2responseWriterState:stream,req,conn,status"
  "net/http.http2stream:id" "net/http.http2MetaHeadersFrame:http2HeadersFrame,Fields"
  "net/http.http2HeadersFrame:http2FrameHeader" "net/http.http2FrameHeader:StreamID"
  # Go 1.27 moved the bundle into its own package (and its own request type).
  "net/http/internal/http2.responseWriter:rws"
  "net/http/internal/http2.responseWriterState:stream,req,conn,status"
  "net/http/internal/http2.stream:id" "net/http/internal/http2.MetaHeadersFrame:HeadersFrame,Fields"
  "net/http/internal/http2.HeadersFrame:FrameHeader" "net/http/internal/http2.FrameHeader:StreamID"
  "net/http/internal/http2.ServerRequest:ProtoMajor,Method,URL,Host,RemoteAddr"
  # Client connections, for the connection an outgoing HTTP/2 request goes out on.
  "net/http.http2ClientConn:tconn,tlsState"
  "net/http/internal/http2.ClientConn:tconn,tlsState"
  # The standard library's vendored copy, in every version so far (1.19 to 1.27).
  "vendor/golang.org/x/net/http2/hpack.HeaderField:Name,Value,Sensitive"
)
types=(
  "runtime.g:goid,parentGoid,m"
  net/http.Request net/http.response net/http.conn net/http.pattern net/http.Response
  net/http.Transport net/http.persistConn bufio.Reader net/url.URL
  database/sql.DB database/sql.Conn database/sql.Tx database/sql.Stmt database/sql.driverConn
  database/sql.dsnConnector bufio.Writer net.conn net.netFD net.TCPAddr "crypto/tls.Conn:conn"
  "${h2[@]}"
)

if [[ -n ${GO_TOOLCHAINS:-} ]]; then
  IFS=';' read -r -a toolchains <<<"$GO_TOOLCHAINS"
else
  toolchains=()
  [[ -x /usr/lib/go-1.19/bin/go ]] && toolchains+=("/usr/lib/go-1.19/bin/go")
  toolchains+=("go" "env GOTOOLCHAIN=go1.27.3 go")
fi

target=$repo/tools/offsets/std
bins=()
for tc in "${toolchains[@]}"; do
  if ! full=$(cd "$target" && $tc env GOVERSION 2>/dev/null); then
    echo "gen_offsets: skipping '$tc' (not available)" >&2
    continue
  fi
  minor=$(sed -E 's/^(go[0-9]+\.[0-9]+).*/\1/' <<<"$full")
  echo "gen_offsets: $full ($tc)" >&2
  (cd "$target" && GOFLAGS=-buildvcs=false $tc build -o "$work/bin-$minor" .)
  bins+=("$minor=$work/bin-$minor")
done
[[ ${#bins[@]} -gt 0 ]] || { echo "gen_offsets: no Go toolchain found" >&2; exit 1; }

(cd "$repo/tools/offsets/dump" && GOFLAGS=-buildvcs=false go build -o "$work/dumper" .)
"$work/dumper" -types "${types[*]}" "${bins[@]}" >"$out.tmp"
mv "$out.tmp" "$out"
echo "gen_offsets: wrote $out (${bins[*]%%=*})" >&2
