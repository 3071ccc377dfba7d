#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Regenerates data/offsets/offsets.json: the struct field offsets goinstr falls back to when a
# binary has no DWARF (-ldflags=-w). For each available Go toolchain it builds a small program that
# links net/http (server and client) and database/sql, then reads the offsets from that binary's
# DWARF with debug/dwarf. Output: {"go1.26": {"net/http.Request": {"Method": 0, ...}, ...}, ...}.
#
# Usage: tools/gen_offsets.sh [OUT.json]
# Toolchains: GO_TOOLCHAINS="cmd1;cmd2" (each a command that runs `go`), default: Go 1.19 from
# Debian, `go` on PATH, and GOTOOLCHAIN=go1.27.3 (fetched from the module proxy if needed).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$repo/data/offsets/offsets.json}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Types dumped in full; runtime.g only for the fields the agent reads (it has ~50 internal ones).
types=(
  "runtime.g:goid,parentGoid,m"
  net/http.Request net/http.response net/http.conn net/http.pattern net/http.Response
  net/http.Transport net/http.persistConn bufio.Reader net/url.URL
  database/sql.DB database/sql.Conn database/sql.Tx database/sql.Stmt database/sql.driverConn
  database/sql.dsnConnector bufio.Writer net.conn net.netFD net.TCPAddr
)

mkdir -p "$work/target" "$work/dump"
cat >"$work/target/go.mod" <<'EOF'
module goinstr.dev/tools/offsets_target

go 1.19
EOF
cat >"$work/target/main.go" <<'EOF'
// Links every type gen_offsets.sh dumps; never run.
package main

import (
	"bufio"
	"database/sql"
	"net/http"
	"os"
)

func main() {
	db, _ := sql.Open("none", "")
	if db != nil {
		tx, _ := db.Begin()
		_, _ = tx.Prepare("")
		c, _ := db.Conn(nil)
		_ = c
	}
	_, _ = http.Get("http://127.0.0.1/")
	_ = bufio.NewReader(os.Stdin)
	_ = http.ListenAndServe("127.0.0.1:0", http.NewServeMux())
}
EOF
cat >"$work/dump/go.mod" <<'EOF'
module goinstr.dev/tools/offsets_dump

go 1.19
EOF
cat >"$work/dump/main.go" <<'EOF'
// dump TYPESPECS VERSION=BINARY... prints the merged offsets JSON (keys sorted by encoding/json).
package main

import (
	"debug/dwarf"
	"debug/elf"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

func offsets(path string, specs map[string]map[string]bool) (map[string]map[string]int64, error) {
	f, err := elf.Open(path)
	if err != nil {
		return nil, err
	}
	d, err := f.DWARF()
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]int64{}
	r := d.Reader()
	for {
		e, err := r.Next()
		if err != nil || e == nil {
			return out, err
		}
		name, _ := e.Val(dwarf.AttrName).(string)
		only, want := specs[name]
		if e.Tag != dwarf.TagStructType || !want || out[name] != nil {
			if e.Children && e.Tag != dwarf.TagCompileUnit {
				r.SkipChildren()
			}
			continue
		}
		fields := map[string]int64{}
		for {
			c, _ := r.Next()
			if c == nil || c.Tag == 0 {
				break
			}
			fname, _ := c.Val(dwarf.AttrName).(string)
			off, ok := c.Val(dwarf.AttrDataMemberLoc).(int64)
			if c.Tag == dwarf.TagMember && ok && fname != "_" && (len(only) == 0 || only[fname]) {
				fields[fname] = off
			}
		}
		out[name] = fields
	}
}

func main() {
	specs := map[string]map[string]bool{}
	for _, s := range strings.Fields(os.Args[1]) {
		name, list, _ := strings.Cut(s, ":")
		specs[name] = map[string]bool{}
		for _, f := range strings.Split(list, ",") {
			if f != "" {
				specs[name][f] = true
			}
		}
	}
	all := map[string]map[string]map[string]int64{}
	for _, arg := range os.Args[2:] {
		version, path, _ := strings.Cut(arg, "=")
		o, err := offsets(path, specs)
		if err != nil {
			fmt.Fprintln(os.Stderr, path+":", err)
			os.Exit(1)
		}
		for t := range specs {
			if o[t] == nil {
				fmt.Fprintf(os.Stderr, "note: %s has no %s\n", version, t)
			}
		}
		all[version] = o
	}
	b, _ := json.MarshalIndent(all, "", "  ")
	fmt.Println(string(b))
}
EOF

if [[ -n ${GO_TOOLCHAINS:-} ]]; then
  IFS=';' read -r -a toolchains <<<"$GO_TOOLCHAINS"
else
  toolchains=()
  [[ -x /usr/lib/go-1.19/bin/go ]] && toolchains+=("/usr/lib/go-1.19/bin/go")
  toolchains+=("go" "env GOTOOLCHAIN=go1.27.3 go")
fi

bins=()
for tc in "${toolchains[@]}"; do
  if ! full=$(cd "$work/target" && $tc env GOVERSION 2>/dev/null); then
    echo "gen_offsets: skipping '$tc' (not available)" >&2
    continue
  fi
  minor=$(sed -E 's/^(go[0-9]+\.[0-9]+).*/\1/' <<<"$full")
  echo "gen_offsets: $full ($tc)" >&2
  (cd "$work/target" && GOFLAGS=-buildvcs=false $tc build -o "$work/bin-$minor" .)
  bins+=("$minor=$work/bin-$minor")
done
[[ ${#bins[@]} -gt 0 ]] || { echo "gen_offsets: no Go toolchain found" >&2; exit 1; }

(cd "$work/dump" && go build -o "$work/dumper" .)
"$work/dumper" "${types[*]}" "${bins[@]}" >"$out.tmp"
mv "$out.tmp" "$out"
echo "gen_offsets: wrote $out (${bins[*]%%=*})" >&2
