// SPDX-License-Identifier: Apache-2.0

// Test helpers: a tracer whose sampled spans go through a real
// tracer.Processor into an in-memory exporter, installed in place of the
// package's tracer, and compact assertions on the recorded spans.

package rt

import (
	"sync"
	"testing"
	"time"

	"goinstr.dev/rt/internal/model"
	"goinstr.dev/rt/internal/tracer"
)

// memExporter keeps deep copies of what it is handed, so a span changed after
// its export cannot change what the test sees.
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

func (e *memExporter) taken() []model.Span {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]model.Span(nil), e.spans...)
}

func (e *memExporter) reset() {
	e.mu.Lock()
	e.spans = nil
	e.mu.Unlock()
}

// testTracer is the tracer the hooks use during one test.
type testTracer struct {
	t    testing.TB
	tr   *tracer.Tracer
	proc *tracer.Processor
	exp  *memExporter
}

// useTestTracer installs a tracer (parentbased_always_on unless a sampler is
// given) whose batches are exported only on Flush, and restores the previous
// tracer when the test ends.
func useTestTracer(t testing.TB, sampler ...tracer.Sampler) *testTracer {
	t.Helper()
	s := tracer.AlwaysOn()
	if len(sampler) > 0 {
		s = sampler[0]
	}
	exp := &memExporter{}
	proc := tracer.NewProcessor(tracer.BatchConfig{MaxQueue: 4096, MaxBatch: 4096, ScheduleDelay: time.Hour},
		[]tracer.Exporter{exp}, nil, nil)
	tt := &testTracer{t: t, tr: tracer.New(s, proc, nil), proc: proc, exp: exp}
	old := UseTracerForTests(tt.tr)
	t.Cleanup(func() { UseTracerForTests(old) })
	return tt
}

// spans flushes the processor and returns every span exported so far, in
// the order they ended.
func (tt *testTracer) spans() []model.Span {
	tt.t.Helper()
	if !tt.proc.Flush(5 * time.Second) {
		tt.t.Fatal("the processor did not flush within 5 s")
	}
	return tt.exp.taken()
}

// only returns the one span exported, failing otherwise.
func (tt *testTracer) only() model.Span {
	tt.t.Helper()
	spans := tt.spans()
	if len(spans) != 1 {
		tt.t.Fatalf("got %d spans, want 1: %+v", len(spans), spans)
	}
	return spans[0]
}

// reset forgets the spans exported so far.
func (tt *testTracer) reset() {
	tt.t.Helper()
	tt.spans()
	tt.exp.reset()
}

// attrValue is an attribute's value as a Go value: string, int64, bool or
// float64, so that expectations read like the attribute tables in the docs.
func attrValue(a model.Attr) interface{} {
	switch a.Kind {
	case model.ValueInt:
		return a.Int
	case model.ValueBool:
		return a.BoolValue()
	case model.ValueDouble:
		return a.Float
	}
	return a.Str
}

// attrMap turns attributes into key -> value; a repeated key fails the test
// (the hooks set each attribute once).
func attrMap(t testing.TB, attrs []model.Attr) map[string]interface{} {
	t.Helper()
	m := make(map[string]interface{}, len(attrs))
	for _, a := range attrs {
		if _, dup := m[a.Key]; dup {
			t.Errorf("attribute %s set twice", a.Key)
		}
		m[a.Key] = attrValue(a)
	}
	return m
}

// wantAttrs compares the span's attributes with want exactly (no more, no
// fewer, same types: integers are int64).
func wantAttrs(t testing.TB, s model.Span, want map[string]interface{}) {
	t.Helper()
	compareAttrs(t, "span "+s.Name, attrMap(t, s.Attrs), want)
}

func compareAttrs(t testing.TB, what string, got, want map[string]interface{}) {
	t.Helper()
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			t.Errorf("%s: missing attribute %s (want %#v)", what, k, w)
			continue
		}
		if g != w {
			t.Errorf("%s: %s = %#v, want %#v", what, k, g, w)
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: unexpected attribute %s = %#v", what, k, g)
		}
	}
}

func wantKind(t testing.TB, s model.Span, kind model.Kind) {
	t.Helper()
	if s.Kind != kind {
		t.Errorf("span %q: kind %d, want %d", s.Name, s.Kind, kind)
	}
}

// wantStatus checks the status code and message.
func wantStatus(t testing.TB, s model.Span, code model.StatusCode, msg string) {
	t.Helper()
	if s.Status != code || s.StatusMessage != msg {
		t.Errorf("span %q: status %d %q, want %d %q", s.Name, s.Status, s.StatusMessage, code, msg)
	}
}
