// SPDX-License-Identifier: Apache-2.0

package otlp

import (
	"testing"

	collectormetricspb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	metricspb "go.opentelemetry.io/proto/otlp/metrics/v1"
	"goinstr.dev/rt/internal/model"
	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"
)

func testHistograms() []model.Histogram {
	return []model.Histogram{
		{
			Name: "http.server.request.duration", Description: "Duration of HTTP server requests.", Unit: "s",
			Bounds: []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10},
			Points: []model.HistogramPoint{
				{
					Attrs:   []model.Attr{model.String("http.request.method", "GET"), model.Int("http.response.status_code", 200)},
					StartNs: 1700000000000000000, TimeNs: 1700000060000000000,
					Count: 7, Sum: 0.75, Min: 0.001, Max: 0.5,
					BucketCounts: []uint64{1, 2, 0, 0, 3, 0, 1, 0, 0, 0, 0, 0},
				},
				{
					// A series that has counted nothing yet: no min or max.
					Attrs:   []model.Attr{model.String("http.request.method", "POST"), model.Bool("error", true)},
					StartNs: 1700000000000000000, TimeNs: 1700000060000000000,
					BucketCounts: make([]uint64, 12),
				},
			},
		},
		// No bounds (a single bucket), no description or unit, no attributes.
		{Name: "db.client.operation.duration", Points: []model.HistogramPoint{
			{TimeNs: 5, Count: 1, Sum: 2.5, Min: 2.5, Max: 2.5, BucketCounts: []uint64{1}},
		}},
		{Name: "no.points.yet"},
	}
}

func wantHistogramMetrics(hists []model.Histogram) []*metricspb.Metric {
	var out []*metricspb.Metric
	for _, h := range hists {
		data := &metricspb.Histogram{AggregationTemporality: metricspb.AggregationTemporality_AGGREGATION_TEMPORALITY_CUMULATIVE}
		for _, p := range h.Points {
			p := p
			dp := &metricspb.HistogramDataPoint{
				Attributes: wantAttrs(p.Attrs), StartTimeUnixNano: uint64(p.StartNs), TimeUnixNano: uint64(p.TimeNs),
				Count: p.Count, Sum: &p.Sum, BucketCounts: p.BucketCounts, ExplicitBounds: h.Bounds,
			}
			if p.Count > 0 {
				dp.Min, dp.Max = &p.Min, &p.Max
			}
			data.DataPoints = append(data.DataPoints, dp)
		}
		out = append(out, &metricspb.Metric{Name: h.Name, Description: h.Description, Unit: h.Unit,
			Data: &metricspb.Metric_Histogram{Histogram: data}})
	}
	return out
}

func TestAppendMetricsRequestDecodesFieldByField(t *testing.T) {
	hists := testHistograms()
	b := AppendMetricsRequest(nil, testResource, testScope, hists)
	var req collectormetricspb.ExportMetricsServiceRequest
	if err := proto.Unmarshal(b, &req); err != nil {
		t.Fatal(err)
	}
	if len(req.ResourceMetrics) != 1 || len(req.ResourceMetrics[0].ScopeMetrics) != 1 {
		t.Fatalf("got %s", prototext.Format(&req))
	}
	rm := req.ResourceMetrics[0]
	expectEqual(t, "resource", rm.Resource, wantResource(testResource))
	sm := rm.ScopeMetrics[0]
	expectEqual(t, "scope", sm.Scope, wantScope(testScope))
	want := wantHistogramMetrics(hists)
	if len(sm.Metrics) != len(want) {
		t.Fatalf("%d metrics, want %d", len(sm.Metrics), len(want))
	}
	for i := range want {
		expectEqual(t, "metric "+want[i].Name, sm.Metrics[i], want[i])
	}

	// What the mirror above could get wrong the same way as the encoder.
	h := sm.Metrics[0].GetHistogram()
	if h.AggregationTemporality != metricspb.AggregationTemporality_AGGREGATION_TEMPORALITY_CUMULATIVE {
		t.Errorf("temporality = %v", h.AggregationTemporality)
	}
	full, empty := h.DataPoints[0], h.DataPoints[1]
	if full.Min == nil || *full.Min != 0.001 || full.Max == nil || *full.Max != 0.5 || full.GetSum() != 0.75 || full.Count != 7 {
		t.Errorf("point = %s", prototext.Format(full))
	}
	if empty.Min != nil || empty.Max != nil || empty.Sum == nil || *empty.Sum != 0 {
		t.Errorf("empty point = %s; want sum 0 and no min/max", prototext.Format(empty))
	}
	if n := len(sm.Metrics[1].GetHistogram().DataPoints[0].ExplicitBounds); n != 0 {
		t.Errorf("%d bounds, want none", n)
	}
}

func TestAppendMetricsRequestMatchesProtoMarshal(t *testing.T) {
	hists := testHistograms()
	want, err := proto.Marshal(&collectormetricspb.ExportMetricsServiceRequest{
		ResourceMetrics: []*metricspb.ResourceMetrics{{
			Resource:     wantResource(testResource),
			ScopeMetrics: []*metricspb.ScopeMetrics{{Scope: wantScope(testScope), Metrics: wantHistogramMetrics(hists)}},
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := AppendMetricsRequest(nil, testResource, testScope, hists); string(got) != string(want) {
		t.Errorf("encoding differs from proto.Marshal:\ngot  %x\nwant %x", got, want)
	}
}

func TestAppendMetricsRequestEmpty(t *testing.T) {
	var req collectormetricspb.ExportMetricsServiceRequest
	if err := proto.Unmarshal(AppendMetricsRequest(nil, nil, model.Scope{}, nil), &req); err != nil {
		t.Fatal(err)
	}
	if len(req.ResourceMetrics) != 1 || len(req.ResourceMetrics[0].ScopeMetrics) != 1 ||
		len(req.ResourceMetrics[0].ScopeMetrics[0].Metrics) != 0 {
		t.Errorf("got %s", prototext.Format(&req))
	}
}
