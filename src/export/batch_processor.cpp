// SPDX-License-Identifier: Apache-2.0
#include "export/batch_processor.hpp"

#include <algorithm>
#include <exception>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "common/log.hpp"

namespace goinstr::exporter {
namespace {

// When a backend is down every batch fails; one warning per exporter per period is enough.
constexpr auto kWarnPeriod = std::chrono::seconds(10);

// A zero batch size would make the worker spin; zero queue is allowed (drops everything).
BatchOptions sanitized(BatchOptions options) {
  options.max_batch = std::max<size_t>(options.max_batch, 1);
  return options;
}

}  // namespace

// Per-exporter failure bookkeeping. While a backend is down every batch fails, so warnings are
// limited to one per kWarnPeriod; the ones held back are summarised in the next warning or in
// the recovery message. The limit also holds across recoveries, so a flapping backend cannot
// produce a line per batch either.
struct BatchProcessor::ExporterState {
  std::unique_ptr<SpanExporter> exporter;
  std::optional<std::chrono::steady_clock::time_point> last_warning;
  uint64_t failures_held_back = 0;
  uint64_t spans_held_back = 0;
  bool failing = false;
  bool warned = false;  // a warning was printed since the last recovery message

  void on_failure(const Error& error, size_t spans) {
    failing = true;
    const auto now = std::chrono::steady_clock::now();
    if (last_warning && now - *last_warning < kWarnPeriod) {
      ++failures_held_back;
      spans_held_back += spans;
      return;
    }
    spdlog::warn("exporter {}: {} span(s) dropped: {}{}", exporter->name(), spans, error.message,
                 held_back_note());
    last_warning = now;
    warned = true;
  }

  void on_success() {
    if (!failing) return;
    failing = false;
    if (!warned) return;
    spdlog::info("exporter {}: exporting again{}", exporter->name(), held_back_note());
    warned = false;
  }

  // Resets the held-back counters; they are reported exactly once.
  std::string held_back_note() {
    if (failures_held_back == 0) return "";
    auto note = fmt::format(" ({} more span(s) dropped in {} failed export(s) not logged)",
                            spans_held_back, failures_held_back);
    failures_held_back = 0;
    spans_held_back = 0;
    return note;
  }
};

BatchProcessor::BatchProcessor(std::vector<std::unique_ptr<SpanExporter>> exporters,
                               std::function<model::Resource(int32_t pid)> resource_for_pid,
                               BatchOptions options)
    : resource_for_pid_(std::move(resource_for_pid)), options_(sanitized(options)) {
  for (auto& e : exporters) exporters_.push_back(ExporterState{.exporter = std::move(e)});
  queue_.reserve(std::min(options_.max_queue, options_.max_batch));
  worker_ = std::thread([this] { run(); });
}

BatchProcessor::~BatchProcessor() {
  shutdown();
}

bool BatchProcessor::submit(model::Span span) {
  {
    std::lock_guard lock(mu_);
    if (!stop_ && queue_.size() < options_.max_queue) {
      queue_.push_back(std::move(span));
      submitted_.fetch_add(1, std::memory_order_relaxed);
      if (queue_.size() == wake_size()) work_cv_.notify_one();
      return true;
    }
  }
  dropped_queue_full_.fetch_add(1, std::memory_order_relaxed);
  return false;
}

void BatchProcessor::flush() {
  std::unique_lock lock(mu_);
  if (stop_) return;
  const uint64_t ticket = ++flush_requested_;
  work_cv_.notify_one();
  // shut_down_ ends the wait for a flush that raced with shutdown(), which exports everything.
  done_cv_.wait(lock, [&] { return flush_done_ >= ticket || shut_down_; });
}

void BatchProcessor::shutdown() {
  std::lock_guard shutdown_lock(shutdown_mu_);
  {
    std::lock_guard lock(mu_);
    if (stop_) return;
    stop_ = true;
  }
  work_cv_.notify_one();
  if (worker_.joinable()) worker_.join();
  for (auto& state : exporters_) {
    if (auto r = state.exporter->shutdown(); !r)
      spdlog::warn("exporter {}: shutdown: {}", state.exporter->name(), r.error().message);
  }
  {
    std::lock_guard lock(mu_);
    shut_down_ = true;
  }
  done_cv_.notify_all();
}

BatchProcessor::Stats BatchProcessor::stats() const {
  return Stats{.submitted = submitted_.load(),
               .exported = exported_.load(),
               .dropped_queue_full = dropped_queue_full_.load(),
               .dropped_export_failed = dropped_export_failed_.load()};
}

void BatchProcessor::run() {
  std::vector<model::Span> batch;
  auto deadline = std::chrono::steady_clock::now() + options_.interval;
  std::unique_lock lock(mu_);
  for (;;) {
    work_cv_.wait_until(lock, deadline, [&] {
      return stop_ || queue_.size() >= wake_size() || flush_requested_ > flush_done_;
    });
    const bool stopping = stop_;
    const uint64_t flush_ticket = flush_requested_;
    // Take the whole queue: the lock is held for a swap, never for an export.
    batch.clear();
    batch.swap(queue_);
    lock.unlock();
    if (!batch.empty()) export_spans(batch);
    deadline = std::chrono::steady_clock::now() + options_.interval;
    lock.lock();
    flush_done_ = flush_ticket;
    done_cv_.notify_all();
    // submit() refuses spans once stop_ is set, so the queue taken above was the last one.
    if (stopping) return;
  }
}

void BatchProcessor::export_spans(std::vector<model::Span>& spans) {
  // std::map keeps pids in a stable order, which makes output and tests deterministic.
  std::map<int32_t, std::vector<model::Span>> by_pid;
  for (auto& span : spans) by_pid[span.pid].push_back(std::move(span));
  for (auto& [pid, group] : by_pid) {
    const model::Resource resource = resource_for(pid);
    std::span<const model::Span> rest(group);
    while (!rest.empty()) {
      const size_t n = std::min(rest.size(), options_.max_batch);
      export_group(rest.first(n), resource);
      rest = rest.subspan(n);
    }
  }
}

model::Resource BatchProcessor::resource_for(int32_t pid) const {
  if (!resource_for_pid_) return {};
  // Spans without their Resource are still worth exporting; a throwing callback must not end the
  // worker thread (which would terminate the agent).
  try {
    return resource_for_pid_(pid);
  } catch (const std::exception& e) {
    spdlog::warn("resource for pid {}: {}", pid, e.what());
    return {};
  }
}

void BatchProcessor::export_group(std::span<const model::Span> spans,
                                  const model::Resource& resource) {
  for (auto& state : exporters_) {
    Result<> result;
    // An exporter that throws must not take the worker (and every other exporter) down with it.
    try {
      result = state.exporter->export_batch(resource, spans);
    } catch (const std::exception& e) {
      result = fail(std::string("exception: ") + e.what());
    }
    if (result) {
      exported_.fetch_add(spans.size(), std::memory_order_relaxed);
      state.on_success();
    } else {
      dropped_export_failed_.fetch_add(spans.size(), std::memory_order_relaxed);
      state.on_failure(result.error(), spans.size());
    }
  }
}

}  // namespace goinstr::exporter
