// SPDX-License-Identifier: Apache-2.0
#include "metrics/aggregator.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <type_traits>

#include "common/log.hpp"

namespace goinstr::metrics {
namespace {

// Unit separators cannot appear in a well-formed key, so different sets never flatten alike;
// the type tag keeps int64 200 and string "200" apart.
std::string flatten(const std::vector<model::Attribute>& attributes) {
  std::string out;
  for (const auto& attr : attributes) {
    out += attr.key;
    out += '\x1f';
    std::visit(
        [&out](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::string>)
            out += 's' + v;
          else if constexpr (std::is_same_v<T, bool>)
            out += v ? "btrue" : "bfalse";
          else if constexpr (std::is_same_v<T, int64_t>)
            out += 'i' + std::to_string(v);
          else
            out += fmt::format("d{}", v);
        },
        attr.value);
    out += '\x1e';
  }
  return out;
}

void observe(HistogramPoint& point, double seconds) {
  point.min = point.count == 0 ? seconds : std::min(point.min, seconds);
  point.max = point.count == 0 ? seconds : std::max(point.max, seconds);
  ++point.count;
  point.sum += seconds;
  ++point.bucket_counts[bucket_index(seconds)];
}

}  // namespace

size_t bucket_index(double seconds) {
  return static_cast<size_t>(
      std::lower_bound(kDurationBounds.begin(), kDurationBounds.end(), seconds) -
      kDurationBounds.begin());
}

uint64_t now_unix_ns() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

MetricsAggregator::MetricsAggregator(AggregatorOptions options)
    : options_(options), start_unix_ns_(now_unix_ns()) {}

void MetricsAggregator::record(const model::Span& span) {
  if (auto measurement = measure(span)) record(span.pid, *measurement);
}

void MetricsAggregator::record(int32_t pid, const Measurement& measurement) {
  Key key{measurement.instrument, pid, flatten(measurement.attributes)};
  std::lock_guard lock(mu_);
  auto it = series_.find(key);
  if (it == series_.end()) {
    if (series_.size() >= options_.max_series) {
      // Warned once; the count is in stats() and in the closing summary.
      if (dropped_++ == 0)
        spdlog::warn("metrics: {} series reached; measurements for new attribute sets are dropped",
                     options_.max_series);
      return;
    }
    HistogramPoint point{
        .instrument = measurement.instrument, .pid = pid, .attributes = measurement.attributes};
    it = series_.emplace(std::move(key), std::move(point)).first;
  }
  observe(it->second, measurement.seconds);
  ++measurements_;
}

std::vector<HistogramPoint> MetricsAggregator::collect() const {
  std::lock_guard lock(mu_);
  std::vector<HistogramPoint> out;
  out.reserve(series_.size());
  for (const auto& [key, point] : series_) out.push_back(point);
  return out;
}

MetricsAggregator::Stats MetricsAggregator::stats() const {
  std::lock_guard lock(mu_);
  return Stats{measurements_, dropped_, series_.size()};
}

}  // namespace goinstr::metrics
