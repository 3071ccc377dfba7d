// SPDX-License-Identifier: Apache-2.0
// OTLP/gRPC exporter against an in-process grpc::Server (test-only fake; the end-to-end tests use a
// real Jaeger).
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <mutex>

#include "export/exporter.hpp"
#include "export/otlp_encode.hpp"
#include "opentelemetry/proto/collector/trace/v1/trace_service.grpc.pb.h"
#include "test_spans.hpp"

namespace goinstr::exporter {
namespace {

class FakeTraceService final : public otlp_collector::TraceService::Service {
 public:
  grpc::Status Export(grpc::ServerContext* context,
                      const otlp_collector::ExportTraceServiceRequest* request,
                      otlp_collector::ExportTraceServiceResponse*) override {
    std::lock_guard lock(mu_);
    requests_.push_back(*request);
    auto it = context->client_metadata().find("x-api-key");
    if (it != context->client_metadata().end())
      api_key_ = std::string(it->second.data(), it->second.size());
    return reply_;
  }

  std::mutex mu_;
  std::vector<otlp_collector::ExportTraceServiceRequest> requests_;
  std::string api_key_;
  grpc::Status reply_ = grpc::Status::OK;
};

class OtlpGrpcExporterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    ASSERT_TRUE(server_);
    ASSERT_GT(port_, 0);
  }
  void TearDown() override { server_->Shutdown(); }

  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

  FakeTraceService service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

std::vector<model::Span> spans() {
  const auto root = testing::server_span();
  return {root, testing::child_span(root, 0x02, "SELECT", 10)};
}

TEST_F(OtlpGrpcExporterTest, ExportsOverPlaintextWithHttpScheme) {
  auto exporter = make_otlp_grpc_exporter({.endpoint = "http://" + address(),
                                           .protocol = Protocol::kGrpc,
                                           .headers = {{"X-Api-Key", "secret"}},
                                           .timeout_ms = 5000});
  const auto batch = spans();
  auto r = exporter->export_batch(testing::resource_for(4242), batch);
  ASSERT_TRUE(r) << r.error().message;
  std::lock_guard lock(service_.mu_);
  ASSERT_EQ(service_.requests_.size(), 1u);
  const auto& rs = service_.requests_[0].resource_spans(0);
  EXPECT_EQ(rs.resource().attributes(1).value().int_value(), 4242);
  ASSERT_EQ(rs.scope_spans(0).spans_size(), 2);
  EXPECT_EQ(rs.scope_spans(0).spans(0).name(), "GET /hello");
  EXPECT_EQ(rs.scope_spans(0).spans(1).parent_span_id(), rs.scope_spans(0).spans(0).span_id());
  EXPECT_EQ(service_.api_key_, "secret");  // header keys are lowercased for gRPC metadata
}

TEST_F(OtlpGrpcExporterTest, ExportsWithBareHostPort) {
  auto exporter = make_otlp_grpc_exporter({.endpoint = address(), .protocol = Protocol::kGrpc});
  const auto batch = spans();
  ASSERT_TRUE(exporter->export_batch({}, batch));
  ASSERT_TRUE(exporter->export_batch({}, batch));
  std::lock_guard lock(service_.mu_);
  EXPECT_EQ(service_.requests_.size(), 2u);
}

TEST_F(OtlpGrpcExporterTest, ServerErrorStatusIsAnError) {
  service_.reply_ = grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "slow down");
  auto exporter = make_otlp_grpc_exporter({.endpoint = address(), .protocol = Protocol::kGrpc});
  const auto batch = spans();
  auto r = exporter->export_batch({}, batch);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("RESOURCE_EXHAUSTED: slow down"), std::string::npos)
      << r.error().message;
}

TEST(OtlpGrpcExporter, NothingListeningIsAnError) {
  // Port 1 on loopback is privileged and unused in test environments.
  auto exporter = make_otlp_grpc_exporter(
      {.endpoint = "http://127.0.0.1:1", .protocol = Protocol::kGrpc, .timeout_ms = 2000});
  const auto batch = spans();
  const auto start = std::chrono::steady_clock::now();
  auto r = exporter->export_batch({}, batch);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("127.0.0.1:1"), std::string::npos) << r.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

}  // namespace
}  // namespace goinstr::exporter
