// SPDX-License-Identifier: Apache-2.0

// Server hook tests: the hook is called directly around a real ServeMux, the
// way the woven net/http calls it around serverHandler.ServeHTTP.

package rt

import (
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"testing"

	"goinstr.dev/rt/internal/model"
	"goinstr.dev/rt/internal/tracer"
)

// serve runs req through the hook and mux like the woven server does and
// returns what the handler saw.
func serve(t *testing.T, mux http.Handler, req *http.Request) (seen *http.Request, status int) {
	t.Helper()
	req2, end := serveHTTPHook(req)
	rec := httptest.NewRecorder()
	http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = r
		mux.ServeHTTP(w, r)
	}).ServeHTTP(rec, req2)
	end(rec.Code, nil)
	return seen, rec.Code
}

func TestServerSpanBasic(t *testing.T) {
	tt := useTestTracer(t)
	mux := http.NewServeMux()
	var inHandler *tracer.Span
	var markedOK bool
	mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) {
		inHandler = tracer.SpanFrom(r.Context())
		markedOK = ServerSpanFromContext(r.Context())
		w.WriteHeader(http.StatusCreated)
	})
	req := httptest.NewRequest("GET", "http://example.com:8080/items/42?x=1", nil)
	req.RemoteAddr = "192.0.2.7:51234"
	req.Header.Set("User-Agent", "probe/1.0")
	serve(t, mux, req)

	s := tt.only()
	if inHandler == nil || inHandler.Context().SpanID != s.SpanID || !markedOK {
		t.Errorf("handler context: span %v (want %x), marked as server span %v", inHandler, s.SpanID, markedOK)
	}
	if s.Name != "GET /items/{id}" {
		t.Errorf("name %q", s.Name)
	}
	wantKind(t, s, model.KindServer)
	wantAttrs(t, s, map[string]interface{}{
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
	wantStatus(t, s, model.StatusUnset, "")
	if s.ParentSpanID.IsValid() || !s.TraceID.IsValid() || !s.SpanID.IsValid() {
		t.Errorf("ids: trace %x span %x parent %x", s.TraceID, s.SpanID, s.ParentSpanID)
	}
	if s.Flags != model.FlagSampled || s.StartNs <= 0 || s.EndNs < s.StartNs {
		t.Errorf("flags %x, start %d, end %d", s.Flags, s.StartNs, s.EndNs)
	}
}

func TestServerSpanContinuesIncomingTrace(t *testing.T) {
	tt := useTestTracer(t)
	req := httptest.NewRequest("POST", "/submit", nil)
	req.Header.Set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	req.Header.Set("tracestate", "vendor=x")
	serve(t, http.NotFoundHandler(), req)
	s := tt.only()
	if got := hex.EncodeToString(s.TraceID[:]); got != "4bf92f3577b34da6a3ce929d0e0e4736" {
		t.Errorf("trace id %s", got)
	}
	if got := hex.EncodeToString(s.ParentSpanID[:]); got != "00f067aa0ba902b7" || !s.ParentRemote {
		t.Errorf("parent %s remote %v", got, s.ParentRemote)
	}
	if s.TraceState != "vendor=x" {
		t.Errorf("tracestate %q", s.TraceState)
	}
	// No ServeMux pattern: the name is the method alone; 404 is no server error.
	if s.Name != "POST" {
		t.Errorf("name %q", s.Name)
	}
	wantStatus(t, s, model.StatusUnset, "")
}

func TestServerSpanIgnoresBadTraceparent(t *testing.T) {
	tt := useTestTracer(t)
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("traceparent", "00-00000000000000000000000000000000-00f067aa0ba902b7-01")
	serve(t, http.NotFoundHandler(), req)
	if s := tt.only(); s.ParentSpanID.IsValid() || s.ParentRemote {
		t.Errorf("an invalid traceparent gave a parent %x", s.ParentSpanID)
	}
}

func TestServerSpanRouteFromPatternForms(t *testing.T) {
	tt := useTestTracer(t)
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
		tt.reset()
		serve(t, mux, httptest.NewRequest(c.method, c.url, nil))
		s := tt.only()
		if s.Name != c.name || attrMap(t, s.Attrs)["http.route"] != c.route {
			t.Errorf("%s %s: name %q attrs %v", c.method, c.url, s.Name, attrMap(t, s.Attrs))
		}
	}
}

func TestServerSpanNotSampled(t *testing.T) {
	off, err := tracer.ParseSampler("always_off", "")
	if err != nil {
		t.Fatal(err)
	}
	tt := useTestTracer(t, off)
	req := httptest.NewRequest("GET", "http://h/", nil)
	req2, end := serveHTTPHook(req)
	if !ServerSpanFromContext(req2.Context()) {
		t.Error("context not marked")
	}
	end(500, nil)
	if n := len(tt.spans()); n != 0 {
		t.Errorf("%d spans exported, want 0", n)
	}
}

func TestServerHookWithoutTracer(t *testing.T) {
	old := UseTracerForTests(nil)
	defer UseTracerForTests(old)
	req := httptest.NewRequest("GET", "http://h/", nil)
	req2, end := serveHTTPHook(req)
	if req2 != req {
		t.Error("request replaced while tracing is off")
	}
	end(200, nil)
	if ServerSpanFromContext(req2.Context()) || ServerSpanFromContext(nil) {
		t.Error("marked without a span")
	}
	if req3, _ := serveHTTPHook(nil); req3 != nil {
		t.Error("a nil request must stay nil")
	}
}
