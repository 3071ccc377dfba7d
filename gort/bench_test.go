// SPDX-License-Identifier: Apache-2.0

// Hot-path benchmarks (go test -bench . -benchmem): the hooks run on every
// request and query of an instrumented program, and are compared against
// hand-written otelhttp instrumentation.

package rt

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
)

func BenchmarkServerHook(b *testing.B) {
	useTestTracerB(b)
	req := httptest.NewRequest("GET", "http://example.com:8080/items/42", nil)
	req.Header.Set("User-Agent", "bench")
	b.ReportAllocs()
	for b.Loop() {
		req2, end := serveHTTPHook(req)
		req2.Pattern = "GET /items/{id}"
		end(200, nil)
	}
}

func BenchmarkClientHook(b *testing.B) {
	useTestTracerB(b)
	req, _ := http.NewRequestWithContext(context.Background(), "GET", "http://api.example.com/v1/items?q=1", nil)
	t := &http.Transport{}
	resp := &http.Response{StatusCode: 200}
	b.ReportAllocs()
	for b.Loop() {
		_, end := roundTripHook(t, req)
		end(resp, nil)
	}
}

func BenchmarkFuncSpan(b *testing.B) {
	useTestTracerB(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		_, s := StartFunc(ctx, "pkg.Func")
		s.End(nil)
	}
}
