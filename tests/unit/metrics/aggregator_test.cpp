// SPDX-License-Identifier: Apache-2.0
// Aggregation: bucket placement, sums, one series per (pid, instrument, attribute set), the series
// bound, and concurrent record().
#include <gtest/gtest.h>

#include <thread>

#include "metrics/aggregator.hpp"
#include "test_spans.hpp"

namespace goinstr::metrics {
namespace {

using namespace testing;

TEST(Aggregator, BucketBoundsAreInclusiveUpperLimits) {
  EXPECT_EQ(bucket_index(0), 0u);
  EXPECT_EQ(bucket_index(0.005), 0u);
  EXPECT_EQ(bucket_index(0.0051), 1u);
  EXPECT_EQ(bucket_index(1), 9u);
  EXPECT_EQ(bucket_index(10), 13u);
  EXPECT_EQ(bucket_index(10.5), 14u);  // +Inf
}

TEST(Aggregator, CountsSumMinMaxAndBuckets) {
  MetricsAggregator aggregator;
  for (uint64_t ms : {1, 5, 7, 300, 12000}) aggregator.record(server_span(ms * kMs));
  auto points = aggregator.collect();
  ASSERT_EQ(points.size(), 1u);
  const auto& p = points[0];
  EXPECT_EQ(p.instrument, Instrument::kHttpServerDuration);
  EXPECT_EQ(p.pid, 4242);
  EXPECT_EQ(p.count, 5u);
  EXPECT_DOUBLE_EQ(p.sum, 0.001 + 0.005 + 0.007 + 0.3 + 12);
  EXPECT_DOUBLE_EQ(p.min, 0.001);
  EXPECT_DOUBLE_EQ(p.max, 12);
  std::array<uint64_t, kBucketCount> want{};
  want[0] = 2;   // 1 ms, 5 ms (inclusive)
  want[1] = 1;   // 7 ms
  want[7] = 1;   // 300 ms in (0.25, 0.5]
  want[14] = 1;  // 12 s: +Inf
  EXPECT_EQ(p.bucket_counts, want);
  EXPECT_EQ(aggregator.stats().measurements, 5u);
}

TEST(Aggregator, SeriesPerAttributeSetPidAndInstrument) {
  MetricsAggregator aggregator;
  aggregator.record(server_span(kMs, 200));
  aggregator.record(server_span(kMs, 200));
  aggregator.record(server_span(kMs, 500));
  auto other_pid = server_span(kMs, 200);
  other_pid.pid = 7;
  aggregator.record(other_pid);
  aggregator.record(db_span(kMs));
  aggregator.record(client_span(kMs));
  model::Span internal;
  aggregator.record(internal);  // ignored

  auto points = aggregator.collect();
  ASSERT_EQ(points.size(), 5u);
  // Ordered by instrument, then pid: server(7), server(4242) x2, client, db.
  EXPECT_EQ(points[0].pid, 7);
  EXPECT_EQ(points[1].count + points[2].count, 3u);
  EXPECT_EQ(points[3].instrument, Instrument::kHttpClientDuration);
  EXPECT_EQ(points[4].instrument, Instrument::kDbClientDuration);
  EXPECT_EQ(aggregator.stats().series, 5u);
  EXPECT_EQ(aggregator.stats().measurements, 6u);
}

TEST(Aggregator, IntAndStringValuesAreDifferentSeries) {
  MetricsAggregator aggregator;
  Measurement a{Instrument::kHttpServerDuration, {{"k", int64_t{200}}}, 0.1};
  Measurement b{Instrument::kHttpServerDuration, {{"k", std::string("200")}}, 0.1};
  aggregator.record(1, a);
  aggregator.record(1, b);
  EXPECT_EQ(aggregator.collect().size(), 2u);
}

TEST(Aggregator, SeriesBeyondTheLimitAreCountedAsDropped) {
  MetricsAggregator aggregator(AggregatorOptions{.max_series = 2});
  aggregator.record(server_span(kMs, 200, "/a"));
  aggregator.record(server_span(kMs, 200, "/b"));
  aggregator.record(server_span(kMs, 200, "/c"));  // a third series: dropped
  aggregator.record(server_span(kMs, 200, "/d"));
  aggregator.record(server_span(kMs, 200, "/a"));  // existing series still count
  auto stats = aggregator.stats();
  EXPECT_EQ(stats.series, 2u);
  EXPECT_EQ(stats.dropped_series_limit, 2u);
  EXPECT_EQ(stats.measurements, 3u);
  EXPECT_EQ(aggregator.collect()[0].count, 2u);
}

TEST(Aggregator, ConcurrentRecordLosesNothing) {
  MetricsAggregator aggregator;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 1000; ++i) aggregator.record(server_span(kMs, t % 2 ? 200 : 500));
    });
  }
  for (auto& t : threads) t.join();
  uint64_t total = 0;
  for (const auto& p : aggregator.collect()) total += p.count;
  EXPECT_EQ(total, 4000u);
  EXPECT_EQ(aggregator.stats().series, 2u);
}

}  // namespace
}  // namespace goinstr::metrics
