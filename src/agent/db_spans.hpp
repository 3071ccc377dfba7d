// SPDX-License-Identifier: Apache-2.0
// Turns database/sql probe records into OpenTelemetry client spans (semantic conventions for
// database spans): one per query, exec, BEGIN, COMMIT and ROLLBACK. Start and end are paired by
// (pid, goroutine): database/sql operations are synchronous, so a goroutine has at most one open.
#pragma once

#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <unordered_map>

#include "agent/clock.hpp"
#include "agent/span_ids.hpp"
#include "bpf_intf/database_sql.h"
#include "model/span.hpp"

namespace goinstr::agent {

// What is known about the database behind a *sql.DB.
struct DbTarget {
  std::string system = "other_sql";  // db.system.name
  std::string server_address;        // empty: unknown
  int64_t server_port = 0;
};

struct DbSpanOptions {
  bool capture_queries = false;  // db.query.text
  bool raw_queries = false;      // db.query.text without replacing literals by ?
};

class DbSpans {
 public:
  using Emit = std::function<void(model::Span&&)>;

  struct Stats {
    uint64_t spans = 0;
    uint64_t with_parent = 0;
    uint64_t unmatched_ends = 0;
    uint64_t abandoned_starts = 0;
  };

  DbSpans(Emit emit, DbSpanOptions options, TraceLookup lookup);

  // target: the database behind the record's *sql.DB.
  void on_start(const db_start& record, DbTarget target);
  // error_type: the Go type of the returned error ("*pq.Error"), "" when unknown; fixed_message:
  // its message when the type has a constant one.
  void on_end(const db_end& record, const std::string& error_type = {},
              const std::string& fixed_message = {});
  void abandon_all();
  const Stats& stats() const { return stats_; }

 private:
  struct Pending {
    uint64_t start_ns = 0;
    ChildIds ids;
    uint8_t op = 0;
    std::string query;
    DbTarget target;
  };
  using Key = GoroutineKey;
  model::Span build_span(const Pending& p, const db_end& end, uint32_t pid,
                         const std::string& error_type, const std::string& fixed_message) const;

  Emit emit_;
  DbSpanOptions options_;
  TraceLookup lookup_;
  MonotonicToUnix to_unix_;
  std::mt19937_64 rng_;
  std::unordered_map<Key, Pending, GoroutineKeyHash> pending_;
  Stats stats_;
};

}  // namespace goinstr::agent
