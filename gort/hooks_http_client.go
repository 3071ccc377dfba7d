// SPDX-License-Identifier: Apache-2.0

// The net/http client hook (Transport.RoundTrip): one Client span per
// request, traceparent injected into a clone of the request, attributes as the
// eBPF agent's client spans (src/agent/http_client_spans.cpp).

package rt

import (
	"net/http"

	"goinstr.dev/rt/internal/model"
	"goinstr.dev/rt/internal/tracer"
)

// noopClientEnd is returned for requests that get no span.
func noopClientEnd(*http.Response, error) {}

// roundTripHook starts the client span for req sent through t. The returned
// request is the one to send: a clone carrying traceparent, or req itself when
// it already has one (the caller propagates on its own). The returned func
// ends the span with the round trip's outcome.
func roundTripHook(t *http.Transport, req *http.Request) (*http.Request, func(*http.Response, error)) {
	trc := tr
	if trc == nil || req == nil || (t != nil && t == exportTransport) {
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
	ctx, span := trc.Start(req.Context(), norm, model.KindClient)
	span.Add(model.String(keyHTTPRequestMethod, norm))
	if norm == methodOther {
		span.Add(model.String(keyHTTPRequestMethodOriginal, method))
	}
	span.Add(model.String(keyURLFull, full))
	host, port := splitHostPort(hostport)
	if host != "" {
		span.Add(model.String(keyServerAddress, host))
	}
	if port == 0 {
		port = 80
		if scheme == "https" {
			port = 443
		}
	}
	span.Add(model.Int(keyServerPort, int64(port)))

	out := req
	if !hasTraceparent(req.Header) {
		out = req.Clone(ctx)
		if out.Header == nil {
			out.Header = make(http.Header, 2)
		}
		injectContext(ctx, span, out.Header)
	}
	return out, func(resp *http.Response, err error) { endClientSpan(span, resp, err) }
}

// endClientSpan records the status code and, for a transport error or a
// 4xx/5xx answer, the error (semconv: both are errors for client spans).
func endClientSpan(span *tracer.Span, resp *http.Response, err error) {
	status := 0
	if resp != nil {
		status = resp.StatusCode
	}
	if status > 0 {
		span.Add(model.Int(keyHTTPResponseStatusCode, int64(status)))
	}
	if resp != nil && resp.ProtoMajor > 0 {
		span.Add(model.String(keyNetworkProtocolVersion, protocolVersion(resp.ProtoMajor, resp.ProtoMinor)))
	}
	if err != nil {
		setGoError(span, err)
	} else if status >= 400 {
		span.Add(model.String(keyErrorType, statusString(status)))
		span.SetError("")
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
