// SPDX-License-Identifier: Apache-2.0

package metrics

import (
	"math"
	"strings"
	"testing"

	"goinstr.dev/rt/internal/model"
)

// The agent's fmt::format("{}", v) for these values (checked against fmt
// 9.1 on the build machine).
func TestAppendDoubleAsFmt(t *testing.T) {
	for _, c := range []struct {
		v    float64
		want string
	}{
		{0, "0"}, {math.Copysign(0, -1), "-0"}, {1e15, "1000000000000000"}, {1e16, "1e+16"},
		{1234567, "1234567"}, {123456789012345678, "1.2345678901234568e+17"}, {0.0001, "0.0001"},
		{0.00001, "1e-05"}, {0.00015, "0.00015"}, {1.5e300, "1.5e+300"}, {5e-324, "5e-324"},
		{0.30000000000000004, "0.30000000000000004"}, {100, "100"}, {12.505, "12.505"}, {-2.5e-5, "-2.5e-05"},
		{-123.25, "-123.25"}, {9.5e15, "9500000000000000"}, {0.000099999, "9.9999e-05"},
		{1.7976931348623157e308, "1.7976931348623157e+308"},
		{math.NaN(), "nan"}, {math.Copysign(math.NaN(), -1), "-nan"}, {math.Inf(1), "inf"}, {math.Inf(-1), "-inf"},
	} {
		if got := string(appendDouble(nil, c.v)); got != c.want {
			t.Errorf("appendDouble(%v) = %q, want %q", c.v, got, c.want)
		}
	}
	for v, want := range map[float64]string{math.NaN(): "NaN", math.Inf(1): "+Inf", math.Inf(-1): "-Inf", 2.5: "2.5"} {
		if got := string(appendSample(nil, v)); got != want {
			t.Errorf("appendSample(%v) = %q, want %q", v, got, want)
		}
	}
}

func TestNamesAndLabels(t *testing.T) {
	for key, want := range map[string]string{
		"http.response.status_code": "http_response_status_code", "3d-thing/x": "_3d_thing_x",
		"": "_", "job": "job", "é": "__",
	} {
		if got := labelName(key); got != want {
			t.Errorf("labelName(%q) = %q, want %q", key, got, want)
		}
	}
	if got := metricName("db.client.operation.duration", "s"); got != "db_client_operation_duration_seconds" {
		t.Errorf("metricName = %q", got)
	}
	if got := metricName("x.count", "{request}"); got != "x_count" {
		t.Errorf("metricName without seconds = %q", got)
	}
	if got := string(appendHelp(nil, "a\\b\nc\"d")); got != `a\\b\nc"d` {
		t.Errorf("appendHelp = %q", got)
	}
	res := &model.Resource{Attrs: []model.Attr{model.Int("service.name", 7), model.String("service.namespace", "")}}
	if got := JobLabel(res); got != "7" {
		t.Errorf("JobLabel = %q", got)
	}
	if JobLabel(nil) != "" {
		t.Error("JobLabel(nil)")
	}
}

func TestAppendPrometheusAppendsAndSkipsEmptyHistograms(t *testing.T) {
	hists := []model.Histogram{
		{Name: "http.server.request.duration", Description: "empty", Unit: "s", Bounds: durationBounds[:]},
		{Name: "custom.thing", Description: "two\nlines \\", Unit: "s", Bounds: []float64{1},
			Points: []model.HistogramPoint{{Count: 3, Sum: math.Inf(1), BucketCounts: []uint64{1}}}},
	}
	got := string(AppendPrometheus([]byte("before\n"), hists, nil, "", "9"))
	want := "before\n" +
		"# HELP custom_thing_seconds two\\nlines \\\\\n# TYPE custom_thing_seconds histogram\n" +
		"custom_thing_seconds_bucket{job=\"\",instance=\"9\",le=\"1\"} 1\n" +
		"custom_thing_seconds_bucket{job=\"\",instance=\"9\",le=\"+Inf\"} 1\n" + // missing counts are 0
		"custom_thing_seconds_sum{job=\"\",instance=\"9\"} +Inf\n" +
		"custom_thing_seconds_count{job=\"\",instance=\"9\"} 3\n" +
		"# HELP target_info Target metadata\n# TYPE target_info gauge\n" +
		"target_info{job=\"\",instance=\"9\"} 1\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if got := AppendPrometheus(nil, hists[:1], nil, "a", "b"); len(got) != 0 {
		t.Errorf("only empty histograms: %q", got)
	}
}

func TestSnapshotRendersAsTheAgent(t *testing.T) {
	r := NewRecorder(0)
	r.Record(serverSpan(3*ms, 200, "/items/{id}"))
	text := string(AppendPrometheus(nil, r.Snapshot(1), nil, "shop", "4242"))
	// The line prometheus_test.cpp ServesMetricsOverHttp looks for.
	line := `http_server_request_duration_seconds_count{job="shop",instance="4242",http_request_method="GET",` +
		`http_response_status_code="200",http_route="/items/{id}",network_protocol_version="1.1",url_scheme="http"} 1` + "\n"
	if !strings.Contains(text, line) {
		t.Errorf("no %q in\n%s", line, text)
	}
}
