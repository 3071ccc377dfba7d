// SPDX-License-Identifier: Apache-2.0

// The Prometheus endpoint: it serves what the recorder measured, its
// scrapes get no span (the program's own requests do), and a busy address
// is said, not fatal.

package rt

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestPrometheusScrapeIsNotTraced(t *testing.T) {
	keepGlobals(t)
	c := loadConfig(t, map[string]string{"OTEL_SERVICE_NAME": "shop"}, "")
	c.PrometheusAddress = "127.0.0.1:0" // any free port (the configuration asks for a real one)
	resource = newResource(&c)
	p := newMetricsPipeline(&c)
	if p == nil || p.prom == nil || p.sender != nil {
		t.Fatalf("pipeline %+v", p)
	}
	defer p.prom.Close()
	if promServer != p.prom.HTTPServer() {
		t.Fatal("promServer is not the Prometheus endpoint's server")
	}
	tt := useTestTracer(t)

	// A scrape: the request as net/http hands it to the woven hook.
	scrape := httptest.NewRequest("GET", "http://"+p.prom.Addr().String()+"/metrics", nil)
	scrape = scrape.WithContext(context.WithValue(scrape.Context(), http.ServerContextKey, promServer))
	if !isScrape(scrape) {
		t.Error("a scrape is not recognised")
	}
	req2, end := serveHTTPHook(scrape)
	end(200, nil)
	if req2 != scrape || ServerSpanFromContext(req2.Context()) {
		t.Error("the scrape got a span")
	}
	// The program's own server, same path: traced.
	own := httptest.NewRequest("GET", "http://app/metrics", nil)
	own = own.WithContext(context.WithValue(own.Context(), http.ServerContextKey, &http.Server{}))
	if isScrape(own) || isScrape(httptest.NewRequest("GET", "/", nil)) {
		t.Error("the program's request taken for a scrape")
	}
	_, end = serveHTTPHook(own)
	end(200, nil)
	if s := tt.only(); s.Name != "GET" {
		t.Errorf("span %q", s.Name)
	}

	// The endpoint answers with what the recorder measured.
	measuredTracer(p)
	serve(t, http.NotFoundHandler(), httptest.NewRequest("GET", "http://shop/x", nil))
	resp, err := http.Get("http://" + p.prom.Addr().String() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "http_server_request_duration_seconds_count{") ||
		!strings.Contains(string(body), `job="shop"`) {
		t.Errorf("scrape:\n%s", body)
	}
	if p.prom.Scrapes() != 1 {
		t.Errorf("%d scrapes", p.prom.Scrapes())
	}
}

func TestPrometheusAddressInUse(t *testing.T) {
	keepGlobals(t)
	c := loadConfig(t, map[string]string{}, "")
	c.PrometheusAddress = "127.0.0.1:0"
	first := newMetricsPipeline(&c)
	if first == nil {
		t.Fatal("no pipeline")
	}
	defer first.prom.Close()
	c.PrometheusAddress = first.prom.Addr().String()
	var p *metricsPipeline
	out := captureStderr(t, func() { p = newMetricsPipeline(&c) })
	if p != nil || !strings.HasPrefix(out, "goinstr: export.prometheus: cannot listen on "+c.PrometheusAddress+": ") ||
		!strings.HasSuffix(out, "; metrics are not served\n") {
		t.Errorf("pipeline %v, stderr %q", p, out)
	}
}
