// SPDX-License-Identifier: Apache-2.0
// Log-linear latency histogram in the HDR style. Debian 12 packages no HDR histogram C library
// (only Java and Go ones), so this is the small version: each power of two is split into 128
// linear sub-buckets, so a bucket is at most 1/128 of its lower bound wide and the midpoint we
// report is within 0.4% of any value in it. Values are nanoseconds from 1 ns to 60 s (3840
// buckets, 30 KiB); larger values are clamped to 60 s. Min, max and the sum are exact.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace goinstr::load {

class Histogram {
 public:
  static constexpr int kSubBits = 7;
  static constexpr uint64_t kSubBuckets = uint64_t{1} << kSubBits;
  static constexpr uint64_t kMaxValue = 60'000'000'000;  // 60 s in ns, below 2^36
  static constexpr size_t kBuckets = kSubBuckets * (36 - kSubBits + 1);

  Histogram();

  void record(uint64_t ns);
  void merge(const Histogram& other);
  void reset();

  uint64_t count() const { return count_; }
  uint64_t min() const { return count_ ? min_ : 0; }
  uint64_t max() const { return max_; }
  double mean() const { return count_ ? sum_ / static_cast<double>(count_) : 0.0; }
  // Nearest-rank percentile (p in [0, 100]): the midpoint of the bucket holding the
  // ceil(p% * count)-th value, clamped to the exact [min, max]; the first and last ranks are the
  // exact min and max. 0 when empty.
  uint64_t percentile(double p) const;

  // Non-empty buckets as (index, count): a compact copy for per-second windows and JSON.
  using Sparse = std::vector<std::pair<uint32_t, uint64_t>>;
  Sparse sparse() const;
  // Adds buckets from sparse(); min/max become the bounds of the outermost buckets added.
  void add_sparse(const Sparse& buckets);

  static size_t index_of(uint64_t ns);
  static uint64_t lowest_in(size_t index);
  static uint64_t width_of(size_t index);

 private:
  std::vector<uint64_t> counts_;
  uint64_t count_ = 0;
  uint64_t min_ = UINT64_MAX;
  uint64_t max_ = 0;
  double sum_ = 0;  // double: a uint64 sum of ns could overflow on long runs
};

}  // namespace goinstr::load
