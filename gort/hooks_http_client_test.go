// SPDX-License-Identifier: Apache-2.0

// Client hook tests: the hook is called directly as the woven
// Transport.roundTrip calls it, and end-to-end through a test server with both
// hooks to check that the trace continues across the hop.

package rt

import (
	"context"
	"encoding/hex"
	"errors"
	"net"
	"net/http"
	"testing"

	"goinstr.dev/rt/internal/model"
	"goinstr.dev/rt/internal/tracer"
)

func TestClientSpanBasic(t *testing.T) {
	tt := useTestTracer(t)
	parentCtx, parent := tt.tr.Start(context.Background(), "parent", model.KindInternal)
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

	spans := tt.spans()
	if len(spans) != 2 {
		t.Fatalf("%d spans", len(spans))
	}
	s := spans[0]
	if s.Name != "GET" {
		t.Errorf("name %q", s.Name)
	}
	wantKind(t, s, model.KindClient)
	if pc := parent.Context(); s.ParentSpanID != pc.SpanID || s.TraceID != pc.TraceID || s.ParentRemote {
		t.Errorf("parent %x remote %v, want %x", s.ParentSpanID, s.ParentRemote, pc.SpanID)
	}
	wantAttrs(t, s, map[string]interface{}{
		"http.request.method":       "GET",
		"url.full":                  "https://api.example.com/v1/items?q=1&r=2",
		"server.address":            "api.example.com",
		"server.port":               int64(443),
		"http.response.status_code": int64(200),
	})
	wantStatus(t, s, model.StatusUnset, "")
	want := "00-" + hex.EncodeToString(s.TraceID[:]) + "-" + hex.EncodeToString(s.SpanID[:]) + "-01"
	if got := req2.Header.Get("traceparent"); got != want {
		t.Errorf("traceparent %q, want %q", got, want)
	}
	if req2.Context() == req.Context() || tracer.SpanFrom(req2.Context()).Context().SpanID != s.SpanID {
		t.Error("the clone's context does not carry the client span")
	}
}

func TestClientSpanProtocolVersion(t *testing.T) {
	tt := useTestTracer(t)
	req, _ := http.NewRequest("GET", "http://h/", nil)
	_, end := roundTripHook(nil, req)
	end(&http.Response{StatusCode: 200, ProtoMajor: 2}, nil)
	if got := attrMap(t, tt.only().Attrs)["network.protocol.version"]; got != "2" {
		t.Errorf("network.protocol.version %v", got)
	}
}

func TestClientSpanURLNeverHoldsCredentials(t *testing.T) {
	tt := useTestTracer(t)
	req, _ := http.NewRequest("POST", "http://user:secret@db.internal:8080/p", nil)
	_, end := roundTripHook(nil, req)
	end(&http.Response{StatusCode: 204}, nil)
	got := attrMap(t, tt.only().Attrs)
	if got["url.full"] != "http://db.internal:8080/p" || got["server.port"] != int64(8080) || got["server.address"] != "db.internal" {
		t.Errorf("attrs %v", got)
	}
}

func TestClientSpanDefaults(t *testing.T) {
	tt := useTestTracer(t)
	// Empty method means GET; no scheme means http (port 80); no URL host
	// falls back to req.Host.
	req := &http.Request{Method: "", URL: nil, Host: "fallback.example", Header: http.Header{}}
	req2, end := roundTripHook(nil, req)
	end(nil, nil)
	s := tt.only()
	if s.Name != "GET" {
		t.Errorf("name %q", s.Name)
	}
	wantAttrs(t, s, map[string]interface{}{
		"http.request.method": "GET",
		"url.full":            "http://fallback.example",
		"server.address":      "fallback.example",
		"server.port":         int64(80),
	})
	if req2.Header.Get("traceparent") == "" {
		t.Error("no traceparent injected")
	}

	tt.reset()
	req = &http.Request{Method: "FOO", URL: nil, Host: "h:81"} // nil Header
	req2, end = roundTripHook(nil, req)
	end(nil, nil)
	s = tt.only()
	got := attrMap(t, s.Attrs)
	if s.Name != "_OTHER" || got["http.request.method_original"] != "FOO" || got["server.port"] != int64(81) {
		t.Errorf("name %q attrs %v", s.Name, got)
	}
	if req2.Header.Get("traceparent") == "" {
		t.Error("no traceparent injected into a request without headers")
	}
}

func TestClientSpanKeepsCallersTraceparent(t *testing.T) {
	tt := useTestTracer(t)
	const mine = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
	for _, set := range []func(h http.Header){
		func(h http.Header) { h.Set("Traceparent", mine) },
		func(h http.Header) { h["traceparent"] = []string{mine} }, // a direct map write
	} {
		tt.reset()
		req, _ := http.NewRequest("GET", "http://h/", nil)
		set(req.Header)
		req2, end := roundTripHook(nil, req)
		if req2 != req || headerValue(req.Header, "Traceparent", "traceparent") != mine {
			t.Error("a request that already carries traceparent must be sent unchanged")
		}
		end(&http.Response{StatusCode: 200}, nil)
		tt.only() // still traced
	}
}

func TestClientSpanErrors(t *testing.T) {
	tt := useTestTracer(t)
	req, _ := http.NewRequest("GET", "http://h:9/", nil)
	_, end := roundTripHook(nil, req)
	opErr := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	end(nil, opErr)
	s := tt.only()
	wantStatus(t, s, model.StatusError, opErr.Error())
	got := attrMap(t, s.Attrs)
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
		tt.reset()
		_, end = roundTripHook(nil, req)
		end(&http.Response{StatusCode: c.status}, nil)
		s = tt.only()
		got = attrMap(t, s.Attrs)
		if c.fail {
			if s.Status != model.StatusError || got["error.type"] != statusString(c.status) {
				t.Errorf("%d: status %d error.type %v", c.status, s.Status, got["error.type"])
			}
		} else if s.Status != model.StatusUnset || got["error.type"] != nil {
			t.Errorf("%d: status %d error.type %v", c.status, s.Status, got["error.type"])
		}
	}
}

func TestClientHookSkipsTheExporter(t *testing.T) {
	tt := useTestTracer(t)
	old := exportTransport
	exportTransport = &http.Transport{}
	defer func() { exportTransport = old }()
	req, _ := http.NewRequest("POST", "http://collector:4318/v1/traces", nil)
	req2, end := roundTripHook(exportTransport, req)
	end(&http.Response{StatusCode: 200}, nil)
	if req2 != req || req.Header.Get("traceparent") != "" {
		t.Error("the exporter's request was changed")
	}
	if n := len(tt.spans()); n != 0 {
		t.Errorf("%d spans for the exporter's own request", n)
	}
	// Other transports are still traced.
	_, end = roundTripHook(&http.Transport{}, req)
	end(&http.Response{StatusCode: 200}, nil)
	tt.only()
}

func TestClientHookWithoutTracer(t *testing.T) {
	old := UseTracerForTests(nil)
	defer UseTracerForTests(old)
	req, _ := http.NewRequest("GET", "http://h/", nil)
	req2, end := roundTripHook(nil, req)
	end(nil, errors.New("x")) // must not panic
	if req2 != req || req.Header.Get("traceparent") != "" {
		t.Error("request changed while tracing is off")
	}
}
