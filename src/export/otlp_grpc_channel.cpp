// SPDX-License-Identifier: Apache-2.0
#include "export/otlp_grpc_channel.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <iterator>
#include <string_view>

#include "model/grpc_codes.hpp"

namespace goinstr::exporter {
namespace {

std::string_view code_name(grpc::StatusCode code) {
  std::string_view name = model::grpc_code_name(static_cast<int64_t>(code));
  return name.empty() ? "UNKNOWN" : name;
}

}  // namespace

OtlpGrpcChannel::OtlpGrpcChannel(const OtlpOptions& options) : timeout_(options.timeout_ms) {
  std::string_view endpoint = options.endpoint;
  bool tls = false;
  if (endpoint.starts_with("https://")) {
    tls = true;
    endpoint.remove_prefix(8);
  } else if (endpoint.starts_with("http://")) {
    endpoint.remove_prefix(7);
  }
  // gRPC has no use for a path; drop a trailing "/" or "/v1/traces" from a copied HTTP URL.
  address_ = std::string(endpoint.substr(0, endpoint.find('/')));
  auto credentials = tls ? grpc::SslCredentials(grpc::SslCredentialsOptions{})
                         : grpc::InsecureChannelCredentials();
  channel_ = grpc::CreateChannel(address_, credentials);
  // gRPC metadata keys must be lowercase; OTEL_EXPORTER_OTLP_HEADERS keys often are not.
  for (auto [key, value] : options.headers) {
    std::transform(key.begin(), key.end(), key.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    metadata_.emplace_back(std::move(key), std::move(value));
  }
}

void OtlpGrpcChannel::prepare(grpc::ClientContext& context) const {
  context.set_deadline(std::chrono::system_clock::now() + timeout_);
  for (const auto& [key, value] : metadata_) context.AddMetadata(key, value);
}

std::string OtlpGrpcChannel::describe_failure(const std::string& what,
                                              const grpc::Status& status) const {
  return fmt::format("OTLP/gRPC {} to {}: {}: {}", what, address_, code_name(status.error_code()),
                     status.error_message());
}

}  // namespace goinstr::exporter
