// SPDX-License-Identifier: Apache-2.0

// The metrics pipeline: when it exists, OTLP pushes to a test collector
// (decoded with the OpenTelemetry protobuf definitions), failure reports,
// the push at exit, and the Prometheus endpoint, whose scrapes are not traced.

package rt

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	collectormetricspb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	metricspb "go.opentelemetry.io/proto/otlp/metrics/v1"
	"google.golang.org/protobuf/proto"

	"goinstr.dev/rt/internal/tracer"
)

// measuredTracer makes p's recorder measure every span the hooks end.
func measuredTracer(p *metricsPipeline) {
	UseTracerForTests(tracer.New(tracer.AlwaysOn(), nil, p.recorder.Record)) // keepGlobals restores it
}

func TestMetricsPipelineOnlyWhenSomethingReadsIt(t *testing.T) {
	keepGlobals(t)
	cases := []struct {
		name    string
		env     map[string]string
		yaml    string
		want    bool
		message string
	}{
		{"no endpoint, no Prometheus", map[string]string{}, "", false, ""},
		{"an OTLP endpoint", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:1"}, "", true, ""},
		{"OTEL_METRICS_EXPORTER=none", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:1",
			"OTEL_METRICS_EXPORTER": "none"}, "", false, ""},
		{"metrics.enabled false", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:1"},
			"metrics:\n  enabled: false\n", false, ""},
		{"grpc refused", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:1",
			"OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"}, "", false,
			"goinstr: export.protocol grpc is not built into the woven runtime; metrics are not sent over OTLP\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			conf := loadConfig(t, c.env, c.yaml)
			conf.MetricExportIntervalMs = 3600000 // no push from the loop during the test
			var p *metricsPipeline
			out := captureStderr(t, func() { p = newMetricsPipeline(&conf) })
			if (p != nil) != c.want || out != c.message {
				t.Errorf("pipeline %v, stderr %q; want %v, %q", p != nil, out, c.want, c.message)
			}
		})
	}
}

func decodeMetrics(t *testing.T, body []byte) *collectormetricspb.ExportMetricsServiceRequest {
	t.Helper()
	var req collectormetricspb.ExportMetricsServiceRequest
	if err := proto.Unmarshal(body, &req); err != nil {
		t.Fatal(err)
	}
	return &req
}

func TestMetricsPushToCollector(t *testing.T) {
	keepGlobals(t)
	report = reporter{}
	col := newCollector(t)
	exportTransport = nil
	c := loadConfig(t, map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": col.srv.URL,
		"OTEL_METRIC_EXPORT_INTERVAL": "3600000", "OTEL_SERVICE_NAME": "shop"}, "")
	resource = newResource(&c)
	p := newMetricsPipeline(&c)
	if p == nil || p.sender == nil || p.prom != nil {
		t.Fatalf("pipeline %+v", p)
	}
	p.push()
	if n := len(col.received()); n != 0 {
		t.Fatalf("%d pushes with nothing measured", n)
	}

	measuredTracer(p)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) {})
	for i := 0; i < 2; i++ {
		serve(t, mux, httptest.NewRequest("GET", "http://shop/items/1", nil))
	}
	p.push()
	posts := col.received()
	if len(posts) != 1 || posts[0].path != "/v1/metrics" {
		t.Fatalf("posts %v", posts)
	}
	req := decodeMetrics(t, posts[0].body)
	rm := req.ResourceMetrics[0]
	if attrsOfProto(rm.Resource.Attributes)["service.name"] != "shop" ||
		rm.ScopeMetrics[0].Scope.GetName() != TracerName {
		t.Errorf("resource %v scope %v", rm.Resource, rm.ScopeMetrics[0].Scope)
	}
	m := rm.ScopeMetrics[0].Metrics
	if len(m) != 1 || m[0].Name != "http.server.request.duration" || m[0].Unit != "s" {
		t.Fatalf("metrics %v", m)
	}
	h := m[0].GetHistogram()
	if h == nil || h.AggregationTemporality != metricspb.AggregationTemporality_AGGREGATION_TEMPORALITY_CUMULATIVE ||
		len(h.DataPoints) != 1 || h.DataPoints[0].Count != 2 {
		t.Fatalf("histogram %v", h)
	}
	got := attrsOfProto(h.DataPoints[0].Attributes)
	if got["http.request.method"] != "GET" || got["http.route"] != "/items/{id}" ||
		got["http.response.status_code"] != int64(200) {
		t.Errorf("point attributes %v", got)
	}
	if _, ok := got["url.path"]; ok {
		t.Error("url.path is no metric attribute")
	}

	// Failures are said once until pushes work again, and counted.
	col.answer(http.StatusServiceUnavailable)
	out := captureStderr(t, func() { p.push(); p.push() })
	if !strings.HasPrefix(out, "goinstr: metrics export error: otlp: POST "+col.srv.URL+"/v1/metrics: HTTP 503") ||
		strings.Count(out, "\n") != 1 || !strings.HasSuffix(out, "(said once until it works again; counted)\n") {
		t.Errorf("stderr %q", out)
	}
	col.answer(0)
	if out := captureStderr(t, p.push); out != "goinstr: metrics export works again\n" {
		t.Errorf("stderr %q", out)
	}
	if pushes, failures := atomic.LoadUint64(&p.pushes), atomic.LoadUint64(&p.failures); pushes != 2 || failures != 2 {
		t.Errorf("%d pushes, %d failures", pushes, failures)
	}

	// At exit Flush pushes once more.
	rtMetrics = p
	n := len(col.received())
	Flush()
	if len(col.received()) != n+1 {
		t.Error("Flush did not push the metrics")
	}
	p.flush(0) // no time left: no push
	if len(col.received()) != n+1 {
		t.Error("flush pushed without time left")
	}
}
