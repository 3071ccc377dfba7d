// SPDX-License-Identifier: Apache-2.0
// Medians and their bootstrap intervals against data whose answers are known by hand.
#include "bench/stats.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace goinstr::bench {
namespace {

TEST(Median, OddCountIsTheMiddleValueAndIgnoresAnOutlier) {
  const std::vector<double> values{4, 1, 100, 3, 2};
  EXPECT_DOUBLE_EQ(median(values), 3);
}

TEST(Median, EvenCountAveragesTheTwoMiddleValues) {
  const std::vector<double> values{4, 1, 3, 2};
  EXPECT_DOUBLE_EQ(median(values), 2.5);
}

TEST(Median, EmptyIsNaN) {
  EXPECT_TRUE(std::isnan(median(std::vector<double>{})));
}

TEST(QuantileOfSorted, InterpolatesBetweenOrderStatistics) {
  const std::vector<double> sorted{0, 10, 20};
  EXPECT_DOUBLE_EQ(quantile_of_sorted(sorted, 0), 0);
  EXPECT_DOUBLE_EQ(quantile_of_sorted(sorted, 0.25), 5);
  EXPECT_DOUBLE_EQ(quantile_of_sorted(sorted, 0.5), 10);
  EXPECT_DOUBLE_EQ(quantile_of_sorted(sorted, 1), 20);
}

TEST(MedianCi, ContainsTheMedianAndStaysWithinTheData) {
  const std::vector<double> values{1, 2, 3, 4, 100};
  auto ci = median_ci(values);
  ASSERT_TRUE(ci);
  EXPECT_DOUBLE_EQ(ci->value, 3);
  EXPECT_EQ(ci->n, 5u);
  EXPECT_LE(ci->low, 3);
  EXPECT_GE(ci->high, 3);
  EXPECT_GE(ci->low, 1);
  EXPECT_LE(ci->high, 100);
  EXPECT_LT(ci->low, ci->high);
}

// Resampled medians of {1, 3} are 1 (p = 1/4), 2 (1/2) or 3 (1/4): the 2.5th and 97.5th
// percentiles of 2000 of them are 1 and 3.
TEST(MedianCi, TwoValuesSpanTheirRange) {
  auto ci = median_ci(std::vector<double>{1, 3});
  ASSERT_TRUE(ci);
  EXPECT_DOUBLE_EQ(ci->value, 2);
  EXPECT_DOUBLE_EQ(ci->low, 1);
  EXPECT_DOUBLE_EQ(ci->high, 3);
}

TEST(MedianCi, ConstantDataIsAPoint) {
  auto ci = median_ci(std::vector<double>{7, 7, 7, 7});
  ASSERT_TRUE(ci);
  EXPECT_TRUE(ci->is_point());
  EXPECT_DOUBLE_EQ(ci->value, 7);
}

TEST(MedianCi, OneValueIsAPoint) {
  auto ci = median_ci(std::vector<double>{42});
  ASSERT_TRUE(ci);
  EXPECT_TRUE(ci->is_point());
  EXPECT_EQ(ci->n, 1u);
}

TEST(MedianCi, EmptyHasNoEstimate) {
  EXPECT_FALSE(median_ci(std::vector<double>{}));
}

TEST(MedianCi, IsTheSameOnEveryCall) {
  const std::vector<double> values{10.2, 9.7, 11.4, 10.9, 8.8, 10.1, 12.3};
  auto first = median_ci(values);
  auto second = median_ci(values);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->low, second->low);
  EXPECT_EQ(first->high, second->high);
}

TEST(MedianCi, NarrowsWithMoreRepeats) {
  std::vector<double> few, many;
  for (int i = 0; i < 5; ++i) few.push_back(100 + (i % 5) * 2);
  for (int i = 0; i < 200; ++i) many.push_back(100 + (i % 5) * 2);
  auto wide = median_ci(few);
  auto narrow = median_ci(many);
  ASSERT_TRUE(wide && narrow);
  EXPECT_LT(narrow->high - narrow->low, wide->high - wide->low);
}

TEST(RatioOfMedians, ScaledDataGivesTheScaleInsideItsInterval) {
  const std::vector<double> base{100, 104, 98, 101, 99};
  std::vector<double> doubled;
  for (double v : base) doubled.push_back(2 * v);
  auto ratio = ratio_of_medians_ci(doubled, base);
  ASSERT_TRUE(ratio);
  EXPECT_DOUBLE_EQ(ratio->value, 2);
  EXPECT_LE(ratio->low, 2);
  EXPECT_GE(ratio->high, 2);
  EXPECT_LT(ratio->low, ratio->high);  // both sides resampled independently: not a point
}

TEST(RatioOfMedians, ConstantDataIsAPoint) {
  auto ratio = ratio_of_medians_ci(std::vector<double>{3, 3, 3}, std::vector<double>{2, 2});
  ASSERT_TRUE(ratio);
  EXPECT_TRUE(ratio->is_point());
  EXPECT_DOUBLE_EQ(ratio->value, 1.5);
}

TEST(RatioOfMedians, NoRatioWithoutADenominator) {
  EXPECT_FALSE(ratio_of_medians_ci(std::vector<double>{1, 2}, std::vector<double>{0, 0, 0}));
  EXPECT_FALSE(ratio_of_medians_ci(std::vector<double>{1, 2}, std::vector<double>{}));
  EXPECT_FALSE(ratio_of_medians_ci(std::vector<double>{}, std::vector<double>{1}));
}

TEST(RatioOfMedians, IsTheSameOnEveryCall) {
  const std::vector<double> a{5.1, 4.8, 5.6}, b{4.9, 5.0, 4.7};
  auto first = ratio_of_medians_ci(a, b);
  auto second = ratio_of_medians_ci(a, b);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->low, second->low);
  EXPECT_EQ(first->high, second->high);
}

}  // namespace
}  // namespace goinstr::bench
