// SPDX-License-Identifier: Apache-2.0

// Server hook tests: the hook is called directly around a real ServeMux, the
// way the woven net/http calls it around serverHandler.ServeHTTP.

package rt

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// serve runs req through the hook and mux like the woven server does and
// returns what the handler saw.
func serve(t *testing.T, mux http.Handler, req *http.Request) (seen *http.Request, status int) {
	t.Helper()
	req2, end := serveHTTPHook(req)
	rec := httptest.NewRecorder()
	h := mux
	mux = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = r
		h.ServeHTTP(w, r)
	})
	mux.ServeHTTP(rec, req2)
	end(rec.Code, nil)
	return seen, rec.Code
}

func TestServerSpanBasic(t *testing.T) {
	exp, _ := useTestTracer(t)
	mux := http.NewServeMux()
	var handlerCtxOK, markedOK bool
	mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) {
		handlerCtxOK = trace.SpanFromContext(r.Context()).SpanContext().IsValid()
		markedOK = ServerSpanFromContext(r.Context())
		w.WriteHeader(http.StatusCreated)
	})
	req := httptest.NewRequest("GET", "http://example.com:8080/items/42?x=1", nil)
	req.RemoteAddr = "192.0.2.7:51234"
	req.Header.Set("User-Agent", "probe/1.0")
	serve(t, mux, req)

	if !handlerCtxOK || !markedOK {
		t.Errorf("handler context: span valid %v, marked as server span %v", handlerCtxOK, markedOK)
	}
	s := onlySpan(t, exp)
	if s.Name != "GET /items/{id}" {
		t.Errorf("name %q", s.Name)
	}
	wantKind(t, s, trace.SpanKindServer)
	wantAttrs(t, s, map[string]any{
		"http.request.method":       "GET",
		"url.path":                  "/items/42",
		"http.route":                "/items/{id}",
		"http.response.status_code": int64(201),
		"network.protocol.version":  "1.1",
		"server.address":            "example.com",
		"server.port":               int64(8080),
		"client.address":            "192.0.2.7",
		"client.port":               int64(51234),
		"user_agent.original":       "probe/1.0",
	})
	if s.Status.Code != codes.Unset {
		t.Errorf("status %v", s.Status)
	}
	if s.Parent.IsValid() {
		t.Errorf("unexpected parent %v", s.Parent)
	}
	if s.InstrumentationScope.Name != TracerName {
		t.Errorf("scope %q", s.InstrumentationScope.Name)
	}
}

func TestServerSpanContinuesIncomingTrace(t *testing.T) {
	exp, _ := useTestTracer(t)
	req := httptest.NewRequest("POST", "/submit", nil)
	req.Header.Set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	serve(t, http.NotFoundHandler(), req)
	s := onlySpan(t, exp)
	if got := s.SpanContext.TraceID().String(); got != "4bf92f3577b34da6a3ce929d0e0e4736" {
		t.Errorf("trace id %s", got)
	}
	if got := s.Parent.SpanID().String(); got != "00f067aa0ba902b7" || !s.Parent.IsRemote() {
		t.Errorf("parent %s remote %v", got, s.Parent.IsRemote())
	}
	// No ServeMux pattern: the name is the method alone; 404 is no server error.
	if s.Name != "POST" {
		t.Errorf("name %q", s.Name)
	}
	if s.Status.Code != codes.Unset {
		t.Errorf("404 must not fail a server span: %v", s.Status)
	}
}

func TestServerSpanStatus(t *testing.T) {
	cases := []struct {
		name      string
		status    int
		wantCode  any // nil: attribute absent
		wantError string
	}{
		{"nothing written is 200", 0, int64(200), ""},
		{"unknown status", -1, nil, ""},
		{"client error", 404, int64(404), ""},
		{"server error", 500, int64(500), "500"},
		{"uncommon server error", 599, int64(599), "599"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			exp, _ := useTestTracer(t)
			req := httptest.NewRequest("GET", "http://h/", nil)
			req.RemoteAddr = ""
			_, end := serveHTTPHook(req)
			end(c.status, nil)
			s := onlySpan(t, exp)
			want := map[string]any{
				"http.request.method":      "GET",
				"url.path":                 "/",
				"network.protocol.version": "1.1",
				"server.address":           "h",
			}
			if c.wantCode != nil {
				want["http.response.status_code"] = c.wantCode
			}
			if c.wantError != "" {
				want["error.type"] = c.wantError
				if s.Status.Code != codes.Error {
					t.Errorf("status %v, want Error", s.Status)
				}
			} else if s.Status.Code != codes.Unset {
				t.Errorf("status %v, want Unset", s.Status)
			}
			wantAttrs(t, s, want)
		})
	}
}

func TestServerSpanPanic(t *testing.T) {
	exp, _ := useTestTracer(t)
	req := httptest.NewRequest("GET", "http://h/p", nil)
	_, end := serveHTTPHook(req)
	end(0, errors.New("boom"))
	s := onlySpan(t, exp)
	if s.Status.Code != codes.Error || s.Status.Description != "boom" {
		t.Errorf("status %+v", s.Status)
	}
	got := attrMap(t, s.Attributes)
	if got["error.type"] != "*errors.errorString" {
		t.Errorf("error.type %v", got["error.type"])
	}
	if _, ok := got["http.response.status_code"]; ok {
		t.Errorf("a handler that panicked before writing sent no status: %v", got["http.response.status_code"])
	}

	exp.Reset()
	_, end = serveHTTPHook(httptest.NewRequest("GET", "http://h/p", nil))
	end(503, "string panic") // wrote 503, then panicked
	s = onlySpan(t, exp)
	got = attrMap(t, s.Attributes)
	if got["error.type"] != "string" || s.Status.Description != "string panic" || got["http.response.status_code"] != int64(503) {
		t.Errorf("attrs %v status %+v", got, s.Status)
	}
}

func TestServerSpanOtherMethod(t *testing.T) {
	exp, _ := useTestTracer(t)
	req := httptest.NewRequest("PROPFIND", "http://h/dav", nil)
	_, end := serveHTTPHook(req)
	end(207, nil)
	s := onlySpan(t, exp)
	if s.Name != "_OTHER" {
		t.Errorf("name %q", s.Name)
	}
	got := attrMap(t, s.Attributes)
	if got["http.request.method"] != "_OTHER" || got["http.request.method_original"] != "PROPFIND" {
		t.Errorf("attrs %v", got)
	}
}

func TestServerSpanProtocolAndAddresses(t *testing.T) {
	exp, _ := useTestTracer(t)
	req := httptest.NewRequest("GET", "http://h/", nil)
	req.Proto, req.ProtoMajor, req.ProtoMinor = "HTTP/2.0", 2, 0
	req.Host = "[2001:db8::1]:8443"
	req.RemoteAddr = "[::1]:40000"
	_, end := serveHTTPHook(req)
	end(200, nil)
	got := attrMap(t, onlySpan(t, exp).Attributes)
	if got["network.protocol.version"] != "2" || got["server.address"] != "2001:db8::1" ||
		got["server.port"] != int64(8443) || got["client.address"] != "::1" || got["client.port"] != int64(40000) {
		t.Errorf("attrs %v", got)
	}

	exp.Reset()
	req = httptest.NewRequest("GET", "http://h/", nil)
	req.Proto, req.ProtoMajor, req.ProtoMinor = "HTTP/1.0", 1, 0
	req.Host = "plain-host"
	_, end = serveHTTPHook(req)
	end(200, nil)
	got = attrMap(t, onlySpan(t, exp).Attributes)
	if got["network.protocol.version"] != "1.0" || got["server.address"] != "plain-host" {
		t.Errorf("attrs %v", got)
	}
	if _, ok := got["server.port"]; ok {
		t.Errorf("server.port without a port in Host: %v", got["server.port"])
	}
}

func TestServerSpanRouteFromPatternForms(t *testing.T) {
	exp, _ := useTestTracer(t)
	mux := http.NewServeMux()
	ok := func(w http.ResponseWriter, r *http.Request) {}
	mux.HandleFunc("/static/", ok)
	mux.HandleFunc("example.com/hosted", ok)
	mux.HandleFunc("DELETE\t/tabbed/{id}", ok)
	for _, c := range []struct{ method, url, name, route string }{
		{"GET", "http://other/static/a.css", "GET /static/", "/static/"},
		{"GET", "http://example.com/hosted", "GET /hosted", "/hosted"},
		{"DELETE", "http://h/tabbed/1", "DELETE /tabbed/{id}", "/tabbed/{id}"},
	} {
		exp.Reset()
		serve(t, mux, httptest.NewRequest(c.method, c.url, nil))
		s := onlySpan(t, exp)
		if s.Name != c.name || attrMap(t, s.Attributes)["http.route"] != c.route {
			t.Errorf("%s %s: name %q attrs %v", c.method, c.url, s.Name, attrMap(t, s.Attributes))
		}
	}
}

func TestServerSpanNotSampled(t *testing.T) {
	exp, _ := useTestTracer(t, sdktrace.WithSampler(sdktrace.NeverSample()))
	req := httptest.NewRequest("GET", "http://h/", nil)
	req2, end := serveHTTPHook(req)
	if !ServerSpanFromContext(req2.Context()) {
		t.Error("context not marked")
	}
	end(500, nil)
	if n := len(exp.GetSpans()); n != 0 {
		t.Errorf("%d spans exported, want 0", n)
	}
}

func TestServerHookWithoutTracer(t *testing.T) {
	old := tracer
	tracer = nil
	defer func() { tracer = old }()
	req := httptest.NewRequest("GET", "http://h/", nil)
	req2, end := serveHTTPHook(req)
	if req2 != req {
		t.Error("request replaced while tracing is off")
	}
	end(200, nil)
	if ServerSpanFromContext(req2.Context()) || ServerSpanFromContext(nil) {
		t.Error("marked without a span")
	}
}
