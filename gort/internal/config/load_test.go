// SPDX-License-Identifier: Apache-2.0

// Go-only tests of what the shared vectors cannot express: GOINSTR_CONFIG
// and reading the file, Environ, and yaml.v3's own wording.

package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "goinstr.yaml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadWithoutConfigFile(t *testing.T) {
	for _, env := range []map[string]string{nil, {EnvConfigFile: ""}, {EnvConfigFile: "  "}} {
		c, err := Load(env)
		if err != nil {
			t.Fatalf("%v: %v", env, err)
		}
		if !c.Console || c.Endpoint != "" || SourceOf(&c, "service.name") != "default" {
			t.Errorf("%v: not the defaults: %+v", env, c)
		}
	}
}

func TestLoadReadsTheFileThenTheEnvironment(t *testing.T) {
	path := writeFile(t, "service:\n  name: from-file\nexport:\n  endpoint: http://file:4318\n  output: f.jsonl\n")
	c, err := Load(map[string]string{EnvConfigFile: path, "OTEL_SERVICE_NAME": "from-env"})
	if err != nil {
		t.Fatal(err)
	}
	if c.ServiceName != "from-env" || c.Endpoint != "http://file:4318" || c.OutputFile != "f.jsonl" {
		t.Errorf("layers not stacked: %+v", c)
	}
	if got, want := SourceOf(&c, "export.endpoint"), "file "+path+":4"; got != want {
		t.Errorf("source %q, want %q", got, want)
	}
	if got := TracesURL(&c); got != "http://file:4318/v1/traces" {
		t.Errorf("TracesURL = %q", got)
	}
}

func TestLoadErrorsCarryThePath(t *testing.T) {
	path := writeFile(t, "instrumentation:\n  http:\n    enable: true\n")
	_, err := Load(map[string]string{EnvConfigFile: path})
	want := path + ":3: instrumentation.http.enable: unknown key (did you mean 'enabled'?)"
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
	// Validate runs last: a host:port endpoint is checked once the protocol is final.
	path = writeFile(t, "export:\n  endpoint: collector:4317\n")
	_, err = Load(map[string]string{EnvConfigFile: path})
	want = path + ":2: export.endpoint: 'collector:4317' needs http:// or https:// with protocol http/protobuf (host:port is for grpc)"
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
	if _, err := Load(map[string]string{EnvConfigFile: path, "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"}); err != nil {
		t.Errorf("grpc from the environment: %v", err)
	}
	_, err = Load(map[string]string{EnvConfigFile: path, "OTEL_EXPORTER_OTLP_PROTOCOL": "udp"})
	want = "OTEL_EXPORTER_OTLP_PROTOCOL: unknown protocol 'udp' (expected http/protobuf or grpc)"
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
}

func TestLoadUnreadableFile(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.yaml")
	cases := map[string]string{
		missing: "cannot read config file " + missing + ": No such file or directory",
		dir:     "cannot read config file " + dir + ": Is a directory",
	}
	if os.Geteuid() != 0 { // root reads anything
		locked := writeFile(t, "service:\n  name: x\n")
		if err := os.Chmod(locked, 0); err != nil {
			t.Fatal(err)
		}
		cases[locked] = "cannot read config file " + locked + ": Permission denied"
	}
	for path, want := range cases {
		_, err := Load(map[string]string{EnvConfigFile: path})
		if err == nil || err.Error() != want {
			t.Errorf("error %v, want %q", err, want)
		}
	}
}

func TestEnviron(t *testing.T) {
	t.Setenv("GOINSTR_CONFIG_TEST", "a=b")
	t.Setenv("GOINSTR_CONFIG_EMPTY", "")
	env := Environ()
	if got, ok := env["GOINSTR_CONFIG_TEST"]; !ok || got != "a=b" {
		t.Errorf("GOINSTR_CONFIG_TEST = %q, %v", got, ok)
	}
	if got, ok := env["GOINSTR_CONFIG_EMPTY"]; !ok || got != "" {
		t.Errorf("GOINSTR_CONFIG_EMPTY = %q, %v", got, ok)
	}
}

// The vectors only pin the "file:line: invalid YAML: " prefix; these pin
// yaml.v3's reasons, and the cases where it and yaml-cpp disagree.
func TestInvalidYAMLMessages(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"service:\n  name: a: b\n", "goinstr.yaml:2: invalid YAML: mapping values are not allowed in this context"},
		// yaml.v3 leaves the line out on line 1.
		{"a: b: c\n", "goinstr.yaml:1: invalid YAML: mapping values are not allowed in this context"},
		// No line from yaml.v3 either; found from the alias.
		{"b: 1\n\nc: *x\n", "goinstr.yaml:3: invalid YAML: unknown anchor 'x' referenced"},
		// yaml-cpp says line 4 (the end of the text), yaml.v3 the line of '['.
		{"service:\n  name: demo\nexport: [1,\n", "goinstr.yaml:3: invalid YAML: did not find expected node content"},
		// yaml-cpp reads this as two documents ("expected one YAML document, found 2").
		{"- a\nb: c\n", "goinstr.yaml:1: invalid YAML: did not find expected '-' indicator"},
	} {
		c := Default()
		err := ApplyYAML(&c, []byte(tc.text), "goinstr.yaml")
		if err == nil || err.Error() != tc.want {
			t.Errorf("%q: error %v, want %q", tc.text, err, tc.want)
		}
	}
}

// A Config not made by Default has no Sources map; the layers make one.
func TestZeroConfigGetsSources(t *testing.T) {
	var c Config
	if err := ApplyYAML(&c, []byte("service:\n  name: x\n"), "f.yaml"); err != nil {
		t.Fatal(err)
	}
	if err := ApplyEnvironment(&c, map[string]string{"OTEL_SDK_DISABLED": "true"}); err != nil {
		t.Fatal(err)
	}
	if SourceOf(&c, "service.name") != "file f.yaml:2" || SourceOf(&c, "sdk.disabled") != "env OTEL_SDK_DISABLED" {
		t.Errorf("sources %v", c.Sources)
	}
}

func TestDefaultSourcesAreNotShared(t *testing.T) {
	a, b := Default(), Default()
	a.Sources["x"] = "y"
	if _, ok := b.Sources["x"]; ok || strings.Contains(SourceOf(&b, "x"), "y") {
		t.Error("Default() returns a shared Sources map")
	}
}

// The shipped example, which the agent's tests load too, must keep loading.
func TestShippedExampleLoads(t *testing.T) {
	c, err := Load(map[string]string{EnvConfigFile: "../../../examples/goinstr.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	if c.ServiceName != "demo" || c.Endpoint != "http://localhost:4318" || c.Console ||
		len(c.Headers) != 1 || c.Headers[0] != [2]string{"authorization", "Bearer change-me"} ||
		MetricsURL(&c) != "http://localhost:4318/v1/metrics" || c.PrometheusAddress != "" {
		t.Errorf("got %+v", c)
	}
}
