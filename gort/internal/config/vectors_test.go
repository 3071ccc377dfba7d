// SPDX-License-Identifier: Apache-2.0

// The shared configuration vectors (data/config/vectors.json) against the Go
// port. The agent runs the same file (tests/unit/config/vectors_test.cpp), so
// the two implementations cannot drift apart.
//
// The file is a list of cases: "name", an optional "note", an optional
// "yaml" (the text of a file named goinstr.yaml) and "env" (the variables),
// then exactly one of "error" (the exact message), "error_prefix" (for
// invalid YAML, whose reason is the parser's own) or "expect" (dotted field
// keys, see fields, to values; every field not listed must hold its
// default, so a side effect fails too), and with "expect" an optional
// "sources" (key to SourceOf). The case named "defaults" lists every field,
// which pins the defaults of both sides. The layers are stacked as Load
// does, with no flags on the agent's side.
//
// The go command does not notice edits to a file outside the module when it
// caches test results: run with -count=1 after changing the vectors.

package config

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
)

const vectorsPath = "../../../data/config/vectors.json"

type vector struct {
	Name        string                     `json:"name"`
	Note        string                     `json:"note"`
	YAML        *string                    `json:"yaml"`
	Env         map[string]string          `json:"env"`
	Expect      map[string]json.RawMessage `json:"expect"`
	Error       *string                    `json:"error"`
	ErrorPrefix *string                    `json:"error_prefix"`
	Sources     map[string]string          `json:"sources"`
}

func pairs(kv [][2]string) []interface{} {
	out := []interface{}{}
	for _, p := range kv {
		out = append(out, []interface{}{p[0], p[1]})
	}
	return out
}

func list(items []string) []interface{} {
	out := []interface{}{}
	for _, s := range items {
		out = append(out, s)
	}
	return out
}

// fields is the value of every dotted key a vector may expect; the C++ test
// has the same table.
var fields = map[string]func(*Config) interface{}{
	"instrumentation.http.enabled":             func(c *Config) interface{} { return c.HTTPEnabled },
	"instrumentation.http.trace_headers":       func(c *Config) interface{} { return c.HTTPTraceHeaders },
	"instrumentation.database.enabled":         func(c *Config) interface{} { return c.DatabaseEnabled },
	"instrumentation.database.capture_queries": func(c *Config) interface{} { return c.CaptureQueries },
	"instrumentation.database.raw_queries":     func(c *Config) interface{} { return c.RawQueries },
	"instrumentation.grpc.enabled":             func(c *Config) interface{} { return c.GRPCEnabled },
	"instrumentation.follow_goroutines":        func(c *Config) interface{} { return c.FollowGoroutines },
	"service.name":                             func(c *Config) interface{} { return c.ServiceName },
	"resource.attributes":                      func(c *Config) interface{} { return pairs(c.ResourceAttributes) },
	"export.endpoint":                          func(c *Config) interface{} { return c.Endpoint },
	"export.endpoint_is_full_url":              func(c *Config) interface{} { return c.EndpointIsFullURL },
	"export.protocol":                          func(c *Config) interface{} { return c.Protocol },
	"export.headers":                           func(c *Config) interface{} { return pairs(c.Headers) },
	"export.output":                            func(c *Config) interface{} { return c.OutputFile },
	"export.console":                           func(c *Config) interface{} { return c.Console },
	"export.exporters":                         func(c *Config) interface{} { return list(c.TracesExporters) },
	"export.prometheus":                        func(c *Config) interface{} { return c.PrometheusAddress },
	"sdk.disabled":                             func(c *Config) interface{} { return c.SDKDisabled },
	"metrics.enabled":                          func(c *Config) interface{} { return c.MetricsEnabled },
	"metrics.export_interval_ms":               func(c *Config) interface{} { return float64(c.MetricExportIntervalMs) },
	"metrics.endpoint":                         func(c *Config) interface{} { return c.MetricsEndpoint },
	"metrics.endpoint_is_full_url":             func(c *Config) interface{} { return c.MetricsEndpointIsFullURL },
	"metrics.exporters":                        func(c *Config) interface{} { return list(c.MetricsExporters) },
	"url.traces":                               func(c *Config) interface{} { return TracesURL(c) },
	"url.metrics":                              func(c *Config) interface{} { return MetricsURL(c) },
}

func loadVectors(t *testing.T) []vector {
	t.Helper()
	data, err := os.ReadFile(vectorsPath)
	if err != nil {
		t.Fatal(err)
	}
	// Unknown keys fail, as in the C++ test: a misspelt key is not ignored.
	decoder := json.NewDecoder(strings.NewReader(string(data)))
	decoder.DisallowUnknownFields()
	var vectors []vector
	if err := decoder.Decode(&vectors); err != nil {
		t.Fatalf("%s: %v", vectorsPath, err)
	}
	if len(vectors) == 0 {
		t.Fatalf("%s: no cases", vectorsPath)
	}
	return vectors
}

// run stacks the layers as Load does, with the file given as text.
func run(v vector) (Config, error) {
	c := Default()
	if v.YAML != nil {
		if err := ApplyYAML(&c, []byte(*v.YAML), "goinstr.yaml"); err != nil {
			return c, err
		}
	}
	if err := ApplyEnvironment(&c, v.Env); err != nil {
		return c, err
	}
	return c, Validate(&c)
}

func TestVectorsAreWellFormed(t *testing.T) {
	names := map[string]bool{}
	haveDefaults := false
	for _, v := range loadVectors(t) {
		if v.Name == "" || names[v.Name] {
			t.Errorf("case %q: empty or duplicate name", v.Name)
		}
		names[v.Name] = true
		n := 0
		for _, set := range []bool{v.Expect != nil, v.Error != nil, v.ErrorPrefix != nil} {
			if set {
				n++
			}
		}
		if n != 1 {
			t.Errorf("case %q: needs exactly one of expect, error, error_prefix", v.Name)
		}
		if v.Sources != nil && v.Expect == nil {
			t.Errorf("case %q: sources without expect", v.Name)
		}
		for key := range v.Expect {
			if fields[key] == nil {
				t.Errorf("case %q: unknown field %q", v.Name, key)
			}
		}
		if v.Name == "defaults" {
			haveDefaults = true
			for key := range fields {
				if _, ok := v.Expect[key]; !ok {
					t.Errorf("defaults lacks %q", key)
				}
			}
		}
	}
	if !haveDefaults {
		t.Error(`no case named "defaults"`)
	}
}

func TestVectors(t *testing.T) {
	defaults := Default()
	for _, v := range loadVectors(t) {
		c, err := run(v)
		switch {
		case v.Error != nil:
			if err == nil || err.Error() != *v.Error {
				t.Errorf("%s: error %v, want %q", v.Name, err, *v.Error)
			}
			continue
		case v.ErrorPrefix != nil:
			if err == nil || !strings.HasPrefix(err.Error(), *v.ErrorPrefix) {
				t.Errorf("%s: error %v, want one starting %q", v.Name, err, *v.ErrorPrefix)
			}
			continue
		case err != nil:
			t.Errorf("%s: %v", v.Name, err)
			continue
		}
		// Fields the case does not name must keep their defaults.
		for key, get := range fields {
			want := get(&defaults)
			if raw, ok := v.Expect[key]; ok {
				if err := json.Unmarshal(raw, &want); err != nil {
					t.Fatalf("%s: %s: %v", v.Name, key, err)
				}
			}
			if got := get(&c); !reflect.DeepEqual(normalize(got), normalize(want)) {
				t.Errorf("%s: %s = %v, want %v", v.Name, key, got, want)
			}
		}
		for key, want := range v.Sources {
			if got := SourceOf(&c, key); got != want {
				t.Errorf("%s: source of %s = %q, want %q", v.Name, key, got, want)
			}
		}
	}
}

// normalize round-trips a value through JSON, so []interface{} of strings
// and decoded arrays compare alike.
func normalize(value interface{}) interface{} {
	data, _ := json.Marshal(value)
	var out interface{}
	_ = json.Unmarshal(data, &out)
	return out
}
