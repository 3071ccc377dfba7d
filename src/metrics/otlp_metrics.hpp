// SPDX-License-Identifier: Apache-2.0
// Aggregated histograms -> OTLP ExportMetricsServiceRequest. Shared by the HTTP and gRPC metric
// exporters, so both put the same bytes on the wire.
#pragma once

#include <span>

#include "metrics/aggregator.hpp"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.pb.h"

namespace goinstr::metrics {

namespace otlp_metrics_collector = opentelemetry::proto::collector::metrics::v1;
namespace otlp_metrics = opentelemetry::proto::metrics::v1;

struct CollectionTimes {
  uint64_t start_unix_ns = 0;  // start of the cumulative period
  uint64_t time_unix_ns = 0;   // when the points were collected
};

// One ResourceMetrics per pid (its resource from `resource_for_pid`), each with one ScopeMetrics
// ("goinstr", like the spans) holding one cumulative Histogram metric per instrument seen.
otlp_metrics_collector::ExportMetricsServiceRequest encode_metrics(
    std::span<const HistogramPoint> points, const ResourceFn& resource_for_pid,
    CollectionTimes times);

void encode_point(const HistogramPoint& point, CollectionTimes times,
                  otlp_metrics::HistogramDataPoint* out);

}  // namespace goinstr::metrics
