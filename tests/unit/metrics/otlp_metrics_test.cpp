// SPDX-License-Identifier: Apache-2.0
// OTLP encoding of the aggregated histograms, checked field by field.
#include <gtest/gtest.h>

#include "metrics/metric_exporter.hpp"
#include "metrics/otlp_metrics.hpp"
#include "test_spans.hpp"

namespace goinstr::metrics {
namespace {

using namespace testing;

constexpr CollectionTimes kTimes{.start_unix_ns = 1000, .time_unix_ns = 2000};

TEST(OtlpMetrics, HistogramFieldByField) {
  MetricsAggregator aggregator;
  aggregator.record(server_span(3 * kMs));
  aggregator.record(server_span(300 * kMs));
  const auto points = aggregator.collect();
  const auto request = encode_metrics(points, resource_for, kTimes);

  ASSERT_EQ(request.resource_metrics_size(), 1);
  const auto& rm = request.resource_metrics(0);
  ASSERT_EQ(rm.resource().attributes_size(), 3);
  EXPECT_EQ(rm.resource().attributes(0).key(), "service.name");
  EXPECT_EQ(rm.resource().attributes(0).value().string_value(), "shop");
  EXPECT_EQ(rm.resource().attributes(1).value().int_value(), 4242);
  ASSERT_EQ(rm.scope_metrics_size(), 1);
  EXPECT_EQ(rm.scope_metrics(0).scope().name(), "goinstr");
  EXPECT_EQ(rm.scope_metrics(0).scope().version(), "0.1.0");
  ASSERT_EQ(rm.scope_metrics(0).metrics_size(), 1);

  const auto& metric = rm.scope_metrics(0).metrics(0);
  EXPECT_EQ(metric.name(), "http.server.request.duration");
  EXPECT_EQ(metric.description(), "Duration of HTTP server requests.");
  EXPECT_EQ(metric.unit(), "s");
  ASSERT_TRUE(metric.has_histogram());
  EXPECT_EQ(metric.histogram().aggregation_temporality(),
            otlp_metrics::AGGREGATION_TEMPORALITY_CUMULATIVE);
  ASSERT_EQ(metric.histogram().data_points_size(), 1);

  const auto& dp = metric.histogram().data_points(0);
  EXPECT_EQ(dp.start_time_unix_nano(), 1000u);
  EXPECT_EQ(dp.time_unix_nano(), 2000u);
  EXPECT_EQ(dp.count(), 2u);
  ASSERT_TRUE(dp.has_sum());
  EXPECT_DOUBLE_EQ(dp.sum(), 0.303);
  ASSERT_TRUE(dp.has_min());
  EXPECT_DOUBLE_EQ(dp.min(), 0.003);
  ASSERT_TRUE(dp.has_max());
  EXPECT_DOUBLE_EQ(dp.max(), 0.3);
  ASSERT_EQ(dp.explicit_bounds_size(), 14);
  for (int i = 0; i < 14; ++i) EXPECT_EQ(dp.explicit_bounds(i), kDurationBounds[i]);
  ASSERT_EQ(dp.bucket_counts_size(), 15);
  for (int i = 0; i < 15; ++i)
    EXPECT_EQ(dp.bucket_counts(i), i == 0 || i == 7 ? 1u : 0u) << "bucket " << i;
  ASSERT_EQ(dp.attributes_size(), 5);
  EXPECT_EQ(dp.attributes(0).key(), "http.request.method");
  EXPECT_EQ(dp.attributes(0).value().string_value(), "GET");
  EXPECT_EQ(dp.attributes(1).key(), "http.response.status_code");
  EXPECT_EQ(dp.attributes(1).value().int_value(), 200);
  EXPECT_EQ(dp.attributes(2).key(), "http.route");
  EXPECT_EQ(dp.attributes(3).key(), "network.protocol.version");
  EXPECT_EQ(dp.attributes(4).key(), "url.scheme");
  EXPECT_EQ(dp.attributes(4).value().string_value(), "http");
  EXPECT_EQ(dp.exemplars_size(), 0);
  EXPECT_EQ(dp.flags(), 0u);
}

TEST(OtlpMetrics, OneResourcePerPidAndOneMetricPerInstrument) {
  MetricsAggregator aggregator;
  aggregator.record(server_span(kMs, 200));
  aggregator.record(server_span(kMs, 500));
  aggregator.record(db_span(kMs));
  auto other = client_span(kMs);
  other.pid = 7;
  aggregator.record(other);
  const auto points = aggregator.collect();
  const auto request = encode_metrics(points, resource_for, kTimes);

  ASSERT_EQ(request.resource_metrics_size(), 2);
  EXPECT_EQ(request.resource_metrics(0).resource().attributes(1).value().int_value(), 7);
  const auto& pid7 = request.resource_metrics(0).scope_metrics(0);
  ASSERT_EQ(pid7.metrics_size(), 1);
  EXPECT_EQ(pid7.metrics(0).name(), "http.client.request.duration");
  const auto& pid4242 = request.resource_metrics(1).scope_metrics(0);
  ASSERT_EQ(pid4242.metrics_size(), 2);
  EXPECT_EQ(pid4242.metrics(0).name(), "http.server.request.duration");
  EXPECT_EQ(pid4242.metrics(0).histogram().data_points_size(), 2);
  EXPECT_EQ(pid4242.metrics(1).name(), "db.client.operation.duration");
}

TEST(OtlpMetrics, MetricsUrlNeverUsesTheTracesPath) {
  exporter::OtlpOptions options;
  options.endpoint = "http://collector:4318/";
  EXPECT_EQ(metrics_url(options), "http://collector:4318/v1/metrics");
  options.endpoint = "collector:4318";
  EXPECT_EQ(metrics_url(options), "http://collector:4318/v1/metrics");
  options.endpoint = "https://collector/custom/metrics";
  options.endpoint_is_full_url = true;  // OTEL_EXPORTER_OTLP_METRICS_ENDPOINT
  EXPECT_EQ(metrics_url(options), "https://collector/custom/metrics");
}

}  // namespace
}  // namespace goinstr::metrics
