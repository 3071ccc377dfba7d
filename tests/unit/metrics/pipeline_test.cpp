// SPDX-License-Identifier: Apache-2.0
// The export pipeline against in-test collectors: OTLP/HTTP (an httplib server on 127.0.0.1) and
// OTLP/gRPC (an in-process grpc::Server), plus interval exports, the last export at shutdown,
// and failures counted once.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <mutex>
#include <thread>

#include "metrics/pipeline.hpp"
#include "metrics/span_metrics.hpp"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.grpc.pb.h"
#include "test_spans.hpp"

namespace goinstr::metrics {
namespace {

using namespace testing;
using namespace std::chrono_literals;

struct Received {
  std::string path;
  std::string content_type;
  std::string api_key;
  otlp_metrics_collector::ExportMetricsServiceRequest request;
};

// Records every POST; answers with `status`.
class FakeHttpCollector {
 public:
  explicit FakeHttpCollector(int status = 200) {
    server_.Post(".*", [this, status](const httplib::Request& req, httplib::Response& res) {
      Received r{
          req.path, req.get_header_value("Content-Type"), req.get_header_value("X-Api-Key"), {}};
      r.request.ParseFromString(req.body);
      std::lock_guard lock(mu_);
      received_.push_back(std::move(r));
      res.status = status;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::yield();
  }
  ~FakeHttpCollector() {
    server_.stop();
    thread_.join();
  }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<Received> received() {
    std::lock_guard lock(mu_);
    return received_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::vector<Received> received_;
};

std::shared_ptr<MetricsAggregator> aggregator_with_spans() {
  auto aggregator = std::make_shared<MetricsAggregator>();
  aggregator->record(server_span(3 * kMs));
  aggregator->record(db_span(kMs));
  return aggregator;
}

exporter::OtlpOptions http_options(const std::string& endpoint) {
  exporter::OtlpOptions options;
  options.endpoint = endpoint;
  options.headers = {{"X-Api-Key", "secret"}};
  options.timeout_ms = 2000;
  return options;
}

TEST(MetricsPipeline, HttpExportsAtShutdownToV1Metrics) {
  FakeHttpCollector collector;
  MetricsPipeline pipeline(aggregator_with_spans(),
                           make_otlp_metric_exporter(http_options(collector.endpoint())),
                           resource_for, {.interval = 1h});
  pipeline.shutdown();
  pipeline.shutdown();  // idempotent: no second export
  auto received = collector.received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].path, "/v1/metrics");
  EXPECT_EQ(received[0].content_type, "application/x-protobuf");
  EXPECT_EQ(received[0].api_key, "secret");
  ASSERT_EQ(received[0].request.resource_metrics_size(), 1);
  EXPECT_EQ(received[0].request.resource_metrics(0).scope_metrics(0).metrics_size(), 2);
  auto stats = pipeline.stats();
  EXPECT_EQ(stats.exports, 1u);
  EXPECT_EQ(stats.failed_exports, 0u);
  EXPECT_EQ(stats.points_exported, 2u);
  EXPECT_EQ(stats.last_series, 2u);
}

TEST(MetricsPipeline, FullUrlIsUsedAsIs) {
  FakeHttpCollector collector;
  auto options = http_options(collector.endpoint() + "/custom/metrics");
  options.endpoint_is_full_url = true;
  MetricsPipeline pipeline(aggregator_with_spans(), make_otlp_metric_exporter(options),
                           resource_for, {.interval = 1h});
  pipeline.shutdown();
  ASSERT_EQ(collector.received().size(), 1u);
  EXPECT_EQ(collector.received()[0].path, "/custom/metrics");
}

TEST(MetricsPipeline, ExportsEveryIntervalWithCumulativeTotals) {
  FakeHttpCollector collector;
  auto aggregator = aggregator_with_spans();
  MetricsPipeline pipeline(aggregator,
                           make_otlp_metric_exporter(http_options(collector.endpoint())),
                           resource_for, {.interval = 50ms});
  for (int i = 0; i < 200 && collector.received().size() < 2; ++i)
    std::this_thread::sleep_for(10ms);
  pipeline.shutdown();
  auto received = collector.received();
  ASSERT_GE(received.size(), 3u);  // at least two on the timer, one at shutdown
  const auto& first = received.front().request.resource_metrics(0).scope_metrics(0).metrics(0);
  const auto& last = received.back().request.resource_metrics(0).scope_metrics(0).metrics(0);
  EXPECT_EQ(first.histogram().data_points(0).count(), 1u);
  EXPECT_EQ(last.histogram().data_points(0).count(), 1u);  // cumulative, not reset per export
  EXPECT_EQ(first.histogram().data_points(0).start_time_unix_nano(),
            last.histogram().data_points(0).start_time_unix_nano());
}

TEST(MetricsPipeline, NothingRecordedNothingSent) {
  FakeHttpCollector collector;
  MetricsPipeline pipeline(std::make_shared<MetricsAggregator>(),
                           make_otlp_metric_exporter(http_options(collector.endpoint())),
                           resource_for, {.interval = 1h});
  pipeline.shutdown();
  EXPECT_TRUE(collector.received().empty());
  EXPECT_EQ(pipeline.stats().exports, 0u);
}

TEST(MetricsPipeline, FailedExportsAreCountedNotRetried) {
  FakeHttpCollector collector(503);
  MetricsPipeline pipeline(aggregator_with_spans(),
                           make_otlp_metric_exporter(http_options(collector.endpoint())),
                           resource_for, {.interval = 1h});
  pipeline.shutdown();
  EXPECT_EQ(collector.received().size(), 1u);  // one attempt, no retry loop
  auto stats = pipeline.stats();
  EXPECT_EQ(stats.exports, 0u);
  EXPECT_EQ(stats.failed_exports, 1u);
  EXPECT_EQ(stats.points_exported, 0u);
}

TEST(MetricsPipeline, UnreachableCollectorIsAFailure) {
  uint16_t port;
  {
    FakeHttpCollector gone;  // a port that was just free, now closed again
    port = static_cast<uint16_t>(std::stoi(gone.endpoint().substr(gone.endpoint().rfind(':') + 1)));
  }
  MetricsPipeline pipeline(
      aggregator_with_spans(),
      make_otlp_metric_exporter(http_options("http://127.0.0.1:" + std::to_string(port))),
      resource_for, {.interval = 1h});
  pipeline.shutdown();
  EXPECT_EQ(pipeline.stats().failed_exports, 1u);
}

class FakeMetricsService final : public otlp_metrics_collector::MetricsService::Service {
 public:
  grpc::Status Export(grpc::ServerContext* context,
                      const otlp_metrics_collector::ExportMetricsServiceRequest* request,
                      otlp_metrics_collector::ExportMetricsServiceResponse*) override {
    std::lock_guard lock(mu);
    requests.push_back(*request);
    auto it = context->client_metadata().find("x-api-key");
    if (it != context->client_metadata().end())
      api_key.assign(it->second.data(), it->second.size());
    return grpc::Status::OK;
  }
  std::mutex mu;
  std::vector<otlp_metrics_collector::ExportMetricsServiceRequest> requests;
  std::string api_key;
};

TEST(MetricsPipeline, GrpcExport) {
  FakeMetricsService service;
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  auto server = builder.BuildAndStart();
  ASSERT_TRUE(server);

  auto options = http_options("127.0.0.1:" + std::to_string(port));
  options.protocol = exporter::Protocol::kGrpc;
  MetricsPipeline pipeline(aggregator_with_spans(), make_otlp_metric_exporter(options),
                           resource_for, {.interval = 1h});
  pipeline.shutdown();
  server->Shutdown();
  std::lock_guard lock(service.mu);
  ASSERT_EQ(service.requests.size(), 1u);
  EXPECT_EQ(service.api_key, "secret");  // header names lowercased into gRPC metadata
  const auto& metrics = service.requests[0].resource_metrics(0).scope_metrics(0).metrics();
  ASSERT_EQ(metrics.size(), 2);
  EXPECT_EQ(metrics[0].name(), "http.server.request.duration");
  EXPECT_EQ(metrics[1].name(), "db.client.operation.duration");
  EXPECT_EQ(pipeline.stats().exports, 1u);
}

TEST(SpanMetrics, RecordsAndServesBothOutputs) {
  FakeHttpCollector collector;
  SpanMetricsOptions options;
  options.otlp = http_options(collector.endpoint());
  options.export_interval = 1h;
  options.prometheus_address = "127.0.0.1:0";
  auto metrics = SpanMetrics::start(options, resource_for);
  ASSERT_TRUE(metrics) << metrics.error().message;
  (*metrics)->record(server_span(kMs));
  ASSERT_TRUE((*metrics)->prometheus());

  httplib::Client client("127.0.0.1", (*metrics)->prometheus()->port());
  auto response = client.Get("/metrics");
  ASSERT_TRUE(response);
  EXPECT_NE(response->body.find("http_server_request_duration_seconds_count{"), std::string::npos);

  (*metrics)->shutdown();
  auto summary = (*metrics)->summary();
  EXPECT_EQ(summary.aggregator.series, 1u);
  ASSERT_TRUE(summary.otlp);
  EXPECT_EQ(summary.otlp->exports, 1u);
  ASSERT_TRUE(summary.scrapes);
  EXPECT_EQ(*summary.scrapes, 1u);
  EXPECT_EQ(collector.received().size(), 1u);
}

TEST(SpanMetrics, BindFailureIsReturned) {
  SpanMetricsOptions options;
  options.prometheus_address = "192.0.2.1:9464";
  auto metrics = SpanMetrics::start(options, resource_for);
  ASSERT_FALSE(metrics);
  EXPECT_NE(metrics.error().message.find("cannot listen on 192.0.2.1:9464"), std::string::npos);
}

}  // namespace
}  // namespace goinstr::metrics
