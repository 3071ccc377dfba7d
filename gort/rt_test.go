// SPDX-License-Identifier: Apache-2.0

// Tests of setup (configuration to pipeline), Flush and the rate-limited
// error reports.

package rt

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSetupDisabled(t *testing.T) {
	clearEnv(t)
	keepGlobals(t)
	t.Setenv("OTEL_SDK_DISABLED", "TRUE")
	tr = nil
	if setup() {
		t.Fatal("setup ran with OTEL_SDK_DISABLED=true")
	}
	if tr != nil || Tracer() != nil {
		t.Error("disabled setup left a tracer behind")
	}
	Flush() // no tracer: a no-op
	if _, s := StartFunc(context.Background(), "x"); s != nil {
		t.Error("a span while telemetry is off")
	}
}

func TestSetupConfigurationError(t *testing.T) {
	clearEnv(t)
	keepGlobals(t)
	tr = nil
	t.Setenv("OTEL_TRACES_EXPORTER", "zipkin")
	var ok bool
	out := captureStderr(t, func() { ok = setup() })
	if ok || tr != nil {
		t.Fatal("setup went on with a bad configuration")
	}
	want := "goinstr: OTEL_TRACES_EXPORTER: unsupported exporter 'zipkin' (expected otlp, console or none); " +
		"this program runs without telemetry\n"
	if out != want {
		t.Errorf("stderr %q, want %q", out, want)
	}
}

func TestSetupBadSampler(t *testing.T) {
	clearEnv(t)
	keepGlobals(t)
	t.Setenv("OTEL_TRACES_EXPORTER", "none")
	t.Setenv("OTEL_TRACES_SAMPLER", "sometimes")
	var ok bool
	out := captureStderr(t, func() { ok = setup() })
	if !ok || tr == nil {
		t.Fatal("a bad sampler must not turn telemetry off")
	}
	if !strings.Contains(out, "OTEL_TRACES_SAMPLER: 'sometimes' is not supported") ||
		!strings.HasSuffix(out, "; using parentbased_always_on\n") {
		t.Errorf("stderr %q", out)
	}
	if _, s := StartFunc(context.Background(), "x"); s == nil || s.span.Context().Flags&1 == 0 {
		t.Error("the default sampler does not sample")
	}
}

func TestSetupNoExporter(t *testing.T) {
	clearEnv(t)
	keepGlobals(t)
	t.Setenv("OTEL_TRACES_EXPORTER", "none")
	if !setup() {
		t.Fatal("setup refused")
	}
	if tr == nil || tr.Processor() != nil || rtMetrics != nil {
		t.Errorf("tracer %v, processor %v, metrics %v: want a tracer and nothing else", tr, tr.Processor(), rtMetrics)
	}
	_, s := StartFunc(context.Background(), "work")
	s.End(nil) // nowhere to go, and no crash
	if out := captureStderr(t, Flush); out != "" {
		t.Errorf("Flush said %q", out)
	}
}

// TestSetupFromFileAndFlush goes from a GOINSTR_CONFIG file to spans in the
// output file, as a woven program does.
func TestSetupFromFileAndFlush(t *testing.T) {
	clearEnv(t)
	keepGlobals(t)
	dir := t.TempDir()
	output := filepath.Join(dir, "spans.jsonl")
	yaml := "service:\n  name: from-file\ninstrumentation:\n  database:\n    capture_queries: true\n" +
		"export:\n  output: " + output + "\n"
	if err := os.WriteFile(filepath.Join(dir, "goinstr.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GOINSTR_CONFIG", filepath.Join(dir, "goinstr.yaml"))
	if !setup() {
		t.Fatal("setup refused")
	}
	if !cfg.CaptureQueries || cfg.RawQueries || serviceName() != "from-file" {
		t.Errorf("capture %v raw %v service %q", cfg.CaptureQueries, cfg.RawQueries, serviceName())
	}
	if tr.Processor() == nil {
		t.Fatal("no processor for export.output")
	}
	_, s := StartFunc(context.Background(), "main.work")
	s.End(nil)
	if b, _ := os.ReadFile(output); len(b) != 0 {
		t.Fatalf("written before Flush: %s", b)
	}
	Flush()
	b, err := os.ReadFile(output)
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n"); len(lines) != 1 ||
		!strings.Contains(lines[0], `"main.work"`) || !strings.Contains(lines[0], `"from-file"`) {
		t.Errorf("output file:\n%s", b)
	}
	Flush() // again: nothing more, no error
}

func TestFlushExportsQueuedSpans(t *testing.T) {
	tt := useTestTracer(t)
	_, s := StartFunc(context.Background(), "work")
	s.End(nil)
	if n := len(tt.exp.taken()); n != 0 {
		t.Fatalf("%d spans exported before Flush", n)
	}
	Flush()
	if n := len(tt.exp.taken()); n != 1 {
		t.Errorf("%d spans exported after Flush, want 1", n)
	}
}

func TestReporterLimited(t *testing.T) {
	var r reporter
	out := captureStderr(t, func() {
		r.limited("export error", errors.New("first"))
		r.limited("export error", errors.New("second"))
		r.limited("export error", errors.New("third"))
		r.last = r.last.Add(-errorReportInterval - time.Second) // 11 s later
		r.limited("export error", errors.New("fourth"))
		r.last = r.last.Add(-errorReportInterval - time.Second)
		r.limited("export error", errors.New("fifth"))
	})
	want := "goinstr: export error: first\n" +
		"goinstr: export error: fourth (2 more errors suppressed since the last report)\n" +
		"goinstr: export error: fifth\n"
	if out != want {
		t.Errorf("got:\n%s\nwant:\n%s", out, want)
	}
}
