// SPDX-License-Identifier: Apache-2.0
#include "metrics/otlp_metrics.hpp"

#include <map>
#include <string>
#include <vector>

#include "export/otlp_encode.hpp"

namespace goinstr::metrics {
namespace {

void encode_metric(Instrument instrument, const std::vector<const HistogramPoint*>& points,
                   CollectionTimes times, otlp_metrics::Metric* out) {
  const auto& meta = info(instrument);
  out->set_name(std::string(meta.name));
  out->set_description(std::string(meta.description));
  out->set_unit(std::string(meta.unit));
  auto* histogram = out->mutable_histogram();
  // Cumulative: every export repeats the totals since start, so a lost export loses nothing.
  histogram->set_aggregation_temporality(otlp_metrics::AGGREGATION_TEMPORALITY_CUMULATIVE);
  for (const auto* point : points) encode_point(*point, times, histogram->add_data_points());
}

}  // namespace

void encode_point(const HistogramPoint& point, CollectionTimes times,
                  otlp_metrics::HistogramDataPoint* out) {
  exporter::encode_attributes(point.attributes, out->mutable_attributes());
  out->set_start_time_unix_nano(times.start_unix_ns);
  out->set_time_unix_nano(times.time_unix_ns);
  out->set_count(point.count);
  out->set_sum(point.sum);
  if (point.count > 0) {
    out->set_min(point.min);
    out->set_max(point.max);
  }
  for (uint64_t n : point.bucket_counts) out->add_bucket_counts(n);
  for (double bound : kDurationBounds) out->add_explicit_bounds(bound);
}

otlp_metrics_collector::ExportMetricsServiceRequest encode_metrics(
    std::span<const HistogramPoint> points, const ResourceFn& resource_for_pid,
    CollectionTimes times) {
  std::map<int32_t, std::map<Instrument, std::vector<const HistogramPoint*>>> by_pid;
  for (const auto& point : points) by_pid[point.pid][point.instrument].push_back(&point);

  otlp_metrics_collector::ExportMetricsServiceRequest request;
  for (const auto& [pid, instruments] : by_pid) {
    auto* resource_metrics = request.add_resource_metrics();
    exporter::encode_attributes(resource_for_pid(pid).attributes,
                                resource_metrics->mutable_resource()->mutable_attributes());
    auto* scope_metrics = resource_metrics->add_scope_metrics();
    scope_metrics->mutable_scope()->set_name(exporter::kScopeName);
    scope_metrics->mutable_scope()->set_version(exporter::kScopeVersion);
    for (const auto& [instrument, series] : instruments)
      encode_metric(instrument, series, times, scope_metrics->add_metrics());
  }
  return request;
}

}  // namespace goinstr::metrics
