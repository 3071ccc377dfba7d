// SPDX-License-Identifier: Apache-2.0

// Tests of the exporter choice (newExporters) and of the console and
// export.output exporters; otlp_test.go sends to a collector.

package rt

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"goinstr.dev/rt/internal/config"
	"goinstr.dev/rt/internal/console"
	"goinstr.dev/rt/internal/model"
	"goinstr.dev/rt/internal/tracer"
)

// loadConfig is the configuration env gives; yaml, when not empty, is the
// GOINSTR_CONFIG file.
func loadConfig(t *testing.T, env map[string]string, yaml string) config.Config {
	t.Helper()
	if yaml != "" {
		path := filepath.Join(t.TempDir(), "goinstr.yaml")
		if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
			t.Fatal(err)
		}
		env[config.EnvConfigFile] = path
	}
	c, err := config.Load(env)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func exporterNames(exps []tracer.Exporter) string {
	var names []string
	for _, e := range exps {
		names = append(names, e.Name())
	}
	return strings.Join(names, ",")
}

func TestNewExporters(t *testing.T) {
	keepGlobals(t)
	dir := t.TempDir()
	cases := []struct {
		name    string
		env     map[string]string
		yaml    string
		want    string // exporter names
		message string // on stderr
	}{
		{"nothing configured: console", map[string]string{}, "", "console", ""},
		{"console asked for", map[string]string{"OTEL_TRACES_EXPORTER": "console"}, "", "console", ""},
		{"none", map[string]string{"OTEL_TRACES_EXPORTER": "none"}, "", "", ""},
		{"otlp and console", map[string]string{"OTEL_TRACES_EXPORTER": "otlp,console"}, "", "OTLP,console", ""},
		{"an endpoint: OTLP only",
			map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}, "", "OTLP", ""},
		{"an output file only", map[string]string{},
			"export:\n  output: " + filepath.Join(dir, "a.jsonl") + "\n", "export.output", ""},
		{"endpoint, output file and console",
			map[string]string{"OTEL_TRACES_EXPORTER": "otlp,console"},
			"export:\n  output: " + filepath.Join(dir, "b.jsonl") + "\n", "OTLP,export.output,console", ""},
		{"an output file that cannot be opened", map[string]string{},
			"export:\n  output: " + filepath.Join(dir, "missing", "c.jsonl") + "\n", "",
			"goinstr: export.output: open " + filepath.Join(dir, "missing", "c.jsonl") +
				": no such file or directory; spans are not written there\n"},
		{"grpc refused",
			map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4317", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"},
			"", "", "goinstr: export.protocol grpc is not built into the woven runtime (it would add gRPC to " +
				"every program); use http/protobuf. Spans are not sent over OTLP\n"},
		{"grpc for traces only refused",
			map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4317",
				"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "grpc", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf"},
			"", "", "goinstr: export.protocol grpc is not built into the woven runtime (it would add gRPC to " +
				"every program); use http/protobuf. Spans are not sent over OTLP\n"},
		{"http/protobuf for traces wins over grpc",
			map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318",
				"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "http/protobuf", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"},
			"", "OTLP", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			conf := loadConfig(t, c.env, c.yaml)
			exportTransport = nil
			var exps []tracer.Exporter
			out := captureStderr(t, func() { exps = newExporters(&conf) })
			if got := exporterNames(exps); got != c.want || out != c.message {
				t.Errorf("exporters %q, stderr %q; want %q, %q", got, out, c.want, c.message)
			}
			if strings.Contains(c.want, "OTLP") && exportTransport == nil {
				t.Error("the OTLP exporter does not send through exportTransport")
			}
			for _, e := range exps {
				if j, ok := e.(*jsonLinesExporter); ok {
					j.f.Close()
				}
			}
		})
	}
}

func testSpans() []*model.Span {
	s := &model.Span{Name: "GET /items/{id}", Kind: model.KindServer, StartNs: 1e18, EndNs: 1e18 + 5e6,
		Flags: model.FlagSampled, Attrs: []model.Attr{model.String("http.request.method", "GET")}}
	s.TraceID[0], s.SpanID[0] = 1, 2
	return []*model.Span{s}
}

func TestConsoleExporterWritesTheAgentsTreeToStderr(t *testing.T) {
	keepGlobals(t)
	resource = model.Resource{Attrs: []model.Attr{model.String("service.name", "shop")}}
	var err error
	out := captureStderr(t, func() { err = consoleExporter{}.Export(testSpans()) })
	if err != nil {
		t.Fatal(err)
	}
	if want := console.Render(&resource, testSpans()); out != want || !strings.Contains(out, "GET /items/{id}") {
		t.Errorf("stderr:\n%s\nwant:\n%s", out, want)
	}
}

func TestOutputFileExporterWritesOneLinePerBatch(t *testing.T) {
	keepGlobals(t)
	resource = model.Resource{Attrs: []model.Attr{model.String("service.name", "shop")}}
	path := filepath.Join(t.TempDir(), "spans.jsonl")
	c := loadConfig(t, map[string]string{}, "export:\n  output: "+path+"\n")
	exps := newExporters(&c)
	if len(exps) != 1 {
		t.Fatalf("exporters %q", exporterNames(exps))
	}
	defer exps[0].(*jsonLinesExporter).f.Close()
	for i := 0; i < 2; i++ {
		if err := exps[0].Export(testSpans()); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines:\n%s", len(lines), b)
	}
	for _, line := range lines {
		var req struct {
			ResourceSpans []struct {
				Resource struct {
					Attributes []struct {
						Key   string
						Value struct{ StringValue string }
					}
				}
				ScopeSpans []struct {
					Scope struct{ Name, Version string }
					Spans []struct {
						TraceID string `json:"traceId"`
						Name    string
					}
				}
			}
		}
		if err := json.Unmarshal([]byte(line), &req); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		rs := req.ResourceSpans[0]
		ss := rs.ScopeSpans[0]
		if rs.Resource.Attributes[0].Value.StringValue != "shop" || ss.Scope.Name != TracerName ||
			ss.Scope.Version != Version || ss.Spans[0].Name != "GET /items/{id}" ||
			ss.Spans[0].TraceID != "01000000000000000000000000000000" {
			t.Errorf("line %s", line)
		}
	}
}
