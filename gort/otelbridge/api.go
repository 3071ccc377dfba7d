// SPDX-License-Identifier: Apache-2.0

// goinstr's implementation of the OpenTelemetry trace API: the provider the
// program's otel.Tracer(...) calls reach when it installed none of its own,
// and the views of goinstr's spans that trace.SpanFromContext returns.

package otelbridge

import (
	"context"
	"fmt"
	"sync"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	rt "goinstr.dev/rt"
	"goinstr.dev/rt/internal/model"
	"goinstr.dev/rt/internal/tracer"
)

var (
	noopProvider = trace.NewNoopTracerProvider()
	noopTracer   = noopProvider.Tracer("")
	_, noopSpan  = noopTracer.Start(context.Background(), "")
)

type provider struct {
	trace.TracerProvider // no-op: methods of later API releases
	b                    *bridge
}

func (p *provider) Tracer(name string, opts ...trace.TracerOption) trace.Tracer {
	return &otelTracer{Tracer: noopTracer, b: p.b, name: name, opts: opts}
}

type otelTracer struct {
	trace.Tracer
	b    *bridge
	name string
	opts []trace.TracerOption
}

// Start starts a goinstr span for the program's own instrumentation.
func (t *otelTracer) Start(ctx context.Context, name string, opts ...trace.SpanStartOption) (context.Context, trace.Span) {
	if tp := otel.GetTracerProvider(); tp != trace.TracerProvider(t.b.provider) {
		return tp.Tracer(t.name, t.opts...).Start(ctx, name, opts...)
	}
	trc := rt.Tracer()
	if trc == nil {
		return noopTracer.Start(ctx, name, opts...)
	}
	if ctx == nil {
		ctx = context.Background()
	}
	cfg := trace.NewSpanStartConfig(opts...)
	var parent model.SpanContext
	if !cfg.NewRoot() {
		parent, _ = t.b.Parent(ctx)
	}
	kind := model.Kind(cfg.SpanKind())
	if kind == model.KindUnspecified {
		kind = model.KindInternal
	}
	ctx, s := trc.StartWithParent(ctx, parent, name, kind)
	if ts := cfg.Timestamp(); !ts.IsZero() {
		s.SetStart(ts.UnixNano())
	}
	addAttrs(s, cfg.Attributes())
	return ctx, trace.SpanFromContext(ctx)
}

// span is the API's view of one of goinstr's spans. The API says spans are
// safe for concurrent use, so the program's calls are serialised.
type span struct {
	trace.Span // no-op: methods of later API releases
	mu         sync.Mutex
	s          *tracer.Span
	b          *bridge
	ended      bool
}

func (w *span) SpanContext() trace.SpanContext { return toOtel(w.s.Context()) }

func (w *span) IsRecording() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return !w.ended && w.s.IsRecording()
}

func (w *span) SetName(name string) {
	w.mu.Lock()
	if !w.ended {
		w.s.SetName(name)
	}
	w.mu.Unlock()
}

func (w *span) SetAttributes(kv ...attribute.KeyValue) {
	w.mu.Lock()
	if w.ended {
		w.mu.Unlock()
		return
	}
	for _, a := range kv {
		w.s.Set(fromAttr(a))
	}
	w.mu.Unlock()
}

func (w *span) SetStatus(code codes.Code, description string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.ended || w.s.D.Status == model.StatusOK {
		return // Ok is final (API specification)
	}
	switch code {
	case codes.Error:
		w.s.SetStatus(model.StatusError, description)
	case codes.Ok:
		w.s.SetStatus(model.StatusOK, "")
	}
}

func (w *span) AddEvent(name string, opts ...trace.EventOption) {
	cfg := trace.NewEventConfig(opts...)
	w.mu.Lock()
	if !w.ended {
		w.s.AddEvent(event(name, cfg))
	}
	w.mu.Unlock()
}

// RecordError adds an "exception" event, as the SDK does (status unchanged).
func (w *span) RecordError(err error, opts ...trace.EventOption) {
	if err == nil {
		return
	}
	cfg := trace.NewEventConfig(opts...)
	e := event("exception", cfg)
	e.Attrs = append(e.Attrs, model.String("exception.type", fmt.Sprintf("%T", err)),
		model.String("exception.message", err.Error()))
	w.mu.Lock()
	if !w.ended {
		w.s.AddEvent(e)
	}
	w.mu.Unlock()
}

func (w *span) End(opts ...trace.SpanEndOption) {
	cfg := trace.NewSpanEndConfig(opts...)
	w.mu.Lock()
	if w.ended {
		w.mu.Unlock()
		return
	}
	w.ended = true
	w.mu.Unlock()
	var end int64
	if ts := cfg.Timestamp(); !ts.IsZero() {
		end = ts.UnixNano()
	}
	w.s.EndAt(end)
}

func (w *span) TracerProvider() trace.TracerProvider { return w.b.provider }

func event(name string, cfg trace.EventConfig) model.Event {
	e := model.Event{Name: name}
	if ts := cfg.Timestamp(); !ts.IsZero() {
		e.TimeNs = ts.UnixNano()
	} else {
		e.TimeNs = time.Now().UnixNano()
	}
	for _, a := range cfg.Attributes() {
		e.Attrs = append(e.Attrs, fromAttr(a))
	}
	return e
}

func addAttrs(s *tracer.Span, kv []attribute.KeyValue) {
	for _, a := range kv {
		s.Set(fromAttr(a))
	}
}

// fromAttr converts an API attribute; arrays become their text form (the
// runtime's model has scalar values only).
func fromAttr(a attribute.KeyValue) model.Attr {
	k := string(a.Key)
	switch a.Value.Type() {
	case attribute.BOOL:
		return model.Bool(k, a.Value.AsBool())
	case attribute.INT64:
		return model.Int(k, a.Value.AsInt64())
	case attribute.FLOAT64:
		return model.Double(k, a.Value.AsFloat64())
	case attribute.STRING:
		return model.String(k, a.Value.AsString())
	}
	return model.String(k, a.Value.Emit())
}

func toAttr(a model.Attr) attribute.KeyValue {
	switch a.Kind {
	case model.ValueInt:
		return attribute.Int64(a.Key, a.Int)
	case model.ValueBool:
		return attribute.Bool(a.Key, a.BoolValue())
	case model.ValueDouble:
		return attribute.Float64(a.Key, a.Float)
	}
	return attribute.String(a.Key, a.Str)
}

// externalSpan is a span of the program's own provider that a goinstr span
// forwards to.
type externalSpan struct {
	span trace.Span
}

func (e *externalSpan) SpanContext() model.SpanContext { return fromOtel(e.span.SpanContext()) }

// Finish copies what the hook recorded and ends the program's span.
func (e *externalSpan) Finish(d *model.Span) {
	sp := e.span
	if !sp.IsRecording() {
		sp.End()
		return
	}
	sp.SetName(d.Name)
	if len(d.Attrs) > 0 {
		kv := make([]attribute.KeyValue, len(d.Attrs))
		for i, a := range d.Attrs {
			kv[i] = toAttr(a)
		}
		sp.SetAttributes(kv...)
	}
	for _, ev := range d.Events {
		kv := make([]attribute.KeyValue, len(ev.Attrs))
		for i, a := range ev.Attrs {
			kv[i] = toAttr(a)
		}
		sp.AddEvent(ev.Name, trace.WithTimestamp(time.Unix(0, ev.TimeNs)), trace.WithAttributes(kv...))
	}
	switch d.Status {
	case model.StatusError:
		sp.SetStatus(codes.Error, d.StatusMessage)
	case model.StatusOK:
		sp.SetStatus(codes.Ok, "")
	}
	sp.End(trace.WithTimestamp(time.Unix(0, d.EndNs)))
}
