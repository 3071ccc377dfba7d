// SPDX-License-Identifier: Apache-2.0
// Turns the net/http server probe records (HTTP/1.1 and HTTP/2 alike) into one OpenTelemetry
// server span per request. Start and end records are paired by (pid, *response or HTTP/2
// *responseWriter); a start whose end never comes (hijacked connection, handler panic) is given
// up after max_request_duration and counted.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "agent/clock.hpp"
#include "agent/open_spans.hpp"
#include "bpf_intf/http_server.h"
#include "model/span.hpp"

namespace goinstr::agent {

class HttpServerSpans {
 public:
  using Emit = std::function<void(model::Span&&)>;

  struct Stats {
    uint64_t spans = 0;                // spans emitted
    uint64_t continued_traces = 0;     // spans that continued an incoming traceparent
    uint64_t linked_to_caller = 0;     // spans linked to a traced caller by its connection
    uint64_t invalid_traceparent = 0;  // a traceparent header was present but malformed
    uint64_t unmatched_ends = 0;       // end record without a start (agent attached mid-request)
    uint64_t abandoned_starts = 0;     // start record whose end never came
  };

  // At most max_in_flight requests are kept open; beyond that the oldest is given up (counted),
  // so that starts whose end never comes cannot grow memory without bound.
  HttpServerSpans(Emit emit, uint64_t max_request_duration_ns, size_t max_in_flight = 65536);

  void on_start(const http_server_start& record);
  void on_end(const http_server_end& record);
  // Gives up on requests older than the limit; now_ns is CLOCK_MONOTONIC.
  void expire(uint64_t now_ns);
  // Gives up on every request still open (the traced process exited, or the agent stops).
  void abandon_all();
  size_t in_flight() const { return open_.size(); }
  // A client span in a traced process whose connection's local address is (ip, port) and that
  // asked for `path`: the caller of a request arriving from there. Links traces across services
  // without injection.
  using PeerLookup = std::function<std::optional<std::pair<model::TraceId, model::SpanId>>(
      const std::string& ip, int64_t port, const std::string& path)>;
  void set_peer_lookup(PeerLookup lookup) { peer_ = std::move(lookup); }
  // The trace of an open request by its BPF span id: how child spans find their trace.
  std::optional<model::TraceId> trace_of(uint32_t pid, uint64_t span_id) const;
  const Stats& stats() const { return stats_; }

 private:
  struct Pending {
    uint64_t start_ns = 0;
    std::string method, path, host, remote, user_agent;
    uint8_t proto_major = 0, proto_minor = 0;
    model::TraceId trace_id{};
    model::SpanId parent_span_id{};
    model::SpanId span_id{};
    uint64_t bpf_span_id = 0;
  };
  // Continues the trace of an incoming traceparent in `headers`, else starts a new one; with
  // propagation on, BPF has already decided (ctx).
  void assign_ids(Pending& p, const goinstr_trace_ctx& ctx, std::string_view headers, uint32_t pid);
  model::Span build_span(const Pending& p, const http_server_end& end, uint32_t pid) const;
  bool link_to_caller(Pending& p);

  Emit emit_;
  PeerLookup peer_;
  MonotonicToUnix to_unix_;
  std::mt19937_64 rng_;
  OpenSpans<Pending> open_;
  Stats stats_;
};

}  // namespace goinstr::agent
