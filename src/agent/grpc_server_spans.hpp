// SPDX-License-Identifier: Apache-2.0
// Turns the gRPC server probe records into one OpenTelemetry server span per RPC (unary or
// streaming: from handleStream to the final status). Start and end are paired by (pid, stream
// pointer); a start whose end never comes is given up after max_duration and counted.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <utility>

#include "agent/clock.hpp"
#include "agent/open_spans.hpp"
#include "bpf_intf/grpc.h"
#include "model/span.hpp"

namespace goinstr::agent {

class GrpcServerSpans {
 public:
  using Emit = std::function<void(model::Span&&)>;

  struct Stats {
    uint64_t spans = 0;
    uint64_t continued_traces = 0;  // continued the traceparent in the request metadata
    uint64_t linked_to_caller = 0;  // child of a traced caller's client span (by connection)
    uint64_t unmatched_ends = 0;    // end without a start (agent attached mid-RPC)
    uint64_t abandoned_starts = 0;  // start whose end never came
    uint64_t via_net_http = 0;      // served through grpc.Server.ServeHTTP: left to net/http
  };

  // The client span of a traced caller for the RPC `path` arriving on stream `stream_id` from
  // (ip, port), which started before `start_ns`.
  using CallerLookup = std::function<std::optional<std::pair<model::TraceId, model::SpanId>>(
      const std::string& ip, int64_t port, const std::string& path, uint64_t start_ns,
      uint32_t stream_id)>;

  GrpcServerSpans(Emit emit, uint64_t max_duration_ns, size_t max_in_flight = 65536);
  void set_caller_lookup(CallerLookup lookup) { caller_ = std::move(lookup); }

  void on_start(const grpc_server_start& record);
  void on_end(const grpc_server_end& record);
  void expire(uint64_t now_ns);
  void abandon_all();
  // The trace of an open RPC by its BPF span id: how child spans find their trace.
  std::optional<model::TraceId> trace_of(uint32_t pid, uint64_t span_id) const;
  const Stats& stats() const { return stats_; }

 private:
  struct Pending {
    uint64_t start_ns = 0;
    uint64_t bpf_span_id = 0;
    model::TraceId trace_id{};
    model::SpanId span_id{};
    model::SpanId parent_span_id{};
    std::string path;  // "/package.Service/Method"
    goinstr_tcp_addr remote{}, local{};
  };
  void assign_ids(Pending& p, const grpc_server_start& record);
  model::Span build_span(const Pending& p, const grpc_server_end& end, uint32_t pid) const;

  Emit emit_;
  CallerLookup caller_;
  MonotonicToUnix to_unix_;
  std::mt19937_64 rng_;
  OpenSpans<Pending> open_;
  Stats stats_;
};

}  // namespace goinstr::agent
