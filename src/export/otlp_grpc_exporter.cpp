// SPDX-License-Identifier: Apache-2.0
// OTLP/gRPC: TraceService.Export over one long-lived channel (gRPC reconnects it by itself).
#include <grpcpp/grpcpp.h>

#include "common/log.hpp"
#include "export/exporter.hpp"
#include "export/otlp_encode.hpp"
#include "export/otlp_grpc_channel.hpp"
#include "opentelemetry/proto/collector/trace/v1/trace_service.grpc.pb.h"

namespace goinstr::exporter {
namespace {

class OtlpGrpcExporter final : public SpanExporter {
 public:
  explicit OtlpGrpcExporter(const OtlpOptions& options)
      : grpc_(options), stub_(otlp_collector::TraceService::NewStub(grpc_.channel())) {}

  Result<> export_batch(const model::Resource& resource,
                        std::span<const model::Span> spans) override {
    const auto request = encode_request(resource, spans);
    otlp_collector::ExportTraceServiceResponse response;
    grpc::ClientContext context;
    grpc_.prepare(context);
    const grpc::Status status = stub_->Export(&context, request, &response);
    if (!status.ok()) return fail(grpc_.describe_failure("Export", status));
    if (response.has_partial_success() && (response.partial_success().rejected_spans() > 0 ||
                                           !response.partial_success().error_message().empty())) {
      spdlog::warn("OTLP/gRPC {}: collector rejected {} span(s): {}", grpc_.address(),
                   response.partial_success().rejected_spans(),
                   response.partial_success().error_message());
    }
    return {};
  }

  std::string name() const override { return "otlp-grpc"; }

 private:
  OtlpGrpcChannel grpc_;
  std::unique_ptr<otlp_collector::TraceService::Stub> stub_;
};

}  // namespace

std::unique_ptr<SpanExporter> make_otlp_grpc_exporter(const OtlpOptions& options) {
  return std::make_unique<OtlpGrpcExporter>(options);
}

}  // namespace goinstr::exporter
