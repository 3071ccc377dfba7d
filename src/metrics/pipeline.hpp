// SPDX-License-Identifier: Apache-2.0
// Pushes the aggregator's cumulative histograms to an OTLP MetricExporter every `interval` from
// its own thread, and once more at shutdown() so the last interval's spans are not lost.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

#include "metrics/aggregator.hpp"
#include "metrics/metric_exporter.hpp"

namespace goinstr::metrics {

struct PipelineOptions {
  std::chrono::milliseconds interval{10000};  // OTEL_METRIC_EXPORT_INTERVAL
};

class MetricsPipeline {
 public:
  MetricsPipeline(std::shared_ptr<const MetricsAggregator> aggregator,
                  std::unique_ptr<MetricExporter> exporter, ResourceFn resource_for_pid,
                  PipelineOptions options = {});
  ~MetricsPipeline();  // calls shutdown()
  MetricsPipeline(const MetricsPipeline&) = delete;
  MetricsPipeline& operator=(const MetricsPipeline&) = delete;

  // Stops the thread, then exports one last time. Idempotent.
  void shutdown();

  struct Stats {
    uint64_t exports;          // successful export calls (empty collections are not sent)
    uint64_t failed_exports;   // export calls the backend or the transport refused
    uint64_t points_exported;  // data points in successful exports (cumulative: each counts)
    uint64_t last_series;      // series in the last successful export
  };
  Stats stats() const;

 private:
  void run();
  void export_once();

  std::shared_ptr<const MetricsAggregator> aggregator_;
  std::unique_ptr<MetricExporter> exporter_;
  ResourceFn resource_for_pid_;
  const PipelineOptions options_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool shut_down_ = false;
  bool failing_ = false;  // only the first failure of a run of failures is logged
  Stats stats_{};

  std::thread worker_;  // last: starts after every member above is initialised
};

}  // namespace goinstr::metrics
