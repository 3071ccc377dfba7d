// SPDX-License-Identifier: Apache-2.0
// Prometheus exposition: names, labels and escaping, a golden rendering, and the scrape endpoint
// over real HTTP on 127.0.0.1.
#include <gtest/gtest.h>
#include <httplib.h>

#include "metrics/prometheus_server.hpp"
#include "metrics/prometheus_text.hpp"
#include "test_spans.hpp"

namespace goinstr::metrics {
namespace {

using namespace testing;

TEST(PrometheusText, NamesAndLabels) {
  EXPECT_EQ(prometheus_metric_name(info(Instrument::kHttpServerDuration)),
            "http_server_request_duration_seconds");
  EXPECT_EQ(prometheus_metric_name(info(Instrument::kDbClientDuration)),
            "db_client_operation_duration_seconds");
  EXPECT_EQ(prometheus_label_name("http.response.status_code"), "http_response_status_code");
  EXPECT_EQ(prometheus_label_name("3d-thing/x"), "_3d_thing_x");
  EXPECT_EQ(escape_label_value("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
  EXPECT_EQ(format_sample_value(0.005), "0.005");
  EXPECT_EQ(format_sample_value(10), "10");
  EXPECT_EQ(format_sample_value(2.5), "2.5");
  EXPECT_EQ(format_sample_value(1.0 / 0.0), "+Inf");
}

HistogramPoint point(Instrument instrument, std::vector<model::Attribute> attributes,
                     std::vector<double> values) {
  HistogramPoint p{.instrument = instrument, .pid = 4242, .attributes = std::move(attributes)};
  for (double v : values) {
    ++p.count;
    p.sum += v;
    ++p.bucket_counts[bucket_index(v)];
  }
  return p;
}

constexpr const char* kGolden =
    R"(# HELP http_server_request_duration_seconds Duration of HTTP server requests.
# TYPE http_server_request_duration_seconds histogram
http_server_request_duration_seconds_bucket{job="shop",instance="4242",http_request_method="GET",http_route="/say \"hi\"",le="0.005"} 1
http_server_request_duration_seconds_bucket{job="shop",instance="4242",http_request_method="GET",http_route="/say \"hi\"",le="0.01"} 1
http_server_request_duration_seconds_bucket{job="shop",instance="4242",http_request_method="GET",http_route="/say \"hi\"",le="0.025"} 1
http_server_request_duration_seconds_bucket{job="shop",instance="4242",http_request_method="GET",http_route="/say \"hi\"",le="0.05"} 1
http_server_request_duration_seconds_bucket{job="shop",instance="4242",http_request_method="GET",http_route="/say \"hi\"",le="0.075"} 1
http_server_request_duration_seconds_bucket{job="shop",instance="4242",http_request_method="GET",http_route="/say \"hi\"",le="0.1"} 1
http_server_request_duration_seconds_bucket{job="shop",instance="4242",http_request_method="GET",http_route="/say \"hi\"",le="0.25"} 1
http_server_request_duration_seconds_bucket{job="shop",instance="4242",http_request_method="GET",http_route="/say \"hi\"",le="0.5"} 2
http_server_request_duration_seconds_bucket{job="shop",instance="4242",http_request_method="GET",http_route="/say \"hi\"",le="0.75"} 2
http_server_request_duration_seconds_bucket{job="shop",instance="4242",http_request_method="GET",http_route="/say \"hi\"",le="1"} 2
http_server_request_duration_seconds_bucket{job="shop",instance="4242",http_request_method="GET",http_route="/say \"hi\"",le="2.5"} 2
http_server_request_duration_seconds_bucket{job="shop",instance="4242",http_request_method="GET",http_route="/say \"hi\"",le="5"} 2
http_server_request_duration_seconds_bucket{job="shop",instance="4242",http_request_method="GET",http_route="/say \"hi\"",le="7.5"} 2
http_server_request_duration_seconds_bucket{job="shop",instance="4242",http_request_method="GET",http_route="/say \"hi\"",le="10"} 2
http_server_request_duration_seconds_bucket{job="shop",instance="4242",http_request_method="GET",http_route="/say \"hi\"",le="+Inf"} 3
http_server_request_duration_seconds_sum{job="shop",instance="4242",http_request_method="GET",http_route="/say \"hi\""} 12.5
http_server_request_duration_seconds_count{job="shop",instance="4242",http_request_method="GET",http_route="/say \"hi\""} 3
# HELP db_client_operation_duration_seconds Duration of database client operations.
# TYPE db_client_operation_duration_seconds histogram
db_client_operation_duration_seconds_bucket{job="shop",instance="4242",db_system_name="postgresql",error_type="_OTHER",le="0.005"} 0
db_client_operation_duration_seconds_bucket{job="shop",instance="4242",db_system_name="postgresql",error_type="_OTHER",le="0.01"} 0
db_client_operation_duration_seconds_bucket{job="shop",instance="4242",db_system_name="postgresql",error_type="_OTHER",le="0.025"} 1
db_client_operation_duration_seconds_bucket{job="shop",instance="4242",db_system_name="postgresql",error_type="_OTHER",le="0.05"} 1
db_client_operation_duration_seconds_bucket{job="shop",instance="4242",db_system_name="postgresql",error_type="_OTHER",le="0.075"} 1
db_client_operation_duration_seconds_bucket{job="shop",instance="4242",db_system_name="postgresql",error_type="_OTHER",le="0.1"} 1
db_client_operation_duration_seconds_bucket{job="shop",instance="4242",db_system_name="postgresql",error_type="_OTHER",le="0.25"} 1
db_client_operation_duration_seconds_bucket{job="shop",instance="4242",db_system_name="postgresql",error_type="_OTHER",le="0.5"} 1
db_client_operation_duration_seconds_bucket{job="shop",instance="4242",db_system_name="postgresql",error_type="_OTHER",le="0.75"} 1
db_client_operation_duration_seconds_bucket{job="shop",instance="4242",db_system_name="postgresql",error_type="_OTHER",le="1"} 1
db_client_operation_duration_seconds_bucket{job="shop",instance="4242",db_system_name="postgresql",error_type="_OTHER",le="2.5"} 1
db_client_operation_duration_seconds_bucket{job="shop",instance="4242",db_system_name="postgresql",error_type="_OTHER",le="5"} 1
db_client_operation_duration_seconds_bucket{job="shop",instance="4242",db_system_name="postgresql",error_type="_OTHER",le="7.5"} 1
db_client_operation_duration_seconds_bucket{job="shop",instance="4242",db_system_name="postgresql",error_type="_OTHER",le="10"} 1
db_client_operation_duration_seconds_bucket{job="shop",instance="4242",db_system_name="postgresql",error_type="_OTHER",le="+Inf"} 1
db_client_operation_duration_seconds_sum{job="shop",instance="4242",db_system_name="postgresql",error_type="_OTHER"} 0.02
db_client_operation_duration_seconds_count{job="shop",instance="4242",db_system_name="postgresql",error_type="_OTHER"} 1
# HELP target_info Target metadata
# TYPE target_info gauge
target_info{job="shop",instance="4242",process_pid="4242",host_name="box"} 1
)";

TEST(PrometheusText, Golden) {
  // Bucket edges on purpose: 0.005 is in le="0.005", 0.5 in le="0.5", 12 only in +Inf.
  std::vector<HistogramPoint> points = {
      // Given out of instrument order: the renderer groups families itself.
      point(Instrument::kDbClientDuration,
            {{"db.system.name", std::string("postgresql")}, {"error.type", std::string("_OTHER")}},
            {0.02}),
      point(
          Instrument::kHttpServerDuration,
          {{"http.request.method", std::string("GET")}, {"http.route", std::string("/say \"hi\"")}},
          {0.005, 0.5, 12}),
  };
  // 0.005 + 0.5 + 12 = 12.505; the sum line shows what was summed, so fix it to a round value.
  points[1].sum = 12.5;
  EXPECT_EQ(render_prometheus(points, resource_for), kGolden);
}

TEST(PrometheusText, EmptyWhenNothingWasRecorded) {
  EXPECT_EQ(render_prometheus({}, resource_for), "");
}

TEST(PrometheusServer, ParsesListenAddresses) {
  auto any = parse_listen_address(":9464");
  ASSERT_TRUE(any);
  EXPECT_EQ(any->host, "0.0.0.0");
  EXPECT_EQ(any->port, 9464);
  auto v6 = parse_listen_address("[::1]:9464");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(parse_listen_address("localhost:80")->host, "localhost");
  EXPECT_EQ(parse_listen_address("9464").error().message, "'9464': expected host:port or :port");
  EXPECT_EQ(parse_listen_address(":99999").error().message,
            "':99999': bad port '99999' (expected 1-65535)");
  EXPECT_EQ(parse_listen_address("::1:80").error().message,
            "'::1:80': IPv6 addresses need brackets ([::1]:9464)");
}

TEST(PrometheusServer, ServesMetricsOverHttp) {
  MetricsAggregator aggregator;
  aggregator.record(server_span(3 * kMs));
  aggregator.record(db_span(40 * kMs));
  auto render = [&] { return render_prometheus(aggregator.collect(), resource_for); };
  auto server = PrometheusServer::start("127.0.0.1:0", render);
  ASSERT_TRUE(server) << server.error().message;
  ASSERT_GT((*server)->port(), 0);

  httplib::Client client("127.0.0.1", (*server)->port());
  auto response = client.Get("/metrics");
  ASSERT_TRUE(response) << httplib::to_string(response.error());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->get_header_value("Content-Type"), kPrometheusContentType);
  EXPECT_EQ(response->body, render());
  EXPECT_NE(response->body.find("http_server_request_duration_seconds_count{job=\"shop\","
                                "instance=\"4242\",http_request_method=\"GET\","
                                "http_response_status_code=\"200\",http_route=\"/items/{id}\","
                                "network_protocol_version=\"1.1\",url_scheme=\"http\"} 1\n"),
            std::string::npos)
      << response->body;

  auto missing = client.Get("/");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ((*server)->scrapes(), 1u);
  (*server)->stop();
  (*server)->stop();  // idempotent
}

TEST(PrometheusServer, BusyPortIsAClearError) {
  auto first = PrometheusServer::start("127.0.0.1:0", [] { return std::string(); });
  ASSERT_TRUE(first) << first.error().message;
  const std::string address = "127.0.0.1:" + std::to_string((*first)->port());
  auto second = PrometheusServer::start(address, [] { return std::string(); });
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().message, "cannot listen on " + address + ": Address already in use");
}

TEST(PrometheusServer, AddressNotOnThisHostIsAnError) {
  // 192.0.2.0/24 is TEST-NET-1: never a local address, and no DNS lookup is needed.
  auto server = PrometheusServer::start("192.0.2.1:9464", [] { return std::string(); });
  ASSERT_FALSE(server);
  EXPECT_EQ(server.error().message,
            "cannot listen on 192.0.2.1:9464: Cannot assign requested address");
}

}  // namespace
}  // namespace goinstr::metrics
