// SPDX-License-Identifier: Apache-2.0

// Command dump reads struct field offsets from the DWARF of Go binaries and prints them as JSON,
// for tools/gen_offsets.sh (both data/offsets/offsets.json and data/offsets/modules.json).
//
//	dump -types SPECS KEY=BINARY... [-types SPECS KEY=BINARY...]...
//
// SPECS is a space-separated list of "pkg/path.Type" (every field) or "pkg/path.Type:f1,f2" (only
// those fields); it applies to the KEY=BINARY arguments after it. A KEY without "@" ("go1.26")
// gives {"go1.26": {TYPE: {FIELD: OFFSET}}}; a KEY "module@version" gives
// {"module": {"version": {TYPE: {FIELD: OFFSET}}}}. Keys and types are sorted (encoding/json).
// A type or listed field the binary does not have is left out, with a note on stderr: that is
// how a version without a type is recorded.
package main

import (
	"debug/dwarf"
	"debug/elf"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
)

type offsets = map[string]map[string]int64 // type -> field -> offset

// specs maps a type name to the fields wanted; an empty set means every field.
type specs map[string]map[string]bool

func parseSpecs(s string) specs {
	out := specs{}
	for _, spec := range strings.Fields(s) {
		name, list, _ := strings.Cut(spec, ":")
		out[name] = map[string]bool{}
		for _, f := range strings.Split(list, ",") {
			if f != "" {
				out[name][f] = true
			}
		}
	}
	return out
}

func read(path string, want specs) (offsets, error) {
	f, err := elf.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	d, err := f.DWARF()
	if err != nil {
		return nil, err
	}
	out := offsets{}
	r := d.Reader()
	for {
		e, err := r.Next()
		if err != nil || e == nil {
			return out, err
		}
		name, _ := e.Val(dwarf.AttrName).(string)
		only, ok := want[name]
		if e.Tag != dwarf.TagStructType || !ok || out[name] != nil {
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

// notes lists what `want` asks for and `got` lacks, sorted so reruns print the same lines.
func notes(key string, want specs, got offsets) []string {
	var out []string
	for t, fields := range want {
		if got[t] == nil {
			out = append(out, fmt.Sprintf("note: %s has no %s", key, t))
			continue
		}
		for f := range fields {
			if _, ok := got[t][f]; !ok {
				out = append(out, fmt.Sprintf("note: %s has no %s.%s", key, t, f))
			}
		}
	}
	sort.Strings(out)
	return out
}

func main() {
	flat := map[string]offsets{}
	nested := map[string]map[string]offsets{}
	var want specs
	args := os.Args[1:]
	for i := 0; i < len(args); i++ {
		if args[i] == "-types" && i+1 < len(args) {
			want = parseSpecs(args[i+1])
			i++
			continue
		}
		key, path, ok := strings.Cut(args[i], "=")
		if !ok || want == nil {
			fmt.Fprintln(os.Stderr, "usage: dump -types SPECS KEY=BINARY... [-types SPECS KEY=BINARY...]...")
			os.Exit(2)
		}
		got, err := read(path, want)
		if err != nil {
			fmt.Fprintln(os.Stderr, path+":", err)
			os.Exit(1)
		}
		for _, n := range notes(key, want, got) {
			fmt.Fprintln(os.Stderr, n)
		}
		if module, version, ok := strings.Cut(key, "@"); ok {
			if nested[module] == nil {
				nested[module] = map[string]offsets{}
			}
			nested[module][version] = got
		} else {
			flat[key] = got
		}
	}
	var all interface{} = flat
	if len(nested) > 0 {
		if len(flat) > 0 {
			fmt.Fprintln(os.Stderr, "dump: cannot mix Go-version keys and module@version keys")
			os.Exit(2)
		}
		all = nested
	}
	b, _ := json.MarshalIndent(all, "", "  ")
	fmt.Println(string(b))
}
