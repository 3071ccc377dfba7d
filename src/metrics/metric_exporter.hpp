// SPDX-License-Identifier: Apache-2.0
// Where aggregated metrics are pushed: OTLP over HTTP (POST <base>/v1/metrics, binary protobuf)
// or gRPC (MetricsService/Export), chosen by the same OtlpOptions the span exporters use.
#pragma once

#include <memory>
#include <string>

#include "common/result.hpp"
#include "export/exporter.hpp"
#include "metrics/otlp_metrics.hpp"

namespace goinstr::metrics {

class MetricExporter {
 public:
  virtual ~MetricExporter() = default;
  // Called from one thread at a time. A failure is returned, never retried: the next export
  // carries the same cumulative totals anyway.
  virtual Result<> export_metrics(
      const otlp_metrics_collector::ExportMetricsServiceRequest& request) = 0;
  virtual std::string name() const = 0;
};

// For http/protobuf: options.endpoint as-is when endpoint_is_full_url (it came from
// OTEL_EXPORTER_OTLP_METRICS_ENDPOINT), else the base URL + "/v1/metrics".
std::string metrics_url(const exporter::OtlpOptions& options);

std::unique_ptr<MetricExporter> make_otlp_http_metric_exporter(
    const exporter::OtlpOptions& options);
std::unique_ptr<MetricExporter> make_otlp_grpc_metric_exporter(
    const exporter::OtlpOptions& options);
// By options.protocol.
std::unique_ptr<MetricExporter> make_otlp_metric_exporter(const exporter::OtlpOptions& options);

}  // namespace goinstr::metrics
