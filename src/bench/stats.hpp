// SPDX-License-Identifier: Apache-2.0
// Medians over repeated runs and their 95% confidence intervals, for the bench report.
//
// Method: the percentile bootstrap. From the n repeats of one variant x scenario we draw n values
// with replacement, take their median, and do that `resamples` times (2000); the interval is the
// 2.5th and 97.5th percentile of those medians (linear interpolation between order statistics).
// A ratio of medians (variant / baseline) resamples the two groups independently each time and
// takes the ratio of the two resampled medians. The median, not the mean, because one disturbed
// run (a GC storm, a noisy neighbour) should not move the result; the bootstrap, because it
// assumes no distribution for a handful of runs. The random generator has a fixed seed and draws
// indices without std::uniform_int_distribution (whose algorithm each standard library picks), so
// the same results.json gives the same report everywhere. With n == 1 there is nothing to
// resample and the interval is the point; with 3-5 repeats it is close to the range of the runs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace goinstr::bench {

struct Estimate {
  double value = 0;  // the median (or the ratio of medians) of the data as measured
  double low = 0;    // confidence interval
  double high = 0;
  size_t n = 0;  // observations behind `value` (for a ratio: the numerator's)
  bool is_point() const { return low == value && high == value; }
};

struct BootstrapOptions {
  int resamples = 2000;
  double confidence = 0.95;
  uint64_t seed = 0x676f696e73747231;  // "goinstr1": fixed, so reports are reproducible
};

// The median (mean of the two middle values for even n); NaN when empty.
double median(std::span<const double> values);

// Linear interpolation between order statistics of SORTED values, q in [0, 1]; NaN when empty.
double quantile_of_sorted(std::span<const double> sorted, double q);

// Median with its bootstrap confidence interval; nullopt when there are no values.
std::optional<Estimate> median_ci(std::span<const double> values,
                                  const BootstrapOptions& options = {});

// median(numerator) / median(denominator) with its bootstrap interval; nullopt when either side
// is empty or the denominator's median is 0 (no ratio exists).
std::optional<Estimate> ratio_of_medians_ci(std::span<const double> numerator,
                                            std::span<const double> denominator,
                                            const BootstrapOptions& options = {});

}  // namespace goinstr::bench
