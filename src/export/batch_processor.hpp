// SPDX-License-Identifier: Apache-2.0
// The only way spans reach exporters. The event pump calls submit(), which never waits on an
// exporter: spans go into a bounded queue, and one worker thread drains it in batches, grouped by
// process so each export carries that process's Resource. Every span that is not delivered is
// counted, either as queue-full (back-pressure) or as export-failed (backend down or rejecting).
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "export/exporter.hpp"
#include "model/span.hpp"

namespace goinstr::exporter {

struct BatchOptions {
  size_t max_queue = 8192;                  // spans waiting for the worker; more are dropped
  size_t max_batch = 512;                   // spans per export_batch() call
  std::chrono::milliseconds interval{500};  // longest a span waits before export
};

class BatchProcessor {
 public:
  BatchProcessor(std::vector<std::unique_ptr<SpanExporter>> exporters,
                 std::function<model::Resource(int32_t pid)> resource_for_pid,
                 BatchOptions options = {});
  ~BatchProcessor();  // calls shutdown()
  BatchProcessor(const BatchProcessor&) = delete;
  BatchProcessor& operator=(const BatchProcessor&) = delete;

  // Never waits for an exporter. Returns false (and counts dropped_queue_full) when the queue is
  // full or the processor has been shut down.
  bool submit(model::Span span);
  // Synchronous: every span submitted before the call has been handed to every exporter (or
  // counted as failed) when it returns. Returns at once after shutdown().
  void flush();
  // Exports what is queued, stops the worker and calls shutdown() on every exporter. Idempotent.
  void shutdown();

  // Delivery counters are per exporter: with two exporters a delivered span counts twice in
  // `exported`, and a span one backend refused counts once in each of the two fields.
  struct Stats {
    uint64_t submitted;              // accepted into the queue
    uint64_t exported;               // exporter deliveries that succeeded
    uint64_t dropped_queue_full;     // refused by submit()
    uint64_t dropped_export_failed;  // exporter deliveries that failed
  };
  Stats stats() const;

 private:
  struct ExporterState;

  void run();
  void export_spans(std::vector<model::Span>& spans);
  void export_group(std::span<const model::Span> spans, const model::Resource& resource);
  model::Resource resource_for(int32_t pid) const;
  // Queue length at which the worker starts exporting without waiting for the interval.
  size_t wake_size() const {
    return std::max<size_t>(1, std::min(options_.max_batch, options_.max_queue));
  }

  std::vector<ExporterState> exporters_;
  std::function<model::Resource(int32_t)> resource_for_pid_;
  const BatchOptions options_;

  mutable std::mutex mu_;
  std::condition_variable work_cv_;  // worker waits here for spans, flushes and stop
  std::condition_variable done_cv_;  // flush() waits here for the worker
  std::vector<model::Span> queue_;
  uint64_t flush_requested_ = 0;  // sequence number of the latest flush() call
  uint64_t flush_done_ = 0;       // latest flush sequence whose spans were all exported
  bool stop_ = false;
  bool shut_down_ = false;
  std::mutex shutdown_mu_;

  std::atomic<uint64_t> submitted_{0};
  std::atomic<uint64_t> exported_{0};
  std::atomic<uint64_t> dropped_queue_full_{0};
  std::atomic<uint64_t> dropped_export_failed_{0};

  std::thread worker_;  // last: starts after every member above is initialised
};

}  // namespace goinstr::exporter
