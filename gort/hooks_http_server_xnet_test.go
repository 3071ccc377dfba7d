// SPDX-License-Identifier: Apache-2.0

// The start for servers outside net/http (golang.org/x/net/http2's, woven by
// data/rules/x_net_http2.yaml): the same span as serveHTTPHook's, and none
// from net/http's hook again when x/net hands the request to net/http's
// serverHandler (http2.ConfigureServer).

package rt

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestHTTPServerStartNeedsTheHooks(t *testing.T) {
	useTestTracer(t)
	defer func(old bool) { hooksInstalled = old }(hooksInstalled)
	hooksInstalled = false
	req := httptest.NewRequest("GET", "http://example.com/x", nil)
	if got, end := HTTPServerStart(req); got != req || end != nil {
		t.Errorf("without the woven std: request replaced %v, end %v", got != req, end != nil)
	}
}

func TestHTTPServerStartThenServerHandler(t *testing.T) {
	tt := useTestTracer(t)
	defer func(old bool) { hooksInstalled = old }(hooksInstalled)
	hooksInstalled = true
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
	})
	req := httptest.NewRequest("GET", "http://example.com:8080/items/7", nil)
	req.Proto, req.ProtoMajor, req.ProtoMinor = "HTTP/2.0", 2, 0
	req2, end := HTTPServerStart(req)
	if end == nil || !ServerSpanFromContext(req2.Context()) {
		t.Fatalf("no span started (end %v)", end != nil)
	}
	// x/net behind ConfigureServer: the handler is net/http's serverHandler.
	seen, status := serve(t, mux, req2)
	if seen != req2 {
		t.Errorf("net/http's hook replaced the request of a span already started")
	}
	end(status, nil)
	s := tt.only()
	if s.Name != "GET /items/{id}" {
		t.Errorf("name %q", s.Name)
	}
	wantAttrs(t, s, map[string]interface{}{
		"http.request.method":       "GET",
		"url.path":                  "/items/7",
		"http.route":                "/items/{id}",
		"http.response.status_code": int64(502),
		"network.protocol.version":  "2",
		"server.address":            "example.com",
		"server.port":               int64(8080),
		"client.address":            "192.0.2.1",
		"client.port":               int64(1234),
		"error.type":                "502",
	})
}

func TestHTTPServerStartSkipsThePreface(t *testing.T) {
	tt := useTestTracer(t)
	defer func(old bool) { hooksInstalled = old }(hooksInstalled)
	hooksInstalled = true
	req := httptest.NewRequest("PRI", "*", nil)
	req.Proto, req.ProtoMajor, req.ProtoMinor = "HTTP/2.0", 2, 0
	if got, end := HTTPServerStart(req); got != req || end != nil {
		t.Errorf("preface: request replaced %v, end %v", got != req, end != nil)
	}
	if n := len(tt.spans()); n != 0 {
		t.Errorf("%d spans for the preface", n)
	}
}
