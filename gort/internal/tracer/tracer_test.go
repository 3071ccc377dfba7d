// SPDX-License-Identifier: Apache-2.0

// The tracer without a bridge: roots, children through context.Context,
// remote parents with trace state, sampling, and where ended spans go.

package tracer

import (
	"context"
	"sync"
	"testing"
	"time"

	"goinstr.dev/rt/internal/model"
)

// measured records the spans a tracer's measure function gets.
type measured struct {
	mu    sync.Mutex
	spans []*model.Span
}

func (m *measured) measure(s *model.Span) {
	m.mu.Lock()
	m.spans = append(m.spans, s)
	m.mu.Unlock()
}

func (m *measured) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.spans)
}

func testProcessor() (*Processor, *recorder) {
	r := newRecorder("r")
	return NewProcessor(BatchConfig{MaxQueue: 1000, MaxBatch: 1000, ScheduleDelay: time.Hour},
		[]Exporter{r}, nil, nil), r
}

func TestStartRoot(t *testing.T) {
	proc, _ := testProcessor()
	tr := New(AlwaysOn(), proc, nil)
	if tr.Processor() != proc || New(AlwaysOn(), nil, nil).Processor() != nil {
		t.Error("Processor() is not the processor New was given")
	}
	before := time.Now().UnixNano()
	ctx, s := tr.Start(context.Background(), "GET /items", model.KindServer)
	after := time.Now().UnixNano()
	d := s.D
	if !d.TraceID.IsValid() || !d.SpanID.IsValid() || d.ParentSpanID.IsValid() || d.ParentRemote {
		t.Errorf("a root span has ids %x %x parent %x remote=%v", d.TraceID, d.SpanID, d.ParentSpanID, d.ParentRemote)
	}
	if d.Name != "GET /items" || d.Kind != model.KindServer || d.Flags != model.FlagSampled || d.TraceState != "" {
		t.Errorf("got %+v", d)
	}
	if d.StartNs < before || d.StartNs > after || d.EndNs != 0 {
		t.Errorf("start %d not in [%d, %d], or end %d set", d.StartNs, before, after, d.EndNs)
	}
	if !s.IsRecording() || s.External() != nil {
		t.Error("a span goinstr records is not recording, or has an external span")
	}
	if SpanFrom(ctx) != s {
		t.Error("the returned context does not carry the span")
	}
	if sc, ok := tr.ParentFrom(ctx); !ok || sc != s.Context() {
		t.Errorf("ParentFrom = %+v, %v; want %+v", sc, ok, s.Context())
	}
	if tr.Started() != 1 {
		t.Errorf("Started() = %d, want 1", tr.Started())
	}
	// Two roots are two traces.
	_, s2 := tr.Start(context.Background(), "GET /items", model.KindServer)
	if s2.D.TraceID == d.TraceID || s2.D.SpanID == d.SpanID || tr.Started() != 2 {
		t.Error("two root spans share an id, or Started() did not count")
	}
}

func TestStartNilContext(t *testing.T) {
	tr := New(AlwaysOn(), nil, nil)
	ctx, s := tr.Start(nil, "x", model.KindInternal)
	if ctx == nil || SpanFrom(ctx) != s || s.D.ParentSpanID.IsValid() {
		t.Error("Start(nil) gave no usable context or not a root")
	}
	ctx, s = tr.StartWithParent(nil, model.SpanContext{}, "y", model.KindInternal)
	if ctx == nil || SpanFrom(ctx) != s {
		t.Error("StartWithParent(nil) gave no usable context")
	}
}

func TestStartChildFromContext(t *testing.T) {
	tr := New(AlwaysOn(), nil, nil)
	ctx, root := tr.Start(context.Background(), "root", model.KindServer)
	ctx2, child := tr.Start(ctx, "child", model.KindClient)
	_, grandchild := tr.Start(ctx2, "grandchild", model.KindInternal)
	_, sibling := tr.Start(ctx, "sibling", model.KindInternal)
	for _, c := range []struct{ s, parent *Span }{{child, root}, {grandchild, child}, {sibling, root}} {
		if c.s.D.TraceID != root.D.TraceID || c.s.D.ParentSpanID != c.parent.D.SpanID || c.s.D.ParentRemote {
			t.Errorf("%s: trace %x parent %x remote=%v; want trace %x parent %x (%s), local", c.s.D.Name,
				c.s.D.TraceID, c.s.D.ParentSpanID, c.s.D.ParentRemote, root.D.TraceID, c.parent.D.SpanID, c.parent.D.Name)
		}
		if c.s.D.SpanID == c.parent.D.SpanID {
			t.Errorf("%s has its parent's span id", c.s.D.Name)
		}
	}
	if SpanFrom(ctx) != root || SpanFrom(ctx2) != child {
		t.Error("a child's context changed its parent's")
	}
}

func TestStartWithRemoteParent(t *testing.T) {
	proc, rec := testProcessor()
	tr := New(AlwaysOn(), proc, nil)
	parent, ok := ParseTraceparent(specHeader)
	if !ok {
		t.Fatal("spec header rejected")
	}
	parent.TraceState = "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7"
	ctx, s := tr.StartWithParent(context.Background(), parent, "GET /", model.KindServer)
	d := s.D
	if d.TraceID != wantTraceID || d.ParentSpanID != wantSpanID || !d.ParentRemote || d.SpanID == wantSpanID ||
		!d.SpanID.IsValid() {
		t.Errorf("trace %x parent %x remote=%v span %x", d.TraceID, d.ParentSpanID, d.ParentRemote, d.SpanID)
	}
	if d.TraceState != parent.TraceState || d.Flags != model.FlagSampled {
		t.Errorf("trace state %q flags %x; want %q, sampled", d.TraceState, d.Flags, parent.TraceState)
	}
	// The span's own context is local, and carries the trace state on.
	sc := s.Context()
	if sc.Remote || sc.TraceState != parent.TraceState || sc.TraceID != wantTraceID || sc.SpanID != d.SpanID {
		t.Errorf("Context() = %+v", sc)
	}
	_, child := tr.Start(ctx, "SELECT", model.KindClient)
	if child.D.ParentRemote || child.D.ParentSpanID != d.SpanID || child.D.TraceState != parent.TraceState {
		t.Errorf("child: parent %x remote=%v state %q", child.D.ParentSpanID, child.D.ParentRemote, child.D.TraceState)
	}
	// Outgoing: the child's traceparent names the trace and the child.
	out, ok := ParseTraceparent(FormatTraceparent(child.Context()))
	if !ok || out.TraceID != wantTraceID || out.SpanID != child.D.SpanID || out.Flags != model.FlagSampled {
		t.Errorf("outgoing traceparent %s", FormatTraceparent(child.Context()))
	}
	child.End()
	s.End()
	if !proc.Flush(waitLong) {
		t.Fatal("Flush timed out")
	}
	checkSameSpans(t, rec.spans(), []*model.Span{&child.D, &s.D})

	// An unsampled parent: the default sampler follows it.
	parent.Flags = 0
	_, u := tr.StartWithParent(context.Background(), parent, "GET /", model.KindServer)
	if u.D.Flags&model.FlagSampled != 0 || !u.IsRecording() {
		t.Errorf("child of an unsampled parent: flags %x recording=%v", u.D.Flags, u.IsRecording())
	}
}

// StartWithParent's parent wins over the context's span; an invalid one
// starts a new trace.
func TestStartWithParentIgnoresContext(t *testing.T) {
	tr := New(AlwaysOn(), nil, nil)
	ctx, outer := tr.Start(context.Background(), "outer", model.KindInternal)
	_, s := tr.StartWithParent(ctx, model.SpanContext{}, "new", model.KindServer)
	if s.D.TraceID == outer.D.TraceID || s.D.ParentSpanID.IsValid() {
		t.Error("an invalid parent did not start a new trace")
	}
	remote, _ := ParseTraceparent(specHeader)
	_, s = tr.StartWithParent(ctx, remote, "remote", model.KindServer)
	if s.D.TraceID != wantTraceID || s.D.ParentSpanID != wantSpanID {
		t.Error("the given parent lost to the context's span")
	}
}

func TestContextWithoutBridge(t *testing.T) {
	tr := New(AlwaysOn(), nil, nil)
	if SpanFrom(nil) != nil {
		t.Error("SpanFrom(nil) is not nil")
	}
	if _, ok := tr.ParentFrom(nil); ok {
		t.Error("ParentFrom(nil) found a parent")
	}
	bg := context.Background()
	if SpanFrom(bg) != nil {
		t.Error("SpanFrom(Background) is not nil")
	}
	if _, ok := tr.ParentFrom(bg); ok {
		t.Error("ParentFrom(Background) found a parent")
	}
	// A nil span in the context is no parent.
	ctx := tr.ContextWith(bg, nil)
	if _, ok := tr.ParentFrom(ctx); ok || SpanFrom(ctx) != nil {
		t.Error("a nil span is a parent")
	}
	_, s := tr.Start(bg, "s", model.KindInternal)
	s.D.TraceState = "k=v"
	ctx = tr.ContextWith(bg, s)
	if SpanFrom(ctx) != s {
		t.Error("SpanFrom does not find the span ContextWith put")
	}
	if sc, ok := tr.ParentFrom(ctx); !ok || sc != s.Context() || sc.TraceState != "k=v" {
		t.Errorf("ParentFrom = %+v, %v", sc, ok)
	}
	// Another tracer without a bridge reads the same context.
	if sc, ok := New(AlwaysOn(), nil, nil).ParentFrom(ctx); !ok || sc.SpanID != s.D.SpanID {
		t.Error("a second tracer does not see the span")
	}
	// A context derived from it still carries it; one that replaces it does not.
	type other struct{}
	if SpanFrom(context.WithValue(ctx, other{}, 1)) != s {
		t.Error("a derived context lost the span")
	}
	_, s2 := tr.Start(bg, "s2", model.KindInternal)
	if SpanFrom(tr.ContextWith(ctx, s2)) != s2 {
		t.Error("ContextWith did not replace the current span")
	}
}
