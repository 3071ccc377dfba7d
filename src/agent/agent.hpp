// SPDX-License-Identifier: Apache-2.0
// The runtime agent: analyses each target executable, loads one BPF object per executable with its
// offsets, attaches the probe plan, and pumps ring-buffer records into span assembly. Spans leave
// through a sink (the batch processor); every record the kernel or user space had to give up on is
// counted in Report.
#pragma once

#include <sys/types.h>

#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "agent/http_server_probes.hpp"
#include "agent/http_server_spans.hpp"
#include "common/result.hpp"
#include "model/span.hpp"

struct ring_buffer;

namespace goinstr::agent {

struct AgentOptions {
  uint32_t ringbuf_bytes = 16u << 20;
  // Records are submitted without wakeups, so the pump drains on this timer.
  std::chrono::milliseconds poll_interval{20};
  uint64_t max_request_duration_ns = 300'000'000'000ULL;
  bool http_enabled = true;
};

struct Report {
  uint64_t ringbuf_full = 0;  // records the kernel dropped
  uint64_t read_failed = 0;   // user-memory reads that failed (records went out incomplete)
  HttpServerSpans::Stats http_server;
};

struct TargetInfo {
  std::string executable;
  std::string go_version;
  pid_t pid = -1;  // -1: every process of the executable
};

class Agent {
 public:
  using SpanSink = std::function<void(model::Span&&)>;

  Agent(AgentOptions options, SpanSink sink);
  ~Agent();

  // Prepares tracing of `executable` in process `pid` (-1: all its processes, present and future).
  // Call before start().
  Result<TargetInfo> trace(const std::string& executable, pid_t pid);
  // Starts the pump thread.
  Result<> start();
  // Stops the pump, drains what the kernel still holds, and gives up on requests still open.
  void finish();
  Report report() const;

 private:
  struct Target {
    TargetInfo info;
    std::unique_ptr<HttpServerProbes> http_server;
  };
  static int on_record(void* ctx, void* data, size_t size);
  void dispatch(const void* data, size_t size);
  void pump_loop();
  void warn_on_new_drops();
  // Per-CPU counters of every target, summed (enum goinstr_counter).
  std::array<uint64_t, GOINSTR_COUNTERS> kernel_counters() const;

  AgentOptions options_;
  std::vector<Target> targets_;
  ring_buffer* ring_ = nullptr;
  std::thread pump_;
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;  // guards spans_ between the pump thread and report()
  HttpServerSpans spans_;
  uint64_t warned_drops_ = 0;
};

}  // namespace goinstr::agent
