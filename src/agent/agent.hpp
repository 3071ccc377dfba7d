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
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "agent/db_spans.hpp"
#include "agent/go_probes.hpp"
#include "agent/grpc_client_spans.hpp"
#include "agent/grpc_server_spans.hpp"
#include "agent/http_client_spans.hpp"
#include "agent/http_server_spans.hpp"
#include "agent/probe_plan.hpp"
#include "agent/target_facts.hpp"
#include "common/result.hpp"
#include "model/span.hpp"
#include "obj/go_binary.hpp"

struct ring_buffer;

namespace goinstr::agent {

struct AgentOptions {
  uint32_t ringbuf_bytes = 16u << 20;
  // Records are submitted without wakeups, so the pump drains on this timer.
  std::chrono::milliseconds poll_interval{20};
  uint64_t max_request_duration_ns = 300'000'000'000ULL;
  bool http_enabled = true;
  bool http_client_enabled = true;
  bool database_enabled = true;
  bool grpc_enabled = true;  // google.golang.org/grpc servers and clients
  DbSpanOptions database;
  // Write traceparent into outgoing requests (instrumentation.http.trace_headers).
  bool trace_headers = false;
  // Follow goroutine hand-off (instrumentation.follow_goroutines).
  bool follow_goroutines = true;
};

struct Report {
  uint64_t ringbuf_full = 0;         // records the kernel dropped
  uint64_t read_failed = 0;          // user-memory reads that failed (records went out incomplete)
  uint64_t injected = 0;             // traceparent headers written
  uint64_t inject_present = 0;       // requests that already carried one
  uint64_t inject_no_room = 0;       // requests whose write buffer had no room
  uint64_t inject_failed = 0;        // writes the kernel refused
  uint64_t goroutines_linked = 0;    // goroutines that inherited a request
  uint64_t invalid_traceparent = 0;  // malformed traceparent fields in HTTP/2 or gRPC headers
  bool injection_refused = false;    // trace_headers on, but the kernel forbids the write
  HttpServerSpans::Stats http_server;
  HttpClientSpans::Stats http_client;
  DbSpans::Stats database;
  GrpcServerSpans::Stats grpc_server;
  GrpcClientSpans::Stats grpc_client;
};

struct TargetInfo {
  std::string executable;
  std::string go_version;
  pid_t pid = -1;  // -1: every process of the executable
};

// The probe sites of one hook in `binary` (probe_plan.hpp); `inspect` shows the same.
Result<std::vector<obj::ProbeSite>> resolve_hook_sites(const obj::GoBinary& binary,
                                                       const HookSpec& hook);

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
    std::unique_ptr<GoProbes> probes;
    std::shared_ptr<TargetFacts> facts;
  };
  Result<std::unique_ptr<GoProbes>> load_probes(const obj::GoBinary& binary, TargetFacts& facts,
                                                const std::string& executable, pid_t pid);
  // The HTTP/2 and gRPC parts of the probe configuration.
  void configure_streams(const obj::GoBinary& binary, const TargetFacts& facts,
                         const std::string& executable, ProbeConfig& config,
                         std::vector<std::string>& notes) const;
  // The trace of an open server span (HTTP or gRPC) by (pid, BPF span id): how every child
  // family (database, HTTP and gRPC clients) finds its parent's trace.
  std::optional<model::TraceId> server_trace(uint32_t pid, uint64_t span_id) const;
  TraceLookup server_lookup();
  // The ring-buffer callback's context: which target a record comes from.
  struct Source {
    Agent* agent;
    size_t target;
  };
  static int on_record(void* ctx, void* data, size_t size);
  void dispatch(const void* data, size_t size, const TargetFacts& facts);
  void pump_loop();
  void warn_on_new_drops();
  // Per-CPU counters of every target, summed (enum goinstr_counter).
  std::array<uint64_t, GOINSTR_COUNTERS> kernel_counters() const;

  AgentOptions options_;
  std::vector<Target> targets_;
  std::vector<std::unique_ptr<Source>> sources_;
  struct Record {
    uint64_t ts_ns;
    size_t target;
    std::string bytes;
  };
  std::vector<Record> batch_;  // one drain's records, handled in time order
  std::map<std::pair<uint32_t, uint64_t>, DbTarget> db_targets_;  // (pid, *sql.DB) -> database
  void drain();
  ring_buffer* ring_ = nullptr;
  std::thread pump_;
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;  // guards spans_ between the pump thread and report()
  HttpServerSpans spans_;
  HttpClientSpans client_spans_;
  DbSpans db_spans_;
  GrpcServerSpans grpc_server_;
  GrpcClientSpans grpc_client_;
  bool injection_refused_ = false;
  uint64_t warned_drops_ = 0;
};

}  // namespace goinstr::agent
