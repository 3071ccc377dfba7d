// SPDX-License-Identifier: Apache-2.0
#include "bench/stats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

namespace goinstr::bench {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Uniform in [0, n) by rejection: unlike std::uniform_int_distribution, the same on every
// standard library, so a fixed seed means the same interval everywhere.
size_t uniform_index(std::mt19937_64& rng, size_t n) {
  constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
  const uint64_t limit = kMax - kMax % n;  // a multiple of n: every residue equally likely below
  uint64_t x = rng();
  while (x >= limit) x = rng();
  return static_cast<size_t>(x % n);
}

// Median of n draws with replacement from `values`; `scratch` is reused across resamples.
double resampled_median(std::span<const double> values, std::mt19937_64& rng,
                        std::vector<double>& scratch) {
  scratch.resize(values.size());
  for (double& v : scratch) v = values[uniform_index(rng, values.size())];
  return median(scratch);
}

Estimate interval_from(double value, size_t n, std::vector<double>& statistics, double confidence) {
  std::sort(statistics.begin(), statistics.end());
  const double tail = (1.0 - confidence) / 2.0;
  return Estimate{value, quantile_of_sorted(statistics, tail),
                  quantile_of_sorted(statistics, 1.0 - tail), n};
}

}  // namespace

double median(std::span<const double> values) {
  if (values.empty()) return kNaN;
  std::vector<double> sorted(values.begin(), values.end());
  std::sort(sorted.begin(), sorted.end());
  const size_t mid = sorted.size() / 2;
  return sorted.size() % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
}

double quantile_of_sorted(std::span<const double> sorted, double q) {
  if (sorted.empty()) return kNaN;
  const double h = std::clamp(q, 0.0, 1.0) * static_cast<double>(sorted.size() - 1);
  const size_t below = static_cast<size_t>(std::floor(h));
  if (below + 1 >= sorted.size()) return sorted.back();
  return sorted[below] + (h - static_cast<double>(below)) * (sorted[below + 1] - sorted[below]);
}

std::optional<Estimate> median_ci(std::span<const double> values, const BootstrapOptions& options) {
  if (values.empty()) return std::nullopt;
  const double point = median(values);
  if (values.size() == 1) return Estimate{point, point, point, 1};
  std::mt19937_64 rng(options.seed);
  std::vector<double> scratch;
  std::vector<double> medians;
  medians.reserve(static_cast<size_t>(options.resamples));
  for (int i = 0; i < options.resamples; ++i)
    medians.push_back(resampled_median(values, rng, scratch));
  return interval_from(point, values.size(), medians, options.confidence);
}

std::optional<Estimate> ratio_of_medians_ci(std::span<const double> numerator,
                                            std::span<const double> denominator,
                                            const BootstrapOptions& options) {
  if (numerator.empty() || denominator.empty()) return std::nullopt;
  const double below = median(denominator);
  if (below == 0) return std::nullopt;
  const double point = median(numerator) / below;
  std::mt19937_64 rng(options.seed);
  std::vector<double> scratch;
  std::vector<double> ratios;
  ratios.reserve(static_cast<size_t>(options.resamples));
  for (int i = 0; i < options.resamples; ++i) {
    const double top = resampled_median(numerator, rng, scratch);
    const double bottom = resampled_median(denominator, rng, scratch);
    // A resample of a denominator holding zeros can have median 0: that ratio does not exist.
    if (bottom != 0) ratios.push_back(top / bottom);
  }
  if (ratios.empty()) return Estimate{point, point, point, numerator.size()};
  return interval_from(point, numerator.size(), ratios, options.confidence);
}

}  // namespace goinstr::bench
