// SPDX-License-Identifier: Apache-2.0

// Test helpers: an in-memory tracer installed in place of the package tracer,
// and compact assertions on recorded spans.

package rt

import (
	"testing"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

// useTestTracer points the hooks at a tracer whose spans land synchronously
// in the returned in-memory exporter, and installs the W3C propagators.
func useTestTracer(t *testing.T, opts ...sdktrace.TracerProviderOption) (*tracetest.InMemoryExporter, *sdktrace.TracerProvider) {
	t.Helper()
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(append([]sdktrace.TracerProviderOption{sdktrace.WithSyncer(exp)}, opts...)...)
	oldTracer, oldProp := tracer, otel.GetTextMapPropagator()
	tracer = tp.Tracer(TracerName)
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(
		propagation.TraceContext{}, propagation.Baggage{}))
	t.Cleanup(func() {
		tracer = oldTracer
		otel.SetTextMapPropagator(oldProp)
		_ = tp.Shutdown(t.Context())
	})
	return exp, tp
}

// onlySpan returns the one span recorded, failing otherwise.
func onlySpan(t *testing.T, exp *tracetest.InMemoryExporter) tracetest.SpanStub {
	t.Helper()
	spans := exp.GetSpans()
	if len(spans) != 1 {
		t.Fatalf("got %d spans, want 1: %+v", len(spans), spans)
	}
	return spans[0]
}

// attrMap turns attributes into key -> value for comparison; a repeated key
// fails the test (each attribute must be set once).
func attrMap(t *testing.T, attrs []attribute.KeyValue) map[string]any {
	t.Helper()
	m := make(map[string]any, len(attrs))
	for _, kv := range attrs {
		k := string(kv.Key)
		if _, dup := m[k]; dup {
			t.Errorf("attribute %s set twice", k)
		}
		m[k] = kv.Value.AsInterface()
	}
	return m
}

// wantAttrs compares the span's attributes with want exactly (no more, no
// fewer). Integers in want are int64, as attribute.Int records them.
func wantAttrs(t *testing.T, s tracetest.SpanStub, want map[string]any) {
	t.Helper()
	got := attrMap(t, s.Attributes)
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			t.Errorf("span %q: missing attribute %s (want %v)", s.Name, k, w)
			continue
		}
		if g != w {
			t.Errorf("span %q: %s = %#v, want %#v", s.Name, k, g, w)
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("span %q: unexpected attribute %s = %#v", s.Name, k, g)
		}
	}
}

func wantKind(t *testing.T, s tracetest.SpanStub, kind trace.SpanKind) {
	t.Helper()
	if s.SpanKind != kind {
		t.Errorf("span %q: kind %v, want %v", s.Name, s.SpanKind, kind)
	}
}

// useTestTracerB is useTestTracer for benchmarks: spans are dropped, so only
// the hook's own cost is measured.
func useTestTracerB(b *testing.B) (*tracetest.NoopExporter, *sdktrace.TracerProvider) {
	exp := tracetest.NewNoopExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	old := tracer
	tracer = tp.Tracer(TracerName)
	b.Cleanup(func() { tracer = old })
	return exp, tp
}
