// SPDX-License-Identifier: Apache-2.0
// Cumulative explicit-bucket histograms, one series per (process, instrument, attribute set).
// record() is called from the agent's event pump for every finished span, so it only takes a
// mutex and updates one series; readers (the OTLP pipeline, a Prometheus scrape) copy a snapshot.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "metrics/instruments.hpp"
#include "model/span.hpp"

namespace goinstr::metrics {

// Resources are per process, as for spans (the BatchProcessor uses the same callback).
using ResourceFn = std::function<model::Resource(int32_t pid)>;

struct HistogramPoint {
  Instrument instrument = Instrument::kHttpServerDuration;
  int32_t pid = 0;
  std::vector<model::Attribute> attributes;  // sorted by key
  uint64_t count = 0;
  double sum = 0;
  double min = 0;  // meaningful when count > 0
  double max = 0;
  std::array<uint64_t, kBucketCount> bucket_counts{};  // per bucket, not cumulative (OTLP)
};

struct AggregatorOptions {
  // Series beyond this are not created: their measurements are counted as dropped. Bounds the
  // memory and the size of every export when an attribute turns out to be high-cardinality.
  size_t max_series = 2000;
};

class MetricsAggregator {
 public:
  explicit MetricsAggregator(AggregatorOptions options = {});

  // Thread-safe. Spans that no instrument covers are ignored.
  void record(const model::Span& span);
  void record(int32_t pid, const Measurement& measurement);

  // Every series, cumulative since construction, ordered by instrument, pid, attributes.
  std::vector<HistogramPoint> collect() const;
  // Start of the cumulative period (OTLP start_time_unix_nano): when the aggregator was made.
  uint64_t start_unix_ns() const { return start_unix_ns_; }

  struct Stats {
    uint64_t measurements;          // recorded into a series
    uint64_t dropped_series_limit;  // not recorded: max_series was reached
    size_t series;
  };
  Stats stats() const;

 private:
  // Instrument, pid, and the attributes flattened to one string: cheap to compare and order.
  using Key = std::tuple<Instrument, int32_t, std::string>;

  const AggregatorOptions options_;
  const uint64_t start_unix_ns_;
  mutable std::mutex mu_;
  std::map<Key, HistogramPoint> series_;
  uint64_t measurements_ = 0;
  uint64_t dropped_ = 0;
};

// Index of the bucket `seconds` falls into: bounds are inclusive upper limits (OTLP, Prometheus).
size_t bucket_index(double seconds);
uint64_t now_unix_ns();

}  // namespace goinstr::metrics
