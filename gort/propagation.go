// SPDX-License-Identifier: Apache-2.0

// Trace context in HTTP headers. Without the OpenTelemetry bridge: W3C
// traceparent and tracestate. With it (a program that uses OpenTelemetry),
// the program's global propagator, so baggage and any format the program
// configured travel as they would under its own instrumentation.

package rt

import (
	"context"
	"net/http"

	"goinstr.dev/rt/internal/model"
	"goinstr.dev/rt/internal/tracer"
)

// HeaderPropagator is the bridge's access to the program's propagator.
type HeaderPropagator interface {
	// Extract returns ctx with what the headers carry (baggage, say) and the
	// remote parent, if any.
	Extract(ctx context.Context, h http.Header) (context.Context, model.SpanContext)
	// Inject writes ctx's trace context (the span current in it) into h.
	Inject(ctx context.Context, h http.Header)
}

var propagator HeaderPropagator

// InstallBridge connects the OpenTelemetry API with goinstr's spans
// (goinstr.dev/rt/otelbridge calls it from its init). It returns false when
// telemetry is off: the bridge then leaves the program's OpenTelemetry alone.
func InstallBridge(b tracer.Bridge, p HeaderPropagator) bool {
	if tr == nil {
		return false
	}
	propagator = p
	tr.SetBridge(b)
	return true
}

// Tracer is goinstr's tracer, for the bridge (nil when telemetry is off).
func Tracer() *tracer.Tracer { return tr }

// UseTracerForTests replaces goinstr's tracer (nil: telemetry off) and
// returns the previous one. For the tests of this module's packages, which
// run without the woven standard library and so without setup; a program
// cannot call it meaningfully (it cannot make a *tracer.Tracer).
func UseTracerForTests(t *tracer.Tracer) *tracer.Tracer {
	old := tr
	tr = t
	if t == nil {
		propagator = nil
	}
	return old
}

func extractParent(ctx context.Context, h http.Header) (context.Context, model.SpanContext) {
	if p := propagator; p != nil {
		return p.Extract(ctx, h)
	}
	var parent model.SpanContext
	if v := headerValue(h, "Traceparent", "traceparent"); v != "" {
		if sc, ok := tracer.ParseTraceparent(v); ok {
			parent = sc
			parent.TraceState = headerValue(h, "Tracestate", "tracestate")
		}
	}
	return ctx, parent
}

func injectContext(ctx context.Context, span *tracer.Span, h http.Header) {
	if p := propagator; p != nil {
		p.Inject(ctx, h)
		return
	}
	sc := span.Context()
	h["Traceparent"] = []string{tracer.FormatTraceparent(sc)}
	if sc.TraceState != "" {
		h["Tracestate"] = []string{sc.TraceState}
	}
}

// headerValue is the first value under the canonical key, or under the
// lower-case key a direct map write leaves.
func headerValue(h http.Header, canonical, lower string) string {
	if v := h[canonical]; len(v) > 0 {
		return v[0]
	}
	if v := h[lower]; len(v) > 0 {
		return v[0]
	}
	return ""
}
