// SPDX-License-Identifier: Apache-2.0

// The net/http server hook: one Server span per request, continuing the
// caller's trace from traceparent, named and attributed like the eBPF agent's
// server spans (src/agent/http_server_spans.cpp).

package rt

import (
	"context"
	"net/http"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// serverSpanKey marks a context whose span was started by serveHTTPHook.
type serverSpanKey struct{}

var serverKind = trace.WithSpanKind(trace.SpanKindServer)

// ServerSpanFromContext reports whether ctx carries a server span made by
// goinstr's net/http server hook, so other instrumentation (otelhttp) can
// avoid making a second server span for the same request.
func ServerSpanFromContext(ctx context.Context) bool {
	if ctx == nil {
		return false
	}
	_, ok := ctx.Value(serverSpanKey{}).(trace.Span)
	return ok
}

// noopServerEnd is returned when there is nothing to end.
func noopServerEnd(int, any) {}

// serveHTTPHook starts the server span for req. The returned request is what
// the handler sees (its context carries the span); the returned func ends the
// span with the status written (0: nothing written, so 200; < 0: unknown) and
// the value the handler panicked with, if any (the woven code re-panics).
func serveHTTPHook(req *http.Request) (*http.Request, func(status int, recovered any)) {
	if tracer == nil || req == nil {
		return req, noopServerEnd
	}
	ctx := otel.GetTextMapPropagator().Extract(req.Context(), propagation.HeaderCarrier(req.Header))

	method := normalizeMethod(req.Method)
	attrs := make([]attribute.KeyValue, 0, 10)
	attrs = append(attrs, attribute.String(keyHTTPRequestMethod, method))
	if method == methodOther {
		attrs = append(attrs, attribute.String(keyHTTPRequestMethodOriginal, req.Method))
	}
	path := ""
	if req.URL != nil {
		path = req.URL.Path
	}
	attrs = append(attrs,
		attribute.String(keyURLPath, path),
		attribute.String(keyNetworkProtocolVersion, protocolVersion(req.ProtoMajor, req.ProtoMinor)))
	if req.Host != "" {
		host, port := splitHostPort(req.Host)
		attrs = append(attrs, attribute.String(keyServerAddress, host))
		if port > 0 {
			attrs = append(attrs, attribute.Int(keyServerPort, port))
		}
	}
	if req.RemoteAddr != "" {
		addr, port := splitHostPort(req.RemoteAddr)
		attrs = append(attrs, attribute.String(keyClientAddress, addr))
		if port > 0 {
			attrs = append(attrs, attribute.Int(keyClientPort, port))
		}
	}
	if ua := req.UserAgent(); ua != "" {
		attrs = append(attrs, attribute.String(keyUserAgentOriginal, ua))
	}

	ctx, span := tracer.Start(ctx, method, serverKind, trace.WithAttributes(attrs...))
	ctx = context.WithValue(ctx, serverSpanKey{}, span)
	req2 := req.WithContext(ctx)
	return req2, func(status int, recovered any) {
		endServerSpan(span, req2, method, status, recovered)
	}
}

// endServerSpan names the span after the route ServeMux matched (it writes
// Pattern on the request it was given, which is req) and records the outcome.
func endServerSpan(span trace.Span, req *http.Request, method string, status int, recovered any) {
	if span.IsRecording() {
		var buf [3]attribute.KeyValue
		attrs := buf[:0]
		if route := routeFromPattern(req.Pattern); route != "" {
			span.SetName(method + " " + route)
			attrs = append(attrs, attribute.String(keyHTTPRoute, route))
		}
		if status == 0 && recovered == nil {
			status = http.StatusOK // nothing written: net/http answers 200
		}
		if status > 0 {
			attrs = append(attrs, attribute.Int(keyHTTPResponseStatusCode, status))
		}
		failed := recovered == nil && status >= 500 // semconv: for server spans only 5xx is an error
		if failed {
			attrs = append(attrs, attribute.String(keyErrorType, statusString(status)))
		}
		if len(attrs) > 0 {
			span.SetAttributes(attrs...)
		}
		if failed {
			span.SetStatus(codes.Error, "")
		} else if recovered != nil {
			setPanic(span, recovered)
		}
	}
	span.End()
}
