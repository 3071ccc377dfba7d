// SPDX-License-Identifier: Apache-2.0

// Package tracer is the woven runtime's own span recorder: ids, W3C trace
// context, parent/child through context.Context, sampling, and the batch
// processor that hands ended spans to the exporters. It replaces the
// OpenTelemetry SDK's span pipeline, which cost most of the compile-time
// mode's per-request overhead and pulled dependencies into every user's
// module graph. The OpenTelemetry API is reached only through a Bridge
// (goinstr.dev/rt/otelbridge), linked when the program already uses it.
package tracer

import (
	"context"
	"sync/atomic"
	"time"

	"goinstr.dev/rt/internal/model"
)

// External is a span of the program's own OpenTelemetry SDK that a goinstr
// span forwards to (when the program installed its own TracerProvider).
type External interface {
	// SpanContext is the external span's identity.
	SpanContext() model.SpanContext
	// Finish copies name, attributes, events and status from d and ends the
	// external span at d.EndNs.
	Finish(d *model.Span)
}

// Bridge connects goinstr's spans with the OpenTelemetry API in programs that
// use it, so their spans and goinstr's nest in both directions.
type Bridge interface {
	// Parent is the span context current in ctx: goinstr's or the program's.
	Parent(ctx context.Context) (model.SpanContext, bool)
	// With returns ctx with s as its current span, as the OpenTelemetry API
	// sees it (trace.SpanFromContext).
	With(ctx context.Context, s *Span) context.Context
	// Delegate starts the span in the program's own TracerProvider, when it
	// installed one; ok=false means goinstr records the span itself.
	Delegate(ctx context.Context, parent model.SpanContext, name string, kind model.Kind,
		startNs int64) (ext External, ok bool)
}

// Tracer makes spans. The zero value is not usable; see New.
type Tracer struct {
	sampler Sampler
	proc    *Processor        // nil: spans are not exported
	measure func(*model.Span) // nil: no metrics; called for every ended span
	bridge  atomic.Value      // holds bridgeBox
	started uint64            // spans started (atomic)
}

type bridgeBox struct{ b Bridge }

// New returns a tracer that samples with s, sends sampled spans to proc (may
// be nil) and every ended span to measure (may be nil).
func New(s Sampler, proc *Processor, measure func(*model.Span)) *Tracer {
	t := &Tracer{sampler: s, proc: proc, measure: measure}
	t.bridge.Store(bridgeBox{})
	return t
}

// SetBridge installs the OpenTelemetry bridge (once, at init).
func (t *Tracer) SetBridge(b Bridge) { t.bridge.Store(bridgeBox{b}) }

func (t *Tracer) currentBridge() Bridge { return t.bridge.Load().(bridgeBox).b }

// Processor is where sampled spans go (nil when nothing is exported).
func (t *Tracer) Processor() *Processor { return t.proc }

// Started is the number of spans started.
func (t *Tracer) Started() uint64 { return atomic.LoadUint64(&t.started) }

type spanKey struct{}

// ParentFrom is the span context current in ctx.
func (t *Tracer) ParentFrom(ctx context.Context) (model.SpanContext, bool) {
	if ctx == nil {
		return model.SpanContext{}, false
	}
	if b := t.currentBridge(); b != nil {
		return b.Parent(ctx)
	}
	if s, ok := ctx.Value(spanKey{}).(*Span); ok && s != nil {
		return s.Context(), true
	}
	return model.SpanContext{}, false
}

// SpanFrom is goinstr's span current in ctx, without a bridge; nil when there
// is none, and always nil once a Bridge is installed (the span is then under
// the OpenTelemetry API's context key, which only the bridge reads: use
// ParentFrom for the current span context).
func SpanFrom(ctx context.Context) *Span {
	if ctx == nil {
		return nil
	}
	s, _ := ctx.Value(spanKey{}).(*Span)
	return s
}

// ContextWith returns ctx carrying s as its current span.
func (t *Tracer) ContextWith(ctx context.Context, s *Span) context.Context {
	if b := t.currentBridge(); b != nil {
		return b.With(ctx, s)
	}
	return context.WithValue(ctx, spanKey{}, s)
}

// Start starts a span as a child of the span current in ctx and returns the
// context carrying it.
func (t *Tracer) Start(ctx context.Context, name string, kind model.Kind) (context.Context, *Span) {
	parent, _ := t.ParentFrom(ctx)
	return t.StartWithParent(ctx, parent, name, kind)
}

// StartWithParent starts a span whose parent is parent (an incoming
// traceparent; invalid: a new trace).
func (t *Tracer) StartWithParent(ctx context.Context, parent model.SpanContext, name string,
	kind model.Kind) (context.Context, *Span) {
	if ctx == nil {
		ctx = context.Background()
	}
	atomic.AddUint64(&t.started, 1)
	s := &Span{tr: t}
	s.D.Attrs = s.attrBuf[:0]
	s.D.Name, s.D.Kind = name, kind
	s.D.StartNs = time.Now().UnixNano()
	if b := t.currentBridge(); b != nil {
		if ext, ok := b.Delegate(ctx, parent, name, kind, s.D.StartNs); ok {
			sc := ext.SpanContext()
			s.ext, s.recording = ext, true
			s.D.TraceID, s.D.SpanID, s.D.Flags, s.D.TraceState = sc.TraceID, sc.SpanID, sc.Flags, sc.TraceState
			if parent.IsValid() {
				s.D.ParentSpanID, s.D.ParentRemote = parent.SpanID, parent.Remote
			}
			return t.ContextWith(ctx, s), s
		}
	}
	if parent.IsValid() {
		s.D.TraceID, s.D.ParentSpanID, s.D.ParentRemote = parent.TraceID, parent.SpanID, parent.Remote
		s.D.TraceState = parent.TraceState
	} else {
		s.D.TraceID = newTraceID()
	}
	s.D.SpanID = newSpanID()
	if t.sampler.sample(parent, s.D.TraceID) {
		s.D.Flags = model.FlagSampled
	}
	s.recording = true // unsampled spans still feed the metrics
	return t.ContextWith(ctx, s), s
}

// ended routes an ended span: metrics always, then the program's SDK or the
// export queue when sampled.
func (t *Tracer) ended(s *Span) {
	if t.measure != nil {
		t.measure(&s.D)
	}
	if s.ext != nil {
		s.ext.Finish(&s.D)
		return
	}
	if s.D.Flags&model.FlagSampled != 0 && t.proc != nil {
		t.proc.Enqueue(&s.D)
	}
}
