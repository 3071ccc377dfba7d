// SPDX-License-Identifier: Apache-2.0

// Test fixture: goinstr's tracer with an in-memory exporter behind a real
// batch processor, the bridge installed over it, and the OpenTelemetry
// globals restored when the test ends. goinstr's hooks, which are unexported
// in package rt and called by the woven standard library, are pulled with
// go:linkname so the tests can drive them as net/http does.

package otelbridge

import (
	"net/http"
	"sync"
	"testing"
	"time"
	_ "unsafe" // go:linkname

	"go.opentelemetry.io/otel"

	rt "goinstr.dev/rt"
	"goinstr.dev/rt/internal/model"
	"goinstr.dev/rt/internal/tracer"
)

// The hooks the woven net/http calls (signatures as in goinstr.dev/rt's
// linkname.go; a mismatch is not caught by the linker, so keep them equal).
//
//go:linkname serveHTTPHook goinstr.dev/rt.serveHTTPHook
func serveHTTPHook(req *http.Request) (*http.Request, func(status int, recovered interface{}))

//go:linkname roundTripHook goinstr.dev/rt.roundTripHook
func roundTripHook(t *http.Transport, req *http.Request) (*http.Request, func(*http.Response, error))

// memExporter keeps deep copies of the spans it is handed.
type memExporter struct {
	mu    sync.Mutex
	spans []model.Span
}

func (e *memExporter) Name() string { return "memory" }

func (e *memExporter) Export(spans []*model.Span) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, s := range spans {
		c := *s
		c.Attrs = append([]model.Attr(nil), s.Attrs...)
		c.Events = append([]model.Event(nil), s.Events...)
		e.spans = append(e.spans, c)
	}
	return nil
}

type fixture struct {
	t    *testing.T
	proc *tracer.Processor
	exp  *memExporter
	b    *bridge
}

// keepOtelGlobals restores the global provider and propagator after the test.
func keepOtelGlobals(t *testing.T) {
	tp, prop := otel.GetTracerProvider(), otel.GetTextMapPropagator()
	t.Cleanup(func() {
		// Setting the current value again only logs a complaint.
		if otel.GetTracerProvider() != tp {
			otel.SetTracerProvider(tp)
		}
		if otel.GetTextMapPropagator() != prop {
			otel.SetTextMapPropagator(prop)
		}
	})
}

// installed sets goinstr's tracer up and installs the bridge, as the woven
// program's init does.
func installed(t *testing.T) *fixture {
	t.Helper()
	keepOtelGlobals(t)
	f := &fixture{t: t, exp: &memExporter{}}
	f.proc = tracer.NewProcessor(tracer.BatchConfig{ScheduleDelay: time.Hour}, []tracer.Exporter{f.exp}, nil, nil)
	old := rt.UseTracerForTests(tracer.New(tracer.AlwaysOn(), f.proc, nil))
	t.Cleanup(func() { rt.UseTracerForTests(old) })
	if !install() {
		t.Fatal("install refused with telemetry on")
	}
	p, ok := otel.GetTracerProvider().(*provider)
	if !ok {
		t.Fatalf("the global provider is %T, not goinstr's", otel.GetTracerProvider())
	}
	f.b = p.b
	return f
}

// spans flushes goinstr's processor and returns what it exported.
func (f *fixture) spans() []model.Span {
	f.t.Helper()
	if !f.proc.Flush(5 * time.Second) {
		f.t.Fatal("no flush within 5 s")
	}
	f.exp.mu.Lock()
	defer f.exp.mu.Unlock()
	return append([]model.Span(nil), f.exp.spans...)
}

// byName finds the span called name, failing when there is none.
func byName(t *testing.T, spans []model.Span, name string) model.Span {
	t.Helper()
	for _, s := range spans {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no span %q in %+v", name, spans)
	return model.Span{}
}

func attrMap(attrs []model.Attr) map[string]interface{} {
	m := map[string]interface{}{}
	for _, a := range attrs {
		switch a.Kind {
		case model.ValueInt:
			m[a.Key] = a.Int
		case model.ValueBool:
			m[a.Key] = a.BoolValue()
		case model.ValueDouble:
			m[a.Key] = a.Float
		default:
			m[a.Key] = a.Str
		}
	}
	return m
}
