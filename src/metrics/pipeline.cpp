// SPDX-License-Identifier: Apache-2.0
#include "metrics/pipeline.hpp"

#include "common/log.hpp"

namespace goinstr::metrics {

MetricsPipeline::MetricsPipeline(std::shared_ptr<const MetricsAggregator> aggregator,
                                 std::unique_ptr<MetricExporter> exporter,
                                 ResourceFn resource_for_pid, PipelineOptions options)
    : aggregator_(std::move(aggregator)),
      exporter_(std::move(exporter)),
      resource_for_pid_(std::move(resource_for_pid)),
      options_(options) {
  worker_ = std::thread([this] { run(); });
}

MetricsPipeline::~MetricsPipeline() {
  shutdown();
}

void MetricsPipeline::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    if (cv_.wait_for(lock, options_.interval, [this] { return stop_; })) return;
    lock.unlock();
    export_once();
    lock.lock();
  }
}

void MetricsPipeline::shutdown() {
  {
    std::lock_guard lock(mu_);
    if (shut_down_) return;
    shut_down_ = stop_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
  export_once();  // the worker has stopped: the exporter is still used by one thread at a time
}

// Called by the worker, or by shutdown() after the worker is gone: never concurrently.
void MetricsPipeline::export_once() {
  const auto points = aggregator_->collect();
  if (points.empty()) return;
  const auto request = encode_metrics(
      points, resource_for_pid_,
      {.start_unix_ns = aggregator_->start_unix_ns(), .time_unix_ns = now_unix_ns()});
  auto result = exporter_->export_metrics(request);
  std::lock_guard lock(mu_);
  if (!result) {
    // A backend that is down fails every interval: one line when it starts, one when it ends.
    if (!failing_)
      spdlog::warn(
          "metrics exporter {}: export failed (not retried; later exports carry the "
          "same cumulative totals): {}",
          exporter_->name(), result.error().message);
    failing_ = true;
    ++stats_.failed_exports;
    return;
  }
  if (failing_) spdlog::info("metrics exporter {}: exporting again", exporter_->name());
  failing_ = false;
  ++stats_.exports;
  stats_.points_exported += points.size();
  stats_.last_series = points.size();
}

MetricsPipeline::Stats MetricsPipeline::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

}  // namespace goinstr::metrics
