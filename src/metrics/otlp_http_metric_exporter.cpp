// SPDX-License-Identifier: Apache-2.0
// OTLP/HTTP metrics: POST <endpoint>/v1/metrics through the transport the span exporter uses
// (export/otlp_http_post.hpp).
#include <spdlog/spdlog.h>

#include "common/log.hpp"
#include "export/otlp_http_post.hpp"
#include "metrics/metric_exporter.hpp"

namespace goinstr::metrics {
namespace {

class OtlpHttpMetricExporter final : public MetricExporter {
 public:
  explicit OtlpHttpMetricExporter(const exporter::OtlpOptions& options)
      : http_(metrics_url(options), options) {}

  Result<> export_metrics(
      const otlp_metrics_collector::ExportMetricsServiceRequest& request) override {
    ASSIGN_OR_RETURN(std::string body, http_.post(request.SerializeAsString()));
    log_partial_success(body);
    return {};
  }

  std::string name() const override { return "otlp-http-metrics"; }

 private:
  // A 2xx answer may still say points were rejected; they are lost, so say so.
  void log_partial_success(const std::string& body) const {
    otlp_metrics_collector::ExportMetricsServiceResponse response;
    if (body.empty() || !response.ParseFromString(body) || !response.has_partial_success()) return;
    const auto& partial = response.partial_success();
    if (partial.rejected_data_points() > 0 || !partial.error_message().empty())
      spdlog::warn("OTLP/HTTP {}: collector rejected {} data point(s): {}", http_.url(),
                   partial.rejected_data_points(), partial.error_message());
  }

  exporter::OtlpHttpPost http_;
};

}  // namespace

std::string metrics_url(const exporter::OtlpOptions& options) {
  return exporter::otlp_url(options, "/v1/metrics");
}

std::unique_ptr<MetricExporter> make_otlp_http_metric_exporter(
    const exporter::OtlpOptions& options) {
  return std::make_unique<OtlpHttpMetricExporter>(options);
}

std::unique_ptr<MetricExporter> make_otlp_metric_exporter(const exporter::OtlpOptions& options) {
  return options.protocol == exporter::Protocol::kGrpc ? make_otlp_grpc_metric_exporter(options)
                                                       : make_otlp_http_metric_exporter(options);
}

}  // namespace goinstr::metrics
