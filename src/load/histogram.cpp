// SPDX-License-Identifier: Apache-2.0
#include "load/histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace goinstr::load {

Histogram::Histogram() : counts_(kBuckets, 0) {}

// Values below 2*kSubBuckets map to themselves (width 1). Above, the group is the position of
// the top bit and the sub-bucket the next kSubBits bits: index = 128*(msb-7) + (v >> (msb-7)).
size_t Histogram::index_of(uint64_t ns) {
  ns = std::min(ns, kMaxValue);
  if (ns < kSubBuckets) return ns;
  int msb = 63 - std::countl_zero(ns);
  int shift = msb - kSubBits;
  return kSubBuckets * static_cast<uint64_t>(shift) + (ns >> shift);
}

uint64_t Histogram::width_of(size_t index) {
  uint64_t group = index / kSubBuckets;
  return group <= 1 ? 1 : uint64_t{1} << (group - 1);
}

uint64_t Histogram::lowest_in(size_t index) {
  uint64_t group = index / kSubBuckets;
  if (group <= 1) return index;
  uint64_t shift = group - 1;
  return (index - kSubBuckets * shift) << shift;
}

void Histogram::record(uint64_t ns) {
  ns = std::min(ns, kMaxValue);
  ++counts_[index_of(ns)];
  ++count_;
  min_ = std::min(min_, ns);
  max_ = std::max(max_, ns);
  sum_ += static_cast<double>(ns);
}

void Histogram::merge(const Histogram& other) {
  if (other.count_ == 0) return;
  for (size_t i = 0; i < kBuckets; ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  sum_ += other.sum_;
}

void Histogram::reset() {
  std::fill(counts_.begin(), counts_.end(), 0);
  count_ = 0;
  min_ = UINT64_MAX;
  max_ = 0;
  sum_ = 0;
}

uint64_t Histogram::percentile(double p) const {
  if (count_ == 0) return 0;
  p = std::clamp(p, 0.0, 100.0);
  auto rank = static_cast<uint64_t>(std::ceil(p / 100.0 * static_cast<double>(count_)));
  rank = std::clamp<uint64_t>(rank, 1, count_);
  // The extremes are known exactly; no need to approximate them by a bucket.
  if (rank == 1) return min_;
  if (rank == count_) return max_;
  uint64_t seen = 0;
  for (size_t i = 0; i < kBuckets; ++i) {
    seen += counts_[i];
    if (seen >= rank) {
      uint64_t mid = lowest_in(i) + width_of(i) / 2;
      return std::clamp(mid, min_, max_);
    }
  }
  return max_;
}

Histogram::Sparse Histogram::sparse() const {
  Sparse out;
  if (count_ == 0) return out;
  for (size_t i = index_of(min_); i <= index_of(max_); ++i) {
    if (counts_[i]) out.emplace_back(static_cast<uint32_t>(i), counts_[i]);
  }
  return out;
}

void Histogram::add_sparse(const Sparse& buckets) {
  for (auto [index, n] : buckets) {
    if (index >= kBuckets || n == 0) continue;
    counts_[index] += n;
    count_ += n;
    uint64_t lo = lowest_in(index);
    min_ = std::min(min_, lo);
    max_ = std::max(max_, lo + width_of(index) - 1);
    sum_ += static_cast<double>(n) * static_cast<double>(lo + width_of(index) / 2);
  }
}

}  // namespace goinstr::load
