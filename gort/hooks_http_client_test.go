// SPDX-License-Identifier: Apache-2.0

// Client hook tests: the hook is called directly as the woven
// Transport.roundTrip calls it, and end-to-end through a test server with both
// hooks to check that the trace continues across the hop.

package rt

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

func TestClientSpanBasic(t *testing.T) {
	exp, tp := useTestTracer(t)
	parentCtx, parent := tp.Tracer("test").Start(context.Background(), "parent")
	req, _ := http.NewRequestWithContext(parentCtx, "GET", "https://api.example.com/v1/items?q=1&r=2", nil)
	req2, end := roundTripHook(&http.Transport{}, req)
	if req2 == req {
		t.Fatal("the request carrying traceparent must be a clone")
	}
	if req.Header.Get("traceparent") != "" {
		t.Error("the caller's request was modified")
	}
	end(&http.Response{StatusCode: 200}, nil)
	parent.End()

	spans := exp.GetSpans()
	if len(spans) != 2 {
		t.Fatalf("%d spans", len(spans))
	}
	s := spans[0]
	if s.Name != "GET" {
		t.Errorf("name %q", s.Name)
	}
	wantKind(t, s, trace.SpanKindClient)
	if s.Parent.SpanID() != parent.SpanContext().SpanID() || s.SpanContext.TraceID() != parent.SpanContext().TraceID() {
		t.Errorf("parent %v", s.Parent)
	}
	wantAttrs(t, s, map[string]any{
		"http.request.method":       "GET",
		"url.full":                  "https://api.example.com/v1/items?q=1&r=2",
		"server.address":            "api.example.com",
		"server.port":               int64(443),
		"http.response.status_code": int64(200),
	})
	if s.Status.Code != codes.Unset {
		t.Errorf("status %v", s.Status)
	}
	want := "00-" + s.SpanContext.TraceID().String() + "-" + s.SpanContext.SpanID().String() + "-01"
	if got := req2.Header.Get("traceparent"); got != want {
		t.Errorf("traceparent %q, want %q", got, want)
	}
	if req2.Context() == req.Context() || trace.SpanFromContext(req2.Context()).SpanContext().SpanID() != s.SpanContext.SpanID() {
		t.Error("the clone's context does not carry the client span")
	}
}

func TestClientSpanURLNeverHoldsCredentials(t *testing.T) {
	exp, _ := useTestTracer(t)
	req, _ := http.NewRequest("POST", "http://user:secret@db.internal:8080/p", nil)
	_, end := roundTripHook(nil, req)
	end(&http.Response{StatusCode: 204}, nil)
	got := attrMap(t, onlySpan(t, exp).Attributes)
	if got["url.full"] != "http://db.internal:8080/p" || got["server.port"] != int64(8080) || got["server.address"] != "db.internal" {
		t.Errorf("attrs %v", got)
	}
}

func TestClientSpanDefaults(t *testing.T) {
	exp, _ := useTestTracer(t)
	// Empty method means GET; no scheme means http (port 80); no URL host
	// falls back to req.Host.
	req := &http.Request{Method: "", URL: nil, Host: "fallback.example", Header: http.Header{}}
	req2, end := roundTripHook(nil, req)
	end(nil, nil)
	s := onlySpan(t, exp)
	if s.Name != "GET" {
		t.Errorf("name %q", s.Name)
	}
	wantAttrs(t, s, map[string]any{
		"http.request.method": "GET",
		"url.full":            "http://fallback.example",
		"server.address":      "fallback.example",
		"server.port":         int64(80),
	})
	if req2.Header.Get("traceparent") == "" {
		t.Error("no traceparent injected")
	}

	exp.Reset()
	req = &http.Request{Method: "FOO", URL: nil, Host: "h:81"} // nil Header
	req2, end = roundTripHook(nil, req)
	end(nil, nil)
	s = onlySpan(t, exp)
	got := attrMap(t, s.Attributes)
	if s.Name != "_OTHER" || got["http.request.method_original"] != "FOO" || got["server.port"] != int64(81) {
		t.Errorf("name %q attrs %v", s.Name, got)
	}
	if req2.Header.Get("traceparent") == "" {
		t.Error("no traceparent injected into a request without headers")
	}
}

func TestClientSpanKeepsCallersTraceparent(t *testing.T) {
	exp, _ := useTestTracer(t)
	req, _ := http.NewRequest("GET", "http://h/", nil)
	const mine = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
	req.Header.Set("Traceparent", mine)
	req2, end := roundTripHook(nil, req)
	if req2 != req || req.Header.Get("traceparent") != mine {
		t.Error("a request that already carries traceparent must be sent unchanged")
	}
	end(&http.Response{StatusCode: 200}, nil)
	onlySpan(t, exp) // still traced
}

func TestClientSpanErrors(t *testing.T) {
	exp, _ := useTestTracer(t)
	req, _ := http.NewRequest("GET", "http://h:9/", nil)
	_, end := roundTripHook(nil, req)
	opErr := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	end(nil, opErr)
	s := onlySpan(t, exp)
	if s.Status.Code != codes.Error || s.Status.Description != opErr.Error() {
		t.Errorf("status %+v", s.Status)
	}
	got := attrMap(t, s.Attributes)
	if got["error.type"] != "*net.OpError" {
		t.Errorf("error.type %v", got["error.type"])
	}
	if _, ok := got["http.response.status_code"]; ok {
		t.Error("status code without a response")
	}

	for _, c := range []struct {
		status int
		fail   bool
	}{{404, true}, {503, true}, {302, false}} {
		exp.Reset()
		_, end = roundTripHook(nil, req)
		end(&http.Response{StatusCode: c.status}, nil)
		s = onlySpan(t, exp)
		got = attrMap(t, s.Attributes)
		if c.fail {
			if s.Status.Code != codes.Error || got["error.type"] != statusString(c.status) {
				t.Errorf("%d: status %+v error.type %v", c.status, s.Status, got["error.type"])
			}
		} else if s.Status.Code != codes.Unset || got["error.type"] != nil {
			t.Errorf("%d: status %+v error.type %v", c.status, s.Status, got["error.type"])
		}
	}
}

func TestClientHookSkipsTheExporter(t *testing.T) {
	exp, _ := useTestTracer(t)
	old := exportTransport
	exportTransport = &http.Transport{}
	defer func() { exportTransport = old }()
	req, _ := http.NewRequest("POST", "http://collector:4318/v1/traces", nil)
	req2, end := roundTripHook(exportTransport, req)
	end(&http.Response{StatusCode: 200}, nil)
	if req2 != req || req.Header.Get("traceparent") != "" {
		t.Error("the exporter's request was changed")
	}
	if n := len(exp.GetSpans()); n != 0 {
		t.Errorf("%d spans for the exporter's own request", n)
	}
	// Other transports are still traced.
	_, end = roundTripHook(&http.Transport{}, req)
	end(&http.Response{StatusCode: 200}, nil)
	onlySpan(t, exp)
}

// hookedTransport stands in for the woven Transport.roundTrip.
type hookedTransport struct{ base *http.Transport }

func (h hookedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req2, end := roundTripHook(h.base, req)
	resp, err := h.base.RoundTrip(req2)
	end(resp, err)
	return resp, err
}

func TestClientToServerTraceContinues(t *testing.T) {
	exp, _ := useTestTracer(t)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /hello/{name}", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("hi")) })
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r2, end := serveHTTPHook(r)
		rec := &statusRecorder{ResponseWriter: w}
		mux.ServeHTTP(rec, r2)
		end(rec.status, nil)
	}))
	defer srv.Close()

	base := &http.Transport{}
	defer base.CloseIdleConnections()
	client := &http.Client{Transport: hookedTransport{base}}
	resp, err := client.Get(srv.URL + "/hello/bob")
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()

	spans := exp.GetSpans()
	if len(spans) != 2 {
		t.Fatalf("%d spans", len(spans))
	}
	var server, clientSpan = spans[0], spans[1]
	if server.SpanKind != trace.SpanKindServer {
		server, clientSpan = clientSpan, server
	}
	if server.Name != "GET /hello/{name}" || clientSpan.Name != "GET" {
		t.Errorf("names %q %q", server.Name, clientSpan.Name)
	}
	if server.Parent.SpanID() != clientSpan.SpanContext.SpanID() || server.SpanContext.TraceID() != clientSpan.SpanContext.TraceID() {
		t.Error("the server span is not a child of the client span")
	}
	if attrMap(t, server.Attributes)["http.response.status_code"] != int64(200) {
		t.Errorf("server attrs %v", attrMap(t, server.Attributes))
	}
}

// statusRecorder captures the status a handler writes, as the woven server
// does (0 when nothing was written).
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}
