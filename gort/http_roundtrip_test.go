// SPDX-License-Identifier: Apache-2.0

// Both HTTP hooks together: the trace continues from a client span to the
// server span across a real connection, tracestate travels, and an
// unsampled caller's decision is kept downstream.

package rt

import (
	"context"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"goinstr.dev/rt/internal/model"
	"goinstr.dev/rt/internal/tracer"
)

func TestClientSpanTracestate(t *testing.T) {
	tt := useTestTracer(t)
	parent, ok := tracer.ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	if !ok {
		t.Fatal("traceparent not parsed")
	}
	parent.TraceState = "vendor=x"
	ctx, _ := tt.tr.StartWithParent(context.Background(), parent, "server", model.KindServer)
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://h/", nil)
	req2, end := roundTripHook(nil, req)
	end(nil, nil)
	if got := req2.Header.Get("tracestate"); got != "vendor=x" {
		t.Errorf("tracestate %q", got)
	}
	if s := tt.only(); hex.EncodeToString(s.TraceID[:]) != "4bf92f3577b34da6a3ce929d0e0e4736" {
		t.Errorf("trace id %x", s.TraceID)
	}
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
	tt := useTestTracer(t)
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

	spans := tt.spans()
	if len(spans) != 2 {
		t.Fatalf("%d spans", len(spans))
	}
	server, clientSpan := spans[0], spans[1]
	if server.Kind != model.KindServer {
		server, clientSpan = clientSpan, server
	}
	if server.Name != "GET /hello/{name}" || clientSpan.Name != "GET" {
		t.Errorf("names %q %q", server.Name, clientSpan.Name)
	}
	if server.ParentSpanID != clientSpan.SpanID || server.TraceID != clientSpan.TraceID || !server.ParentRemote {
		t.Error("the server span is not a remote child of the client span")
	}
	if attrMap(t, server.Attrs)["http.response.status_code"] != int64(200) ||
		attrMap(t, clientSpan.Attrs)["network.protocol.version"] != "1.1" {
		t.Errorf("server attrs %v, client attrs %v", attrMap(t, server.Attrs), attrMap(t, clientSpan.Attrs))
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

// TestUnsampledParentIsFollowed: parentbased sampling keeps the caller's
// decision, and the client span under it says so downstream.
func TestUnsampledParentIsFollowed(t *testing.T) {
	tt := useTestTracer(t)
	req := httptest.NewRequest("GET", "http://h/", nil)
	req.Header.Set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")
	req2, end := serveHTTPHook(req)
	out, _ := http.NewRequestWithContext(req2.Context(), "GET", "http://downstream/", nil)
	out2, endClient := roundTripHook(nil, out)
	endClient(&http.Response{StatusCode: 200}, nil)
	end(200, nil)
	if n := len(tt.spans()); n != 0 {
		t.Errorf("%d spans of an unsampled trace exported", n)
	}
	tp := out2.Header.Get("traceparent")
	if !strings.HasPrefix(tp, "00-4bf92f3577b34da6a3ce929d0e0e4736-") || !strings.HasSuffix(tp, "-00") {
		t.Errorf("downstream traceparent %q", tp)
	}
}
