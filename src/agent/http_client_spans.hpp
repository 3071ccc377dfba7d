// SPDX-License-Identifier: Apache-2.0
// Turns net/http client probe records into OpenTelemetry client spans. Start and end are paired
// by (pid, goroutine), innermost first: a RoundTripper may wrap another one on the same goroutine.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "agent/clock.hpp"
#include "agent/span_ids.hpp"
#include "bpf_intf/http_client.h"
#include "model/span.hpp"

namespace goinstr::agent {

class HttpClientSpans {
 public:
  using Emit = std::function<void(model::Span&&)>;

  struct Stats {
    uint64_t spans = 0;
    uint64_t with_parent = 0;
    uint64_t unmatched_ends = 0;
    uint64_t abandoned_starts = 0;
  };

  HttpClientSpans(Emit emit, TraceLookup lookup);
  void on_start(const http_client_start& record);
  // The connection of the goroutine's innermost open request.
  void on_conn(const http_client_conn& record);
  // The open client span whose connection has this local address: the server at the other end
  // of that connection serves this request. Over HTTP/1.1 a connection carries one request at a
  // time; over HTTP/2 several, so the oldest one for `path` not claimed yet is taken (each is
  // claimed once), or the only one open there when none has that path.
  struct Peer {
    model::TraceId trace_id;
    model::SpanId span_id;
  };
  std::optional<Peer> claim_by_local_address(const std::string& ip, int64_t port,
                                             const std::string& path);
  // error_type / fixed_message: as for DbSpans::on_end.
  void on_end(const http_client_end& record, const std::string& error_type = {},
              const std::string& fixed_message = {});
  void abandon_all();
  const Stats& stats() const { return stats_; }

 private:
  struct Pending {
    uint64_t start_ns = 0;
    ChildIds ids;
    std::string method, scheme, host, path, query;
    std::string local;     // "ip:port" of the connection, once known
    bool claimed = false;  // a traced server's span is already its child
  };
  using Key = GoroutineKey;
  void forget_local(const std::string& local, const Key& owner);
  model::Span build_span(const Pending& p, const http_client_end& end, uint32_t pid,
                         const std::string& error_type, const std::string& fixed_message) const;

  Emit emit_;
  TraceLookup lookup_;
  MonotonicToUnix to_unix_;
  std::mt19937_64 rng_;
  std::unordered_map<Key, std::vector<Pending>, GoroutineKeyHash> pending_;
  // "ip:port" -> goroutines with a request on that connection, oldest first.
  std::unordered_map<std::string, std::vector<Key>> by_local_;
  Stats stats_;
};

}  // namespace goinstr::agent
