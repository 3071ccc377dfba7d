// SPDX-License-Identifier: Apache-2.0

// The tracer with a Bridge (a fake of goinstr.dev/rt/otelbridge): the parent
// comes from the bridge, the current span goes through it, and a span the
// program's own SDK records is started by Delegate and ended by Finish.

package tracer

import (
	"context"
	"sync"
	"testing"

	"goinstr.dev/rt/internal/model"
)

type bridgeKey struct{}

type delegateCall struct {
	parent  model.SpanContext
	name    string
	kind    model.Kind
	startNs int64
}

// fakeBridge answers Parent with parent/parentOK, keeps With's span under its
// own key (as the API's context would), and delegates when ext is set.
type fakeBridge struct {
	mu        sync.Mutex
	parent    model.SpanContext
	parentOK  bool
	parents   int
	with      []*Span
	delegates []delegateCall
	ext       *fakeExternal
}

func (b *fakeBridge) Parent(ctx context.Context) (model.SpanContext, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.parents++
	return b.parent, b.parentOK
}

func (b *fakeBridge) With(ctx context.Context, s *Span) context.Context {
	b.mu.Lock()
	b.with = append(b.with, s)
	b.mu.Unlock()
	return context.WithValue(ctx, bridgeKey{}, s)
}

func (b *fakeBridge) Delegate(ctx context.Context, parent model.SpanContext, name string, kind model.Kind,
	startNs int64) (External, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.delegates = append(b.delegates, delegateCall{parent, name, kind, startNs})
	if b.ext == nil {
		return nil, false
	}
	return b.ext, true
}

// fakeExternal is a span of the program's SDK: it keeps what Finish copied.
type fakeExternal struct {
	sc       model.SpanContext
	finished []model.Span
	pointers []*model.Span
}

func (e *fakeExternal) SpanContext() model.SpanContext { return e.sc }

func (e *fakeExternal) Finish(d *model.Span) {
	e.finished = append(e.finished, *d)
	e.pointers = append(e.pointers, d)
}

var remoteParent = model.SpanContext{TraceID: wantTraceID, SpanID: wantSpanID, Flags: model.FlagSampled,
	TraceState: "congo=t61rcWkgMzE", Remote: true}

// Delegate declines: goinstr records the span, under the bridge's parent.
func TestBridgeParentAndWith(t *testing.T) {
	proc, rec := testProcessor()
	tr := New(AlwaysOn(), proc, nil)
	b := &fakeBridge{parent: remoteParent, parentOK: true}
	tr.SetBridge(b)

	ctx, s := tr.Start(context.Background(), "GET /", model.KindClient)
	if b.parents != 1 || len(b.delegates) != 1 || len(b.with) != 1 || b.with[0] != s {
		t.Fatalf("bridge calls: Parent %d, Delegate %d, With %v", b.parents, len(b.delegates), b.with)
	}
	if want := (delegateCall{remoteParent, "GET /", model.KindClient, s.D.StartNs}); b.delegates[0] != want {
		t.Errorf("Delegate got %+v, want %+v", b.delegates[0], want)
	}
	d := s.D
	if d.TraceID != wantTraceID || d.ParentSpanID != wantSpanID || !d.ParentRemote ||
		d.TraceState != remoteParent.TraceState || d.Flags != model.FlagSampled || s.External() != nil {
		t.Errorf("span under the bridge's parent: %+v", d)
	}
	if ctx.Value(bridgeKey{}) != s {
		t.Error("Start's context is not the one With returned")
	}
	// The parent is the bridge's answer, whatever the context holds.
	if sc, ok := tr.ParentFrom(ctx); !ok || sc != remoteParent || b.parents != 2 {
		t.Errorf("ParentFrom = %+v, %v (Parent called %d times)", sc, ok, b.parents)
	}
	b.parent, b.parentOK = model.SpanContext{}, false
	if _, ok := tr.ParentFrom(context.WithValue(context.Background(), spanKey{}, s)); ok {
		t.Error("ParentFrom read goinstr's key although a bridge is installed")
	}
	_, root := tr.Start(ctx, "root", model.KindServer)
	if root.D.ParentSpanID.IsValid() || root.D.TraceID == wantTraceID {
		t.Error("no parent from the bridge, yet the span has one")
	}
	// ContextWith goes through the bridge too.
	if tr.ContextWith(context.Background(), root).Value(bridgeKey{}) != root || b.with[len(b.with)-1] != root {
		t.Error("ContextWith did not use the bridge")
	}

	s.End()
	root.End()
	if !proc.Flush(waitLong) {
		t.Fatal("Flush timed out")
	}
	checkSameSpans(t, rec.spans(), []*model.Span{&s.D, &root.D})
}

// Delegate accepts: the program's SDK has the span; goinstr measures it and
// hands it to Finish instead of its own exporters.
func TestBridgeDelegate(t *testing.T) {
	proc, rec := testProcessor()
	var m measured
	tr := New(AlwaysOn(), proc, m.measure)
	ext := &fakeExternal{sc: model.SpanContext{TraceID: wantTraceID, SpanID: model.SpanID{9, 9, 9, 9, 9, 9, 9, 9},
		Flags: model.FlagSampled, TraceState: "vendor=1"}}
	b := &fakeBridge{ext: ext}
	tr.SetBridge(b)

	ctx, s := tr.StartWithParent(context.Background(), remoteParent, "GET /items", model.KindServer)
	if b.parents != 0 {
		t.Error("StartWithParent asked the bridge for a parent")
	}
	if len(b.delegates) != 1 || b.delegates[0] != (delegateCall{remoteParent, "GET /items", model.KindServer,
		s.D.StartNs}) {
		t.Fatalf("Delegate calls %+v", b.delegates)
	}
	if s.External() != ext || !s.IsRecording() || len(b.with) != 1 || b.with[0] != s ||
		ctx.Value(bridgeKey{}) != s {
		t.Fatal("the delegated span is not the one in the context, or not recording")
	}
	d := s.D
	if d.TraceID != ext.sc.TraceID || d.SpanID != ext.sc.SpanID || d.Flags != ext.sc.Flags ||
		d.TraceState != "vendor=1" || d.ParentSpanID != wantSpanID || !d.ParentRemote {
		t.Errorf("delegated span's identity %+v, want the external span's under the remote parent", d)
	}
	if s.Context() != (model.SpanContext{TraceID: ext.sc.TraceID, SpanID: ext.sc.SpanID, Flags: ext.sc.Flags,
		TraceState: "vendor=1"}) {
		t.Errorf("Context() = %+v", s.Context())
	}

	s.SetName("GET /items/{id}")
	s.Add(model.Int("http.response.status_code", 500))
	s.SetError("internal error")
	s.AddEvent(model.Event{Name: "exception", TimeNs: 7})
	s.EndAt(s.D.StartNs + 100)
	s.End()
	if len(ext.finished) != 1 || ext.pointers[0] != &s.D {
		t.Fatalf("Finish called %d times", len(ext.finished))
	}
	f := ext.finished[0]
	if f.Name != "GET /items/{id}" || len(f.Attrs) != 1 || f.Attrs[0].Int != 500 ||
		f.Status != model.StatusError || f.StatusMessage != "internal error" || len(f.Events) != 1 ||
		f.EndNs != s.D.StartNs+100 {
		t.Errorf("Finish got %+v", f)
	}
	if m.count() != 1 || m.spans[0] != &s.D {
		t.Error("the delegated span was not measured once")
	}
	if !proc.Flush(waitLong) {
		t.Fatal("Flush timed out")
	}
	if n := len(rec.spans()); n != 0 {
		t.Errorf("goinstr exported %d delegated spans too", n)
	}

	// A delegated root has no parent.
	_, root := tr.StartWithParent(context.Background(), model.SpanContext{}, "root", model.KindServer)
	if root.D.ParentSpanID.IsValid() || root.D.ParentRemote || root.External() != ext {
		t.Errorf("delegated root: %+v", root.D)
	}
}

func TestSetBridgeNil(t *testing.T) {
	tr := New(AlwaysOn(), nil, nil)
	b := &fakeBridge{parentOK: false}
	tr.SetBridge(b)
	tr.SetBridge(nil)
	ctx, s := tr.Start(context.Background(), "x", model.KindInternal)
	if b.parents+len(b.with)+len(b.delegates) != 0 {
		t.Error("a removed bridge was called")
	}
	if SpanFrom(ctx) != s {
		t.Error("without the bridge the span is not in the context")
	}
}

// With a bridge the current span lives under the OpenTelemetry API's context
// key, where the bridge alone can find it: SpanFrom (the plain key) says nil,
// as documented, and ParentFrom asks the bridge.
func TestSpanFromWithBridge(t *testing.T) {
	tr := New(AlwaysOn(), nil, nil)
	tr.SetBridge(&fakeBridge{})
	ctx, _ := tr.Start(context.Background(), "x", model.KindInternal)
	if got := SpanFrom(ctx); got != nil {
		t.Errorf("with a bridge SpanFrom(ctx) = %p, want nil (the bridge holds the span)", got)
	}
}

// Installing the bridge while spans start (the bridge's init can run while
// other packages' init goroutines trace) is race-free.
func TestSetBridgeConcurrent(t *testing.T) {
	tr := New(AlwaysOn(), nil, nil)
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 200; j++ {
				ctx, s := tr.Start(context.Background(), "x", model.KindInternal)
				tr.ParentFrom(ctx)
				s.End()
			}
		}()
	}
	for j := 0; j < 50; j++ {
		tr.SetBridge(&fakeBridge{})
		tr.SetBridge(nil)
	}
	wg.Wait()
	if tr.Started() != 800 {
		t.Errorf("Started() = %d, want 800", tr.Started())
	}
}
