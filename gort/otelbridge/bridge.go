// SPDX-License-Identifier: Apache-2.0

// Package otelbridge joins goinstr's spans and the OpenTelemetry API in a
// program that already uses it. `goinstr go build` links it (a blank import
// in package main) only when the program imports a go.opentelemetry.io
// package itself and its module graph has go.opentelemetry.io/otel, and
// requires exactly the version the program selects, so nothing in the
// program's build changes.
//
// The rule, in three cases:
//   - The program uses the API but installs no TracerProvider of its own:
//     goinstr's provider is the global one, so otel.Tracer(...) spans are
//     recorded and exported by goinstr and nest with goinstr's spans both ways.
//   - The program installs its own TracerProvider (an SDK with its exporter):
//     from then on goinstr starts its spans in that provider, so they go
//     wherever the program's go, once each; spans already started stay with
//     goinstr and are exported by goinstr. Nothing is doubled or lost.
//   - Either way the program's global propagator carries the context in and
//     out of HTTP requests (W3C trace context and baggage unless the program
//     chose another).
//
// One source for every otel release from v1.0: the types embed the API's
// no-op implementations, so methods a later release adds to the interfaces
// (AddLink, the embedded markers) exist and do nothing.
package otelbridge

import (
	"context"
	"net/http"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	rt "goinstr.dev/rt"
	"goinstr.dev/rt/internal/model"
	"goinstr.dev/rt/internal/tracer"
)

type bridge struct {
	provider *provider
	// cached is the program's provider seen last and its tracer for goinstr's
	// spans, so delegating costs no Tracer() lookup per span.
	cached atomic.Value // tracerCache
}

type tracerCache struct {
	provider trace.TracerProvider
	tracer   trace.Tracer
}

func init() { install() }

// install connects the bridge; false when telemetry is off, and the
// program's OpenTelemetry is then left as it is.
func install() bool {
	b := &bridge{}
	b.provider = &provider{TracerProvider: trace.NewNoopTracerProvider(), b: b}
	b.cached.Store(tracerCache{})
	if !rt.InstallBridge(b, b) {
		return false
	}
	otel.SetTracerProvider(b.provider)
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(
		propagation.TraceContext{}, propagation.Baggage{}))
	return true
}

// Parent is the span context current in ctx, whoever made it.
func (b *bridge) Parent(ctx context.Context) (model.SpanContext, bool) {
	sc := trace.SpanContextFromContext(ctx)
	if !sc.IsValid() {
		return model.SpanContext{}, false
	}
	return fromOtel(sc), true
}

// With makes s the current span as the API sees it: the program's own span
// when s forwards to one, else a view of s.
func (b *bridge) With(ctx context.Context, s *tracer.Span) context.Context {
	if e, ok := s.External().(*externalSpan); ok {
		return trace.ContextWithSpan(ctx, e.span)
	}
	return trace.ContextWithSpan(ctx, &span{Span: noopSpan, s: s, b: b})
}

// Delegate starts goinstr's span in the program's provider when the program
// installed one.
func (b *bridge) Delegate(ctx context.Context, parent model.SpanContext, name string, kind model.Kind,
	startNs int64) (tracer.External, bool) {
	tp := otel.GetTracerProvider()
	if tp == trace.TracerProvider(b.provider) {
		return nil, false
	}
	c := b.cached.Load().(tracerCache)
	if c.provider != tp {
		c = tracerCache{provider: tp, tracer: tp.Tracer(rt.TracerName, trace.WithInstrumentationVersion(rt.Version))}
		b.cached.Store(c)
	}
	if parent.IsValid() && !trace.SpanContextFromContext(ctx).Equal(toOtel(parent)) {
		ctx = trace.ContextWithRemoteSpanContext(ctx, toOtel(parent))
	}
	_, sp := c.tracer.Start(ctx, name, trace.WithSpanKind(trace.SpanKind(kind)),
		trace.WithTimestamp(time.Unix(0, startNs)))
	return &externalSpan{span: sp}, true
}

// Extract reads the request's context with the program's propagator.
func (b *bridge) Extract(ctx context.Context, h http.Header) (context.Context, model.SpanContext) {
	ctx = otel.GetTextMapPropagator().Extract(ctx, propagation.HeaderCarrier(h))
	sc := trace.SpanContextFromContext(ctx)
	if !sc.IsValid() || !sc.IsRemote() {
		return ctx, model.SpanContext{}
	}
	return ctx, fromOtel(sc)
}

// Inject writes ctx's context into an outgoing request.
func (b *bridge) Inject(ctx context.Context, h http.Header) {
	otel.GetTextMapPropagator().Inject(ctx, propagation.HeaderCarrier(h))
}

func fromOtel(sc trace.SpanContext) model.SpanContext {
	return model.SpanContext{TraceID: model.TraceID(sc.TraceID()), SpanID: model.SpanID(sc.SpanID()),
		Flags: byte(sc.TraceFlags()), TraceState: sc.TraceState().String(), Remote: sc.IsRemote()}
}

func toOtel(sc model.SpanContext) trace.SpanContext {
	cfg := trace.SpanContextConfig{TraceID: trace.TraceID(sc.TraceID), SpanID: trace.SpanID(sc.SpanID),
		TraceFlags: trace.TraceFlags(sc.Flags), Remote: sc.Remote}
	if sc.TraceState != "" {
		if ts, err := trace.ParseTraceState(sc.TraceState); err == nil {
			cfg.TraceState = ts
		}
	}
	return trace.NewSpanContext(cfg)
}
