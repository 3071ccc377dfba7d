// SPDX-License-Identifier: Apache-2.0

package metrics

import (
	"compress/gzip"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
)

func TestParseListenAddress(t *testing.T) {
	for addr, want := range map[string]string{
		":9464":          "tcp4 0.0.0.0:9464",
		"127.0.0.1:9464": "tcp4 127.0.0.1:9464",
		"[::1]:9464":     "tcp6 [::1]:9464",
		"localhost:80":   "tcp localhost:80",
		"127.0.0.1:0":    "tcp4 127.0.0.1:0",
	} {
		network, hostport, err := parseListenAddress(addr)
		if got := network + " " + hostport; err != nil || got != want {
			t.Errorf("%q: %q, %v; want %q", addr, got, err, want)
		}
	}
	// The agent's messages (prometheus_test.cpp ParsesListenAddresses).
	for addr, want := range map[string]string{
		"9464":           "'9464': expected host:port or :port",
		":99999":         "':99999': bad port '99999' (expected 1-65535)",
		":":              "':': bad port '' (expected 1-65535)",
		"::1:80":         "'::1:80': IPv6 addresses need brackets ([::1]:9464)",
		"a b:80":         "'a b:80': invalid character ' ' in host",
		"localhost:+80":  "'localhost:+80': bad port '+80' (expected 1-65535)",
		"localhost:http": "'localhost:http': bad port 'http' (expected 1-65535)",
	} {
		if _, _, err := parseListenAddress(addr); err == nil || err.Error() != want {
			t.Errorf("%q: %v, want %q", addr, err, want)
		}
	}
}

func serve(t *testing.T, gather func() []byte) *PromServer {
	t.Helper()
	p, err := ServePrometheus("127.0.0.1:0", gather)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

func get(t *testing.T, method, url, encoding string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, nil)
	if encoding != "" {
		req.Header.Set("Accept-Encoding", encoding) // also stops the transport from unzipping
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body io.Reader = resp.Body
	if resp.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		body = zr
	}
	b, err := io.ReadAll(body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

func TestServesMetrics(t *testing.T) {
	r := NewRecorder(0)
	r.Record(serverSpan(3*ms, 200, "/items/{id}"))
	gather := func() []byte { return AppendPrometheus(nil, r.Snapshot(1), nil, "shop", "4242") }
	p := serve(t, gather)
	base := "http://" + p.Addr().String()

	resp, body := get(t, "GET", base+"/metrics", "identity")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/plain; version=0.0.4; charset=utf-8" ||
		body != string(gather()) || !strings.Contains(body, "http_server_request_duration_seconds_count{") {
		t.Errorf("GET /metrics: %d %q\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	resp, zbody := get(t, "GET", base+"/metrics", "gzip, deflate")
	if resp.Header.Get("Content-Encoding") != "gzip" || zbody != body {
		t.Errorf("gzip: %q, body equal %v", resp.Header.Get("Content-Encoding"), zbody == body)
	}
	if resp, _ := get(t, "GET", base+"/metrics", "gzip;q=0"); resp.Header.Get("Content-Encoding") != "" {
		t.Error("gzip;q=0 was compressed")
	}
	if resp, b := get(t, "HEAD", base+"/metrics", "identity"); resp.StatusCode != 200 || b != "" {
		t.Errorf("HEAD: %d %q", resp.StatusCode, b)
	}
	for _, path := range []string{"/", "/metrics/", "/metricsx"} {
		if resp, _ := get(t, "GET", base+path, ""); resp.StatusCode != 404 {
			t.Errorf("GET %s: %d", path, resp.StatusCode)
		}
	}
	if resp, _ := get(t, "POST", base+"/metrics", ""); resp.StatusCode != 405 || resp.Header.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST: %d", resp.StatusCode)
	}
	if p.Scrapes() != 4 {
		t.Errorf("%d scrapes, want 4 (3 GET, 1 HEAD)", p.Scrapes())
	}
	if p.HTTPServer() == nil {
		t.Error("no HTTPServer")
	}
	p.Close()
	p.Close() // idempotent
	if _, err := net.Dial("tcp", p.Addr().String()); err == nil {
		t.Error("still listening after Close")
	}
}

func TestBusyPortIsAClearError(t *testing.T) {
	first := serve(t, nil)
	addr := first.Addr().String()
	if _, err := ServePrometheus(addr, nil); err == nil || err.Error() != "cannot listen on "+addr+": Address already in use" {
		t.Errorf("second listen on %s: %v", addr, err)
	}
	// 192.0.2.0/24 is TEST-NET-1: never a local address.
	if _, err := ServePrometheus("192.0.2.1:9464", nil); err == nil ||
		err.Error() != "cannot listen on 192.0.2.1:9464: Cannot assign requested address" {
		t.Errorf("foreign address: %v", err)
	}
	if _, err := ServePrometheus("9464", nil); err == nil {
		t.Error("no error for a bad address")
	}
}

func TestEmptyGatherAndNilGather(t *testing.T) {
	p := serve(t, nil)
	if resp, b := get(t, "GET", "http://"+p.Addr().String()+"/metrics", ""); resp.StatusCode != 200 || b != "" {
		t.Errorf("nil gather: %d %q", resp.StatusCode, b)
	}
}

func TestListensOnIPv6Loopback(t *testing.T) {
	p, err := ServePrometheus("[::1]:0", nil)
	if err != nil {
		t.Skipf("no IPv6 loopback here: %v", err)
	}
	defer p.Close()
	if resp, _ := get(t, "GET", "http://"+p.Addr().String()+"/metrics", ""); resp.StatusCode != 200 {
		t.Errorf("GET over [::1]: %d", resp.StatusCode)
	}
}
