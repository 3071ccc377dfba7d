// SPDX-License-Identifier: Apache-2.0
// OTLP/gRPC: TraceService.Export over one long-lived channel (gRPC reconnects it by itself).
#include <fmt/format.h>
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <cctype>
#include <chrono>

#include "common/log.hpp"
#include "export/exporter.hpp"
#include "export/otlp_encode.hpp"
#include "opentelemetry/proto/collector/trace/v1/trace_service.grpc.pb.h"

namespace goinstr::exporter {
namespace {

struct Target {
  std::string address;  // host:port, as grpc::CreateChannel wants it
  bool tls = false;
};

// Accepts "host:4317", "http://host:4317" (plaintext) and "https://host:4317" (TLS).
Target parse_target(std::string_view endpoint) {
  Target target;
  if (endpoint.starts_with("https://")) {
    target.tls = true;
    endpoint.remove_prefix(8);
  } else if (endpoint.starts_with("http://")) {
    endpoint.remove_prefix(7);
  }
  // gRPC has no use for a path; drop a trailing "/" or "/v1/traces" from a copied HTTP URL.
  endpoint = endpoint.substr(0, endpoint.find('/'));
  target.address = std::string(endpoint);
  return target;
}

std::string_view code_name(grpc::StatusCode code) {
  static constexpr std::string_view kNames[] = {"OK",
                                                "CANCELLED",
                                                "UNKNOWN",
                                                "INVALID_ARGUMENT",
                                                "DEADLINE_EXCEEDED",
                                                "NOT_FOUND",
                                                "ALREADY_EXISTS",
                                                "PERMISSION_DENIED",
                                                "RESOURCE_EXHAUSTED",
                                                "FAILED_PRECONDITION",
                                                "ABORTED",
                                                "OUT_OF_RANGE",
                                                "UNIMPLEMENTED",
                                                "INTERNAL",
                                                "UNAVAILABLE",
                                                "DATA_LOSS",
                                                "UNAUTHENTICATED"};
  const auto i = static_cast<size_t>(code);
  return i < std::size(kNames) ? kNames[i] : "UNKNOWN";
}

class OtlpGrpcExporter final : public SpanExporter {
 public:
  explicit OtlpGrpcExporter(const OtlpOptions& options)
      : target_(parse_target(options.endpoint)), timeout_(options.timeout_ms) {
    auto credentials = target_.tls ? grpc::SslCredentials(grpc::SslCredentialsOptions{})
                                   : grpc::InsecureChannelCredentials();
    stub_ =
        otlp_collector::TraceService::NewStub(grpc::CreateChannel(target_.address, credentials));
    // gRPC metadata keys must be lowercase; OTEL_EXPORTER_OTLP_HEADERS keys often are not.
    for (auto [key, value] : options.headers) {
      std::transform(key.begin(), key.end(), key.begin(),
                     [](unsigned char c) { return std::tolower(c); });
      metadata_.emplace_back(std::move(key), std::move(value));
    }
  }

  Result<> export_batch(const model::Resource& resource,
                        std::span<const model::Span> spans) override {
    const auto request = encode_request(resource, spans);
    otlp_collector::ExportTraceServiceResponse response;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + timeout_);
    for (const auto& [key, value] : metadata_) context.AddMetadata(key, value);
    const grpc::Status status = stub_->Export(&context, request, &response);
    if (!status.ok()) {
      return fail(fmt::format("OTLP/gRPC Export to {}: {}: {}", target_.address,
                              code_name(status.error_code()), status.error_message()));
    }
    if (response.has_partial_success() && (response.partial_success().rejected_spans() > 0 ||
                                           !response.partial_success().error_message().empty())) {
      spdlog::warn("OTLP/gRPC {}: collector rejected {} span(s): {}", target_.address,
                   response.partial_success().rejected_spans(),
                   response.partial_success().error_message());
    }
    return {};
  }

  std::string name() const override { return "otlp-grpc"; }

 private:
  Target target_;
  std::chrono::milliseconds timeout_;
  std::unique_ptr<otlp_collector::TraceService::Stub> stub_;
  std::vector<std::pair<std::string, std::string>> metadata_;
};

}  // namespace

std::unique_ptr<SpanExporter> make_otlp_grpc_exporter(const OtlpOptions& options) {
  return std::make_unique<OtlpGrpcExporter>(options);
}

}  // namespace goinstr::exporter
