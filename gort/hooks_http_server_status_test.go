// SPDX-License-Identifier: Apache-2.0

// Server span outcome and request details: status code and error rules
// (only 5xx and panics fail a server span), _OTHER methods, protocol
// versions, IPv6 and port-less addresses.

package rt

import (
	"errors"
	"net/http/httptest"
	"testing"

	"goinstr.dev/rt/internal/model"
)

func TestServerSpanStatus(t *testing.T) {
	cases := []struct {
		name      string
		status    int
		wantCode  interface{} // nil: attribute absent
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
			tt := useTestTracer(t)
			req := httptest.NewRequest("GET", "http://h/", nil)
			req.RemoteAddr = ""
			_, end := serveHTTPHook(req)
			end(c.status, nil)
			s := tt.only()
			want := map[string]interface{}{
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
				wantStatus(t, s, model.StatusError, "")
			} else {
				wantStatus(t, s, model.StatusUnset, "")
			}
			wantAttrs(t, s, want)
		})
	}
}

func TestServerSpanPanic(t *testing.T) {
	tt := useTestTracer(t)
	req := httptest.NewRequest("GET", "http://h/p", nil)
	_, end := serveHTTPHook(req)
	end(0, errors.New("boom"))
	s := tt.only()
	wantStatus(t, s, model.StatusError, "boom")
	got := attrMap(t, s.Attrs)
	if got["error.type"] != "*errors.errorString" {
		t.Errorf("error.type %v", got["error.type"])
	}
	if _, ok := got["http.response.status_code"]; ok {
		t.Errorf("a handler that panicked before writing sent no status: %v", got["http.response.status_code"])
	}

	tt.reset()
	_, end = serveHTTPHook(httptest.NewRequest("GET", "http://h/p", nil))
	end(503, "string panic") // wrote 503, then panicked
	s = tt.only()
	got = attrMap(t, s.Attrs)
	if got["error.type"] != "string" || s.StatusMessage != "string panic" || got["http.response.status_code"] != int64(503) {
		t.Errorf("attrs %v status %d %q", got, s.Status, s.StatusMessage)
	}
}

func TestServerSpanOtherMethod(t *testing.T) {
	tt := useTestTracer(t)
	req := httptest.NewRequest("PROPFIND", "http://h/dav", nil)
	_, end := serveHTTPHook(req)
	end(207, nil)
	s := tt.only()
	if s.Name != "_OTHER" {
		t.Errorf("name %q", s.Name)
	}
	got := attrMap(t, s.Attrs)
	if got["http.request.method"] != "_OTHER" || got["http.request.method_original"] != "PROPFIND" {
		t.Errorf("attrs %v", got)
	}
}

func TestServerSpanProtocolAndAddresses(t *testing.T) {
	tt := useTestTracer(t)
	req := httptest.NewRequest("GET", "http://h/", nil)
	req.Proto, req.ProtoMajor, req.ProtoMinor = "HTTP/2.0", 2, 0
	req.Host = "[2001:db8::1]:8443"
	req.RemoteAddr = "[::1]:40000"
	_, end := serveHTTPHook(req)
	end(200, nil)
	got := attrMap(t, tt.only().Attrs)
	if got["network.protocol.version"] != "2" || got["server.address"] != "2001:db8::1" ||
		got["server.port"] != int64(8443) || got["client.address"] != "::1" || got["client.port"] != int64(40000) {
		t.Errorf("attrs %v", got)
	}

	tt.reset()
	req = httptest.NewRequest("GET", "http://h/", nil)
	req.Proto, req.ProtoMajor, req.ProtoMinor = "HTTP/1.0", 1, 0
	req.Host = "plain-host"
	_, end = serveHTTPHook(req)
	end(200, nil)
	got = attrMap(t, tt.only().Attrs)
	if got["network.protocol.version"] != "1.0" || got["server.address"] != "plain-host" {
		t.Errorf("attrs %v", got)
	}
	if _, ok := got["server.port"]; ok {
		t.Errorf("server.port without a port in Host: %v", got["server.port"])
	}
}
