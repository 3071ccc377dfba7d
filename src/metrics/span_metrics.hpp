// SPDX-License-Identifier: Apache-2.0
// Everything the CLI needs for RED metrics in one object: the aggregator every finished span is
// recorded into, and whichever outputs are configured (OTLP push, Prometheus pull, or both).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "common/result.hpp"
#include "export/exporter.hpp"
#include "metrics/aggregator.hpp"
#include "metrics/pipeline.hpp"
#include "metrics/prometheus_server.hpp"

namespace goinstr::metrics {

struct SpanMetricsOptions {
  std::optional<exporter::OtlpOptions> otlp;  // endpoint as in metric_exporter.hpp; none: no push
  std::chrono::milliseconds export_interval{10000};
  std::string prometheus_address;  // empty: no server
  AggregatorOptions aggregator;
};

class SpanMetrics {
 public:
  // Fails only when the Prometheus address cannot be bound.
  static Result<std::unique_ptr<SpanMetrics>> start(const SpanMetricsOptions& options,
                                                    ResourceFn resource_for_pid);

  void record(const model::Span& span) { aggregator_->record(span); }
  // Stops the server, then exports a last time. Idempotent.
  void shutdown();

  const PrometheusServer* prometheus() const { return prometheus_.get(); }

  struct Summary {
    MetricsAggregator::Stats aggregator;
    std::optional<MetricsPipeline::Stats> otlp;  // set when OTLP export runs
    std::optional<uint64_t> scrapes;             // set when the Prometheus server runs
  };
  Summary summary() const;

 private:
  SpanMetrics() = default;

  std::shared_ptr<MetricsAggregator> aggregator_;
  std::unique_ptr<MetricsPipeline> pipeline_;
  std::unique_ptr<PrometheusServer> prometheus_;
};

}  // namespace goinstr::metrics
