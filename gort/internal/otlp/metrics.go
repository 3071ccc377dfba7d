// SPDX-License-Identifier: Apache-2.0

package otlp

import (
	"math"

	"goinstr.dev/rt/internal/model"
)

// Field numbers from opentelemetry-proto collector/metrics/v1 and metrics/v1.
const (
	fieldRequestResourceMetrics  = 1
	fieldResourceMetricsResource = 1
	fieldResourceMetricsScope    = 2
	fieldScopeMetricsScope       = 1
	fieldScopeMetricsMetrics     = 2

	fieldMetricName        = 1
	fieldMetricDescription = 2
	fieldMetricUnit        = 3
	fieldMetricHistogram   = 9

	fieldHistogramDataPoints  = 1
	fieldHistogramTemporality = 2

	fieldPointStart        = 2 // fixed64
	fieldPointTime         = 3 // fixed64
	fieldPointCount        = 4 // fixed64
	fieldPointSum          = 5 // optional double
	fieldPointBucketCounts = 6 // packed fixed64
	fieldPointBounds       = 7 // packed double
	fieldPointAttributes   = 9
	fieldPointMin          = 11 // optional double
	fieldPointMax          = 12 // optional double

	temporalityCumulative = 2 // AGGREGATION_TEMPORALITY_CUMULATIVE
)

// AppendMetricsRequest appends an ExportMetricsServiceRequest holding one
// ResourceMetrics (res, which may be nil) with one ScopeMetrics (scope) in
// which each histogram is a Metric with cumulative Histogram data.
func AppendMetricsRequest(b []byte, res *model.Resource, scope model.Scope, hists []model.Histogram) []byte {
	b, rmMark := beginMessage(b, fieldRequestResourceMetrics)
	b = appendResource(b, fieldResourceMetricsResource, res)
	b, smMark := beginMessage(b, fieldResourceMetricsScope)
	b = appendScope(b, fieldScopeMetricsScope, scope)
	for i := range hists {
		b = appendHistogramMetric(b, fieldScopeMetricsMetrics, &hists[i])
	}
	b = endMessage(b, smMark)
	return endMessage(b, rmMark)
}

func appendHistogramMetric(b []byte, field int, h *model.Histogram) []byte {
	b, mark := beginMessage(b, field)
	b = appendStringField(b, fieldMetricName, h.Name)
	b = appendStringField(b, fieldMetricDescription, h.Description)
	b = appendStringField(b, fieldMetricUnit, h.Unit)
	var data int
	b, data = beginMessage(b, fieldMetricHistogram)
	for i := range h.Points {
		b = appendHistogramPoint(b, fieldHistogramDataPoints, h.Bounds, &h.Points[i])
	}
	b = appendVarintField(b, fieldHistogramTemporality, temporalityCumulative)
	b = endMessage(b, data)
	return endMessage(b, mark)
}

// appendHistogramPoint writes one HistogramDataPoint. Sum always goes out
// (the runtime's histograms measure durations and sizes, never negative);
// min and max only when something was counted, since they mean nothing for
// an empty series.
func appendHistogramPoint(b []byte, field int, bounds []float64, p *model.HistogramPoint) []byte {
	b, mark := beginMessage(b, field)
	b = appendFixed64Field(b, fieldPointStart, uint64(p.StartNs))
	b = appendFixed64Field(b, fieldPointTime, uint64(p.TimeNs))
	b = appendFixed64Field(b, fieldPointCount, p.Count)
	b = appendDouble(b, fieldPointSum, p.Sum)
	if len(p.BucketCounts) > 0 {
		b = appendTag(b, fieldPointBucketCounts, wireBytes)
		b = appendVarint(b, uint64(8*len(p.BucketCounts)))
		for _, c := range p.BucketCounts {
			b = appendFixed64(b, c)
		}
	}
	if len(bounds) > 0 {
		b = appendTag(b, fieldPointBounds, wireBytes)
		b = appendVarint(b, uint64(8*len(bounds)))
		for _, x := range bounds {
			b = appendFixed64(b, math.Float64bits(x))
		}
	}
	b = appendAttributes(b, fieldPointAttributes, p.Attrs)
	if p.Count > 0 {
		b = appendDouble(b, fieldPointMin, p.Min)
		b = appendDouble(b, fieldPointMax, p.Max)
	}
	return endMessage(b, mark)
}
