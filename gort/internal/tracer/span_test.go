// SPDX-License-Identifier: Apache-2.0

// Span methods: a nil span does nothing, attributes, status, events, start,
// and the allocations of a span's life on the request's path.

package tracer

import (
	"context"
	"testing"
	"time"

	"goinstr.dev/rt/internal/model"
)

func TestNilSpan(t *testing.T) {
	var s *Span
	if s.Context() != (model.SpanContext{}) || s.IsRecording() || s.External() != nil {
		t.Error("a nil span has a context, records or forwards")
	}
	s.SetName("x")
	s.Add(model.String("k", "v"))
	s.Set(model.String("k", "v"))
	s.SetError("e")
	s.SetStatus(model.StatusError, "e")
	s.AddEvent(model.Event{Name: "e"})
	s.SetStart(1)
	s.End()
	s.EndAt(1)
}

func TestSpanAttributes(t *testing.T) {
	tr := New(AlwaysOn(), nil, nil)
	_, s := tr.Start(context.Background(), "x", model.KindInternal)
	s.Add(model.String("a", "1"), model.Int("b", 2))
	s.Set(model.Int("b", 3))     // replaces
	s.Set(model.Bool("c", true)) // appends
	s.Add(model.String("a", "again"))
	want := []model.Attr{model.String("a", "1"), model.Int("b", 3), model.Bool("c", true), model.String("a", "again")}
	if len(s.D.Attrs) != len(want) {
		t.Fatalf("attrs %+v, want %+v", s.D.Attrs, want)
	}
	for i := range want {
		if s.D.Attrs[i] != want[i] {
			t.Errorf("attr %d: %+v, want %+v", i, s.D.Attrs[i], want[i])
		}
	}
	// Past the inline buffer nothing is lost.
	for i := 0; i < 3*inlineAttrs; i++ {
		s.Add(model.Int("n", int64(i)))
	}
	if n := len(s.D.Attrs); n != len(want)+3*inlineAttrs || s.D.Attrs[n-1].Int != 3*inlineAttrs-1 ||
		s.D.Attrs[0] != want[0] {
		t.Errorf("after many Adds: %d attrs", n)
	}
	s.SetName("renamed")
	if s.D.Name != "renamed" {
		t.Error("SetName")
	}
}

func TestSpanStatus(t *testing.T) {
	tr := New(AlwaysOn(), nil, nil)
	_, s := tr.Start(context.Background(), "x", model.KindInternal)
	for _, c := range []struct {
		code model.StatusCode
		msg  string
		want string
	}{
		{model.StatusError, "boom", "boom"},
		{model.StatusOK, "ignored", ""},
		{model.StatusUnset, "ignored", ""},
	} {
		s.SetStatus(c.code, c.msg)
		if s.D.Status != c.code || s.D.StatusMessage != c.want {
			t.Errorf("SetStatus(%d, %q): %d %q", c.code, c.msg, s.D.Status, s.D.StatusMessage)
		}
	}
	s.SetError("connection refused")
	if s.D.Status != model.StatusError || s.D.StatusMessage != "connection refused" {
		t.Errorf("SetError: %d %q", s.D.Status, s.D.StatusMessage)
	}
}

func TestSpanEventsAndStart(t *testing.T) {
	tr := New(AlwaysOn(), nil, nil)
	_, s := tr.Start(context.Background(), "x", model.KindInternal)
	before := time.Now().UnixNano()
	s.AddEvent(model.Event{Name: "now", Attrs: []model.Attr{model.String("k", "v")}})
	after := time.Now().UnixNano()
	s.AddEvent(model.Event{Name: "then", TimeNs: 42})
	if len(s.D.Events) != 2 || s.D.Events[0].TimeNs < before || s.D.Events[0].TimeNs > after ||
		s.D.Events[1].TimeNs != 42 || s.D.Events[0].Attrs[0].Str != "v" {
		t.Errorf("events %+v", s.D.Events)
	}
	start := s.D.StartNs
	s.SetStart(0)
	s.SetStart(-5)
	if s.D.StartNs != start {
		t.Error("SetStart took a time that is not positive")
	}
	s.SetStart(1000)
	if s.D.StartNs != 1000 {
		t.Error("SetStart did not move the start")
	}
}

// What a server span costs in allocations: the span (attributes inline) and
// the context carrying it; ending it and queueing it cost nothing more.
func TestSpanAllocations(t *testing.T) {
	proc := NewProcessor(BatchConfig{MaxQueue: 1 << 20, MaxBatch: 1 << 20, ScheduleDelay: time.Hour},
		[]Exporter{discard{}}, nil, nil)
	tr := New(AlwaysOn(), proc, func(*model.Span) {})
	parent, _ := ParseTraceparent(specHeader)
	attrs := make([]model.Attr, inlineAttrs)
	for i := range attrs {
		attrs[i] = model.Int("k", int64(i))
	}
	ctx := context.Background()
	proc.Enqueue(&model.Span{}) // the processor's goroutine starts outside the count
	n := testing.AllocsPerRun(1000, func() {
		_, s := tr.StartWithParent(ctx, parent, "GET /", model.KindServer)
		s.Add(attrs...)
		s.End()
	})
	if n > 2 {
		t.Errorf("a span with %d attributes costs %v allocations, want at most 2", inlineAttrs, n)
	}
}
