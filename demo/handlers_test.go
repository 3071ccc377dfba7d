// SPDX-License-Identifier: Apache-2.0

package main

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// These run without a database; POST /log against Postgres is covered by the e2e suite.
func TestRoutes(t *testing.T) {
	mux := newMux(nil, "")
	cases := []struct {
		method, path, body string
		want               int
	}{
		{"GET", "/hello", "", 200},
		{"POST", "/hello", "", 405},
		{"GET", "/load?cpu=1000&alloc=10000&sleep=1ms", "", 200},
		{"GET", "/load?cpu=-1", "", 400},
		{"GET", "/load?alloc=99999999999", "", 400},
		{"GET", "/load?sleep=1h", "", 400},
		{"GET", "/status/503", "", 503},
		{"GET", "/status/204", "", 204},
		{"GET", "/status/abc", "", 400},
		{"GET", "/status/100", "", 400},
		{"POST", "/log", `{"instrumentation":"ebpf","error_status":false}`, 503},
		{"POST", "/log", `{"instrumentation":"ebpf"}`, 400},
		{"POST", "/log", `{"instrumentation":"","error_status":true}`, 400},
		{"POST", "/log", `{"instrumentation":"012345678901234567890","error_status":true}`, 400},
		{"POST", "/log", `not json`, 400},
		{"GET", "/nope", "", 404},
	}
	for _, c := range cases {
		req := httptest.NewRequest(c.method, c.path, strings.NewReader(c.body))
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		if rec.Code != c.want {
			t.Errorf("%s %s %q: got %d, want %d (%s)", c.method, c.path, c.body, rec.Code, c.want,
				rec.Body.String())
		}
	}
}
