// SPDX-License-Identifier: Apache-2.0
// Turns the gRPC client probe records into one OpenTelemetry client span per call (unary or
// streaming), paired by (pid, *clientStream), and links the server span of a traced callee to it
// by connection: the callee sees this call's local address as its remote one.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "agent/clock.hpp"
#include "agent/open_spans.hpp"
#include "agent/span_ids.hpp"
#include "bpf_intf/grpc.h"
#include "model/span.hpp"

namespace goinstr::agent {

class GrpcClientSpans {
 public:
  using Emit = std::function<void(model::Span&&)>;

  struct Stats {
    uint64_t spans = 0;
    uint64_t with_parent = 0;
    uint64_t retries = 0;           // attempts after the first of one call (one span)
    uint64_t unmatched_ends = 0;    // finish without a start
    uint64_t abandoned_starts = 0;  // calls whose finish never came
    // Server spans linked to the oldest open call of their method on their connection whose
    // stream then turned out to be another (concurrent calls of one method on one connection).
    uint64_t links_by_order_wrong = 0;
  };

  GrpcClientSpans(Emit emit, TraceLookup lookup, uint64_t max_duration_ns, size_t max_open = 65536);
  void on_start(const grpc_client_start& record);
  void on_conn(const grpc_client_conn& record);
  // error_type: the Go type behind err_itab when the probe found no gRPC status.
  void on_end(const grpc_client_end& record, const std::string& error_type = {});
  // The open call of `path` whose connection's local end is (ip, port), started before
  // `server_start_ns` and not yet linked: the oldest, since a connection opens streams in order.
  std::optional<std::pair<model::TraceId, model::SpanId>> claim_caller(const std::string& ip,
                                                                       int64_t port,
                                                                       const std::string& path,
                                                                       uint64_t server_start_ns,
                                                                       uint32_t stream_id);
  void expire(uint64_t now_ns);
  void abandon_all();
  const Stats& stats() const { return stats_; }

 private:
  struct Pending {
    uint64_t start_ns = 0;
    uint64_t bpf_span_id = 0;
    model::TraceId trace_id{};
    ChildIds ids;
    std::string path, authority;
    goinstr_tcp_addr remote{};
    std::string local;              // "ip:port" of the connection, once known
    uint32_t linked_stream_id = 0;  // the stream of the server span linked to this call
  };
  void index_local(const OpenKey& key, Pending& p, const goinstr_tcp_addr& local);
  model::Span build_span(const Pending& p, const grpc_client_end& end, uint32_t pid,
                         const std::string& error_type) const;

  Emit emit_;
  TraceLookup lookup_;
  MonotonicToUnix to_unix_;
  std::mt19937_64 rng_;
  OpenSpans<Pending> open_;
  // "ip:port" of a connection's local end -> its calls, oldest first (stale keys are skipped).
  std::unordered_map<std::string, std::vector<OpenKey>> by_local_;

  Stats stats_;
};

}  // namespace goinstr::agent
