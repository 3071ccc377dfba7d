// SPDX-License-Identifier: Apache-2.0

// The net/http server hook: one Server span per request, continuing the
// caller's trace from traceparent, named and attributed like the eBPF agent's
// server spans (src/agent/http_server_spans.cpp).

package rt

import (
	"context"
	"net/http"

	"goinstr.dev/rt/internal/model"
	"goinstr.dev/rt/internal/tracer"
)

// serverSpanKey marks a context whose span was started by serveHTTPHook.
type serverSpanKey struct{}

// ServerSpanFromContext reports whether ctx carries a server span made by
// goinstr's net/http server hook, so other instrumentation (otelhttp) can
// avoid making a second server span for the same request.
func ServerSpanFromContext(ctx context.Context) bool {
	if ctx == nil {
		return false
	}
	_, ok := ctx.Value(serverSpanKey{}).(*tracer.Span)
	return ok
}

// noopServerEnd is returned when there is nothing to end.
func noopServerEnd(int, interface{}) {}

// serveHTTPHook starts the server span for req. The returned request is what
// the handler sees (its context carries the span); the returned func ends the
// span with the status written (0: nothing written, so 200; < 0: unknown) and
// the value the handler panicked with, if any (the woven code re-panics).
func serveHTTPHook(req *http.Request) (*http.Request, func(status int, recovered interface{})) {
	// A request already traced by the server in front of net/http's handler
	// (golang.org/x/net/http2 behind http2.ConfigureServer) gets no second span.
	if req == nil || ServerSpanFromContext(req.Context()) {
		return req, noopServerEnd
	}
	return startServerSpan(req)
}

// HTTPServerStart is the server span's start for HTTP servers other than
// net/http's own that hand requests to handlers, called by their woven code
// (golang.org/x/net/http2's server, data/rules/x_net_http2.yaml); the span is
// the one serveHTTPHook makes. The end func is nil when the request gets no
// span (net/http is not traced, or the request is goinstr's own scrape).
func HTTPServerStart(req *http.Request) (*http.Request, func(status int, recovered interface{})) {
	if !hooksInstalled || req == nil {
		return req, nil
	}
	req2, end := startServerSpan(req)
	if req2 == req {
		return req, nil
	}
	return req2, end
}

func startServerSpan(req *http.Request) (*http.Request, func(status int, recovered interface{})) {
	t := tr
	if t == nil || isScrape(req) || isH2Preface(req) {
		return req, noopServerEnd
	}
	ctx, parent := extractParent(req.Context(), req.Header)
	method := normalizeMethod(req.Method)
	ctx, span := t.StartWithParent(ctx, parent, method, model.KindServer)
	span.Add(model.String(keyHTTPRequestMethod, method))
	if method == methodOther {
		span.Add(model.String(keyHTTPRequestMethodOriginal, req.Method))
	}
	path := ""
	if req.URL != nil {
		path = req.URL.Path
	}
	span.Add(model.String(keyURLPath, path),
		model.String(keyNetworkProtocolVersion, protocolVersion(req.ProtoMajor, req.ProtoMinor)))
	if req.Host != "" {
		host, port := splitHostPort(req.Host)
		span.Add(model.String(keyServerAddress, host))
		if port > 0 {
			span.Add(model.Int(keyServerPort, int64(port)))
		}
	}
	if req.RemoteAddr != "" {
		addr, port := splitHostPort(req.RemoteAddr)
		span.Add(model.String(keyClientAddress, addr))
		if port > 0 {
			span.Add(model.Int(keyClientPort, int64(port)))
		}
	}
	if ua := req.UserAgent(); ua != "" {
		span.Add(model.String(keyUserAgentOriginal, ua))
	}
	ctx = context.WithValue(ctx, serverSpanKey{}, span)
	req2 := req.WithContext(ctx)
	return req2, func(status int, recovered interface{}) {
		endServerSpan(span, req2, method, status, recovered)
	}
}

// isH2Preface reports the HTTP/2 connection preface (PRI * HTTP/2.0) that an
// h2c handler reads through HTTP/1 before it takes the connection over: no
// request, no span (as in the agent).
func isH2Preface(req *http.Request) bool {
	return req.Method == "PRI" && req.ProtoMajor == 2 && req.RequestURI == "*"
}

// isScrape reports a request to goinstr's own Prometheus endpoint.
func isScrape(req *http.Request) bool {
	if promServer == nil {
		return false
	}
	srv, _ := req.Context().Value(http.ServerContextKey).(*http.Server)
	return srv == promServer
}

// endServerSpan names the span after the route ServeMux matched (it writes
// Pattern on the request it was given, which is req) and records the outcome.
func endServerSpan(span *tracer.Span, req *http.Request, method string, status int, recovered interface{}) {
	if route := routeFromPattern(requestPattern(req)); route != "" {
		span.SetName(method + " " + route)
		span.Add(model.String(keyHTTPRoute, route))
	}
	if status == 0 && recovered == nil {
		status = http.StatusOK // nothing written: net/http answers 200
	}
	if status > 0 {
		span.Add(model.Int(keyHTTPResponseStatusCode, int64(status)))
	}
	// semconv: for server spans only 5xx is an error
	if recovered == nil && status >= 500 {
		span.Add(model.String(keyErrorType, statusString(status)))
		span.SetError("")
	} else if recovered != nil {
		setPanic(span, recovered)
	}
	span.End()
}
