// SPDX-License-Identifier: Apache-2.0
// OTLP/gRPC metrics: MetricsService.Export over one long-lived channel (gRPC reconnects it).
#include <fmt/format.h>
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <cctype>
#include <chrono>

#include "common/log.hpp"
#include "metrics/metric_exporter.hpp"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.grpc.pb.h"

namespace goinstr::metrics {
namespace {

struct Target {
  std::string address;  // host:port, as grpc::CreateChannel wants it
  bool tls = false;
};

// "host:4317", "http://host:4317" (plaintext) or "https://host:4317" (TLS); gRPC has no use for a
// path, so one copied from an HTTP URL ("/v1/metrics") is dropped.
Target parse_target(std::string_view endpoint) {
  Target target;
  if (endpoint.starts_with("https://")) {
    target.tls = true;
    endpoint.remove_prefix(8);
  } else if (endpoint.starts_with("http://")) {
    endpoint.remove_prefix(7);
  }
  target.address = std::string(endpoint.substr(0, endpoint.find('/')));
  return target;
}

class OtlpGrpcMetricExporter final : public MetricExporter {
 public:
  explicit OtlpGrpcMetricExporter(const exporter::OtlpOptions& options)
      : target_(parse_target(options.endpoint)), timeout_(options.timeout_ms) {
    auto credentials = target_.tls ? grpc::SslCredentials(grpc::SslCredentialsOptions{})
                                   : grpc::InsecureChannelCredentials();
    stub_ = otlp_metrics_collector::MetricsService::NewStub(
        grpc::CreateChannel(target_.address, credentials));
    // gRPC metadata keys must be lowercase; OTEL_EXPORTER_OTLP_HEADERS keys often are not.
    for (auto [key, value] : options.headers) {
      std::transform(key.begin(), key.end(), key.begin(),
                     [](unsigned char c) { return std::tolower(c); });
      metadata_.emplace_back(std::move(key), std::move(value));
    }
  }

  Result<> export_metrics(
      const otlp_metrics_collector::ExportMetricsServiceRequest& request) override {
    otlp_metrics_collector::ExportMetricsServiceResponse response;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + timeout_);
    for (const auto& [key, value] : metadata_) context.AddMetadata(key, value);
    const grpc::Status status = stub_->Export(&context, request, &response);
    if (!status.ok())
      return fail(fmt::format("OTLP/gRPC MetricsService/Export to {}: code {}: {}", target_.address,
                              static_cast<int>(status.error_code()), status.error_message()));
    const auto& partial = response.partial_success();
    if (partial.rejected_data_points() > 0 || !partial.error_message().empty())
      spdlog::warn("OTLP/gRPC {}: collector rejected {} data point(s): {}", target_.address,
                   partial.rejected_data_points(), partial.error_message());
    return {};
  }

  std::string name() const override { return "otlp-grpc-metrics"; }

 private:
  Target target_;
  std::chrono::milliseconds timeout_;
  std::unique_ptr<otlp_metrics_collector::MetricsService::Stub> stub_;
  std::vector<std::pair<std::string, std::string>> metadata_;
};

}  // namespace

std::unique_ptr<MetricExporter> make_otlp_grpc_metric_exporter(
    const exporter::OtlpOptions& options) {
  return std::make_unique<OtlpGrpcMetricExporter>(options);
}

}  // namespace goinstr::metrics
