// SPDX-License-Identifier: Apache-2.0
#include "load/histogram.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace goinstr::load {
namespace {

// Exact nearest-rank percentile of sorted data, the definition Histogram approximates.
uint64_t exact_percentile(const std::vector<uint64_t>& sorted, double p) {
  auto rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

void expect_within_1pct(uint64_t got, uint64_t want) {
  EXPECT_LE(std::abs(static_cast<double>(got) - static_cast<double>(want)),
            0.01 * static_cast<double>(want))
      << "got " << got << " want " << want;
}

TEST(Histogram, EveryValueMapsIntoABucketThatHoldsIt) {
  for (uint64_t v : {0ull, 1ull, 127ull, 128ull, 255ull, 256ull, 1000ull, 1'000'000ull,
                     123'456'789ull, 59'999'999'999ull, 60'000'000'000ull}) {
    size_t i = Histogram::index_of(v);
    ASSERT_LT(i, Histogram::kBuckets);
    EXPECT_LE(Histogram::lowest_in(i), v);
    EXPECT_LT(v, Histogram::lowest_in(i) + Histogram::width_of(i));
  }
}

TEST(Histogram, BucketsTileTheRangeWithBoundedRelativeWidth) {
  for (size_t i = 1; i < Histogram::kBuckets; ++i) {
    ASSERT_EQ(Histogram::lowest_in(i), Histogram::lowest_in(i - 1) + Histogram::width_of(i - 1));
    // Width / lowest <= 1/128: the midpoint is within 0.4% of any value in the bucket.
    EXPECT_LE(Histogram::width_of(i) * 128, std::max<uint64_t>(Histogram::lowest_in(i), 128));
  }
  EXPECT_GT(
      Histogram::lowest_in(Histogram::kBuckets - 1) + Histogram::width_of(Histogram::kBuckets - 1),
      Histogram::kMaxValue);
}

TEST(Histogram, PercentilesOfAUniformRange) {
  Histogram h;
  for (uint64_t us = 1; us <= 10000; ++us) h.record(us * 1000);  // 1 us .. 10 ms
  EXPECT_EQ(h.count(), 10000u);
  expect_within_1pct(h.percentile(50), 5'000'000);
  expect_within_1pct(h.percentile(90), 9'000'000);
  expect_within_1pct(h.percentile(99), 9'900'000);
  expect_within_1pct(h.percentile(99.9), 9'990'000);
  EXPECT_EQ(h.percentile(100), 10'000'000u);
  EXPECT_EQ(h.max(), 10'000'000u);
  EXPECT_EQ(h.min(), 1000u);
  EXPECT_DOUBLE_EQ(h.mean(), 5'000'500.0);
}

TEST(Histogram, PercentilesOfLogNormalDataWithin1Percent) {
  std::mt19937_64 rng(42);
  std::lognormal_distribution<double> dist(std::log(500'000.0), 1.5);  // ~0.5 ms, long tail
  std::vector<uint64_t> values;
  Histogram h;
  for (int i = 0; i < 200000; ++i) {
    auto v = static_cast<uint64_t>(std::clamp(dist(rng), 1000.0, 59e9));
    values.push_back(v);
    h.record(v);
  }
  std::sort(values.begin(), values.end());
  for (double p : {1.0, 50.0, 90.0, 99.0, 99.9, 99.99}) {
    SCOPED_TRACE(p);
    expect_within_1pct(h.percentile(p), exact_percentile(values, p));
  }
  EXPECT_EQ(h.max(), values.back());
  EXPECT_EQ(h.min(), values.front());
}

TEST(Histogram, SmallCountsUseNearestRank) {
  Histogram h;
  for (uint64_t v : {1000u, 2000u, 3000u, 4000u}) h.record(v);
  EXPECT_EQ(h.percentile(25), 1000u);
  expect_within_1pct(h.percentile(50), 2000);
  expect_within_1pct(h.percentile(75), 3000);
  EXPECT_EQ(h.percentile(99), 4000u);  // clamped to the exact max
  EXPECT_EQ(Histogram().percentile(50), 0u);
}

TEST(Histogram, ClampsBeyondSixtySeconds) {
  Histogram h;
  h.record(3'600'000'000'000);
  EXPECT_EQ(h.max(), Histogram::kMaxValue);
  EXPECT_EQ(h.percentile(50), Histogram::kMaxValue);
}

TEST(Histogram, MergeAndSparseRoundTripKeepCounts) {
  Histogram a, b;
  for (uint64_t v = 1; v <= 1000; ++v) a.record(v * 10'000);
  for (uint64_t v = 1; v <= 1000; ++v) b.record(v * 1'000'000);
  Histogram merged = a;
  merged.merge(b);
  EXPECT_EQ(merged.count(), 2000u);
  EXPECT_EQ(merged.max(), 1'000'000'000u);
  Histogram copy;
  copy.add_sparse(merged.sparse());
  EXPECT_EQ(copy.count(), merged.count());
  for (double p : {10.0, 50.0, 90.0, 99.0}) EXPECT_EQ(copy.percentile(p), merged.percentile(p));
  merged.reset();
  EXPECT_EQ(merged.count(), 0u);
  EXPECT_TRUE(merged.sparse().empty());
}

}  // namespace
}  // namespace goinstr::load
