// SPDX-License-Identifier: Apache-2.0
// What the OTLP/gRPC exporters of both signals share: one long-lived channel to the endpoint
// (gRPC reconnects it by itself), the request metadata, and readable status errors.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "export/exporter.hpp"

namespace goinstr::exporter {

class OtlpGrpcChannel {
 public:
  // Accepts "host:4317", "http://host:4317" (plaintext) and "https://host:4317" (TLS).
  explicit OtlpGrpcChannel(const OtlpOptions& options);

  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }
  const std::string& address() const { return address_; }
  // A context with the deadline and metadata every Export call carries.
  void prepare(grpc::ClientContext& context) const;
  // "OTLP/gRPC <what> to host:port: UNAVAILABLE: message".
  std::string describe_failure(const std::string& what, const grpc::Status& status) const;

 private:
  std::string address_;  // host:port, as grpc::CreateChannel wants it
  std::shared_ptr<grpc::Channel> channel_;
  std::chrono::milliseconds timeout_;
  std::vector<std::pair<std::string, std::string>> metadata_;
};

}  // namespace goinstr::exporter
