// SPDX-License-Identifier: Apache-2.0
// OTLP/gRPC metrics: MetricsService.Export over one long-lived channel (gRPC reconnects it).
#include <grpcpp/grpcpp.h>

#include "common/log.hpp"
#include "export/otlp_grpc_channel.hpp"
#include "metrics/metric_exporter.hpp"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.grpc.pb.h"

namespace goinstr::metrics {
namespace {

class OtlpGrpcMetricExporter final : public MetricExporter {
 public:
  explicit OtlpGrpcMetricExporter(const exporter::OtlpOptions& options)
      : grpc_(options), stub_(otlp_metrics_collector::MetricsService::NewStub(grpc_.channel())) {}

  Result<> export_metrics(
      const otlp_metrics_collector::ExportMetricsServiceRequest& request) override {
    otlp_metrics_collector::ExportMetricsServiceResponse response;
    grpc::ClientContext context;
    grpc_.prepare(context);
    const grpc::Status status = stub_->Export(&context, request, &response);
    if (!status.ok()) return fail(grpc_.describe_failure("MetricsService/Export", status));
    const auto& partial = response.partial_success();
    if (partial.rejected_data_points() > 0 || !partial.error_message().empty())
      spdlog::warn("OTLP/gRPC {}: collector rejected {} data point(s): {}", grpc_.address(),
                   partial.rejected_data_points(), partial.error_message());
    return {};
  }

  std::string name() const override { return "otlp-grpc-metrics"; }

 private:
  exporter::OtlpGrpcChannel grpc_;
  std::unique_ptr<otlp_metrics_collector::MetricsService::Stub> stub_;
};

}  // namespace

std::unique_ptr<MetricExporter> make_otlp_grpc_metric_exporter(
    const exporter::OtlpOptions& options) {
  return std::make_unique<OtlpGrpcMetricExporter>(options);
}

}  // namespace goinstr::metrics
