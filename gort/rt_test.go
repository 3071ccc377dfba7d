// SPDX-License-Identifier: Apache-2.0

// Tests of the SDK setup: exporter choice from the environment, resource,
// OTEL_SDK_DISABLED, Flush and the rate-limited error handler.

package rt

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

func clearOTelEnv(t *testing.T) {
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "OTEL_") || strings.HasPrefix(name, "GOINSTR_") {
			t.Setenv(name, "")
		}
	}
}

func TestExportersFromEnv(t *testing.T) {
	clearOTelEnv(t)
	oldTransport := exportTransport
	defer func() { exportTransport = oldTransport }()

	cases := []struct {
		env     map[string]string
		n       int
		message string
	}{
		{map[string]string{}, 1, ""}, // otlp over http/protobuf by default
		{map[string]string{"OTEL_TRACES_EXPORTER": "console"}, 1, ""},
		{map[string]string{"OTEL_TRACES_EXPORTER": "none"}, 0, ""},
		{map[string]string{"OTEL_TRACES_EXPORTER": "otlp,console"}, 2, ""},
		{map[string]string{"OTEL_TRACES_EXPORTER": "zipkin"}, 0,
			"goinstr: OTEL_TRACES_EXPORTER=zipkin is not supported (otlp, console, none); spans are not exported\n"},
		{map[string]string{"OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"}, 0,
			"goinstr: OTEL_EXPORTER_OTLP_PROTOCOL=grpc is not built into the woven runtime; use http/protobuf\n"},
		{map[string]string{"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "grpc", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf"}, 0,
			"goinstr: OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=grpc is not built into the woven runtime; use http/protobuf\n"},
		{map[string]string{"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "http/protobuf", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"}, 1, ""},
	}
	for _, c := range cases {
		for _, k := range []string{"OTEL_TRACES_EXPORTER", "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"} {
			t.Setenv(k, c.env[k])
		}
		exportTransport = nil
		var w bytes.Buffer
		exps := exportersFromEnv(&w)
		if len(exps) != c.n || w.String() != c.message {
			t.Errorf("%v: %d exporters, message %q; want %d, %q", c.env, len(exps), w.String(), c.n, c.message)
		}
		if c.n > 0 && c.env["OTEL_TRACES_EXPORTER"] != "console" && exportTransport == nil {
			t.Errorf("%v: the OTLP exporter does not send through exportTransport", c.env)
		}
		for _, e := range exps {
			_ = e.Shutdown(context.Background())
		}
	}
}

func TestExportTimeoutAndTLSFromEnv(t *testing.T) {
	clearOTelEnv(t)
	if exportTimeout() != 10*time.Second {
		t.Errorf("default timeout %v", exportTimeout())
	}
	t.Setenv("OTEL_EXPORTER_OTLP_TIMEOUT", "2500")
	if exportTimeout() != 2500*time.Millisecond {
		t.Errorf("timeout %v", exportTimeout())
	}
	t.Setenv("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "700")
	if exportTimeout() != 700*time.Millisecond {
		t.Errorf("traces timeout %v", exportTimeout())
	}
	if cfg, err := exportTLSConfig(); cfg != nil || err != nil {
		t.Errorf("TLS config without variables: %v %v", cfg, err)
	}
	t.Setenv("OTEL_EXPORTER_OTLP_CERTIFICATE", filepath.Join(t.TempDir(), "missing.pem"))
	if _, err := exportTLSConfig(); err == nil {
		t.Error("a missing CA file must be reported")
	}
	var w bytes.Buffer
	if tr := newExportTransport(&w); tr == nil || !strings.Contains(w.String(), "TLS settings") {
		t.Errorf("transport %v, message %q", tr, w.String())
	}
}

func TestResource(t *testing.T) {
	clearOTelEnv(t)
	get := func() map[string]string {
		m := map[string]string{}
		for _, kv := range newResource().Attributes() {
			m[string(kv.Key)] = kv.Value.Emit()
		}
		return m
	}
	r := get()
	if r["service.name"] != filepath.Base(os.Args[0]) || r["telemetry.distro.name"] != "goinstr" ||
		r["telemetry.distro.version"] != Version || r["telemetry.sdk.language"] != "go" || r["process.pid"] == "" {
		t.Errorf("resource %v", r)
	}
	t.Setenv("OTEL_RESOURCE_ATTRIBUTES", "service.name=from-attrs,deployment.environment.name=test")
	if got := serviceName(); got != "from-attrs" {
		t.Errorf("service name %q", got)
	}
	t.Setenv("OTEL_SERVICE_NAME", "checkout")
	if got := get()["service.name"]; got != "checkout" {
		t.Errorf("service name %q", got)
	}
}

func TestSetupDisabled(t *testing.T) {
	clearOTelEnv(t)
	t.Setenv("OTEL_SDK_DISABLED", "TRUE")
	oldP, oldT := provider, tracer
	defer func() { provider, tracer = oldP, oldT }()
	provider, tracer = nil, nil
	if setup() {
		t.Fatal("setup ran with OTEL_SDK_DISABLED=true")
	}
	if provider != nil || tracer != nil {
		t.Error("disabled setup left a provider behind")
	}
	Flush() // no provider: a no-op
}

func TestSetupAndFlush(t *testing.T) {
	clearOTelEnv(t)
	t.Setenv("OTEL_TRACES_EXPORTER", "none")
	oldP, oldT := provider, tracer
	oldGlobal, oldProp := otel.GetTracerProvider(), otel.GetTextMapPropagator()
	defer func() {
		provider, tracer = oldP, oldT
		otel.SetTracerProvider(oldGlobal)
		otel.SetTextMapPropagator(oldProp)
	}()
	if !setup() {
		t.Fatal("setup refused")
	}
	if otel.GetTracerProvider() != provider {
		t.Error("provider not global")
	}
	if f := otel.GetTextMapPropagator().Fields(); len(f) != 3 { // traceparent, tracestate, baggage
		t.Errorf("propagator fields %v", f)
	}

	// Flush pushes ended spans through a batching processor.
	exp := tracetest.NewInMemoryExporter()
	provider.RegisterSpanProcessor(sdktrace.NewBatchSpanProcessor(exp, sdktrace.WithBatchTimeout(time.Hour)))
	_, s := StartFunc(context.Background(), "work")
	s.End(nil)
	if n := len(exp.GetSpans()); n != 0 {
		t.Fatalf("%d spans exported before Flush", n)
	}
	Flush()
	if n := len(exp.GetSpans()); n != 1 {
		t.Errorf("%d spans exported after Flush, want 1", n)
	}
	_ = provider.Shutdown(context.Background())
}

func TestErrorHandlerRateLimit(t *testing.T) {
	var w bytes.Buffer
	h := newErrorHandler(&w)
	now := time.Unix(1000, 0)
	h.now = func() time.Time { return now }

	h.Handle(errors.New("first"))
	h.Handle(errors.New("second"))
	h.Handle(errors.New("third"))
	now = now.Add(11 * time.Second)
	h.Handle(errors.New("fourth"))
	now = now.Add(11 * time.Second)
	h.Handle(errors.New("fifth"))
	h.Handle(nil)

	want := "goinstr: export error: first\n" +
		"goinstr: export error: fourth (2 more errors suppressed since the last report)\n" +
		"goinstr: export error: fifth\n"
	if w.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", w.String(), want)
	}
}

func TestExportTransportIsNotTraced(t *testing.T) {
	// The client hook recognises the exporter's transport by identity.
	exp, _ := useTestTracer(t)
	old := exportTransport
	defer func() { exportTransport = old }()
	var w bytes.Buffer
	exportTransport = newExportTransport(&w)
	req, _ := http.NewRequest("POST", "http://localhost:4318/v1/traces", nil)
	roundTripHook(exportTransport, req)
	if len(exp.GetSpans()) != 0 {
		t.Error("exporter request traced")
	}
}
