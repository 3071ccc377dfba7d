// SPDX-License-Identifier: Apache-2.0

// The net/http client hook (Transport.RoundTrip): one Client span per
// request, traceparent injected into a clone of the request, attributes as the
// eBPF agent's client spans (src/agent/http_client_spans.cpp).

package rt

import (
	"net/http"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

var clientKind = trace.WithSpanKind(trace.SpanKindClient)

// noopClientEnd is returned for requests that get no span.
func noopClientEnd(*http.Response, error) {}

// roundTripHook starts the client span for req sent through t. The returned
// request is the one to send: a clone carrying traceparent, or req itself when
// it already has one (the caller propagates on its own). The returned func
// ends the span with the round trip's outcome.
func roundTripHook(t *http.Transport, req *http.Request) (*http.Request, func(*http.Response, error)) {
	if tracer == nil || req == nil || (t != nil && t == exportTransport) {
		return req, noopClientEnd // the exporter's own requests: tracing them never ends
	}
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	norm := normalizeMethod(method)

	scheme, hostport, path, query := "http", req.Host, "", ""
	if u := req.URL; u != nil {
		if u.Scheme != "" {
			scheme = u.Scheme
		}
		if u.Host != "" {
			hostport = u.Host
		}
		path, query = u.Path, u.RawQuery
	}
	// url.URL.Host never holds user:password, so neither does url.full.
	// One concatenation each way: a single allocation.
	var full string
	if query != "" {
		full = scheme + "://" + hostport + path + "?" + query
	} else {
		full = scheme + "://" + hostport + path
	}
	attrs := make([]attribute.KeyValue, 0, 6)
	attrs = append(attrs, attribute.String(keyHTTPRequestMethod, norm))
	if norm == methodOther {
		attrs = append(attrs, attribute.String(keyHTTPRequestMethodOriginal, method))
	}
	attrs = append(attrs, attribute.String(keyURLFull, full))
	host, port := splitHostPort(hostport)
	if host != "" {
		attrs = append(attrs, attribute.String(keyServerAddress, host))
	}
	if port == 0 {
		port = 80
		if scheme == "https" {
			port = 443
		}
	}
	attrs = append(attrs, attribute.Int(keyServerPort, port))

	ctx, span := tracer.Start(req.Context(), norm, clientKind, trace.WithAttributes(attrs...))
	out := req
	if !hasTraceparent(req.Header) {
		out = req.Clone(ctx)
		if out.Header == nil {
			out.Header = make(http.Header, 2)
		}
		otel.GetTextMapPropagator().Inject(ctx, propagation.HeaderCarrier(out.Header))
	}
	return out, func(resp *http.Response, err error) { endClientSpan(span, resp, err) }
}

// endClientSpan records the status code and, for a transport error or a
// 4xx/5xx answer, the error (semconv: both are errors for client spans).
func endClientSpan(span trace.Span, resp *http.Response, err error) {
	if span.IsRecording() {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		if status > 0 {
			span.SetAttributes(attribute.Int(keyHTTPResponseStatusCode, status))
		}
		if resp != nil && resp.ProtoMajor > 0 {
			span.SetAttributes(attribute.String(keyNetworkProtocolVersion,
				protocolVersion(resp.ProtoMajor, resp.ProtoMinor)))
		}
		if err != nil {
			setGoError(span, err)
		} else if status >= 400 {
			span.SetAttributes(attribute.String(keyErrorType, statusString(status)))
			span.SetStatus(codes.Error, "")
		}
	}
	span.End()
}

// hasTraceparent reports a traceparent the caller set itself, also under the
// non-canonical key a direct map write leaves.
func hasTraceparent(h http.Header) bool {
	if _, ok := h["Traceparent"]; ok {
		return true
	}
	_, ok := h["traceparent"]
	return ok
}
