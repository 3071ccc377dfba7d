// SPDX-License-Identifier: Apache-2.0
// What a load run measured. Every request ends in exactly one bucket, so
//   requests == responses + timeouts + transport_errors() + unfinished
// and, in the open model, scheduled == requests + dropped. `goinstr load --json` writes to_json();
// `goinstr bench` can use the struct directly.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "load/histogram.hpp"
#include "load/plan.hpp"

namespace goinstr::load {

struct Counts {
  uint64_t scheduled = 0;        // open model: arrivals that fell due (requests + dropped)
  uint64_t dropped = 0;          // open model: arrived while the wait queue was full; never sent
  uint64_t requests = 0;         // started: sent, or taken from the wait queue
  uint64_t responses = 0;        // complete HTTP responses, any status
  uint64_t successes = 0;        // responses with status < 400
  uint64_t http_errors = 0;      // responses with status >= 400
  uint64_t timeouts = 0;         // no complete response within --timeout of the latency origin
  uint64_t connect_errors = 0;   // socket/connect failed (refused, unreachable, out of ports)
  uint64_t reset_errors = 0;     // ECONNRESET/EPIPE or another socket error mid-request
  uint64_t closed_errors = 0;    // the server closed before the response was complete
  uint64_t protocol_errors = 0;  // unparseable response, or bytes after it (broken framing)
  uint64_t unfinished = 0;       // still outstanding when the run was cancelled
  uint64_t retries = 0;          // resent once: a reused keep-alive socket closed before any answer
  uint64_t connections = 0;      // sockets opened

  uint64_t transport_errors() const {
    return connect_errors + reset_errors + closed_errors + protocol_errors;
  }
  uint64_t errors() const { return http_errors + transport_errors(); }
  void add(const Counts& o);
};

// One second of the run (the last entry covers whatever remained, see duration_s). Completions
// belong to the second they completed in; starts to the second they started in.
struct SecondStats {
  uint32_t second = 0;
  double duration_s = 1.0;
  uint64_t requests = 0;
  uint64_t responses = 0;
  uint64_t successes = 0;
  uint64_t http_errors = 0;
  uint64_t transport_errors = 0;
  uint64_t timeouts = 0;
  uint64_t dropped = 0;
  uint32_t vus = 0;           // closed model: running VUs at the end; open: busy connections
  uint32_t connections = 0;   // open sockets at the end of the second
  Histogram::Sparse latency;  // completions in this second
  double rps() const { return duration_s > 0 ? static_cast<double>(responses) / duration_s : 0; }
};

struct Results {
  Plan plan;
  std::chrono::system_clock::time_point started_at;
  Nanos planned{0};  // stages' total, or --duration
  Nanos elapsed{0};  // until the last request finished (drain included)
  bool cancelled = false;
  Counts counts;
  std::map<int, uint64_t> status_codes;
  std::map<std::string, std::string> first_errors;  // kind -> first message seen
  Histogram latency;  // every complete response, from its latency origin
  std::vector<SecondStats> seconds;
  // Closed: most VUs running at once; open: most busy connections (per-thread peaks summed).
  uint32_t peak_vus = 0;
  double cpu_seconds = 0;  // user+system time of the generator's threads

  double rps() const;  // responses per second of elapsed time
};

// What the progress callback sees once a second.
struct Progress {
  Nanos elapsed{0};
  Nanos planned{0};
  bool open_model = false;
  uint32_t vus = 0;  // closed: running VUs; open: busy connections
  double target_rate = 0;
  double rps = 0;  // responses in the last second
  uint64_t requests = 0;
  uint64_t responses = 0;
  uint64_t errors = 0;
  uint64_t timeouts = 0;
  uint64_t dropped = 0;
};

nlohmann::json to_json(const Results& r);
// The human summary `goinstr load` prints on stdout.
std::string format_summary(const Results& r);
// "[  12s/64s] vus 100  rps 21034  errors 0  timeouts 0"
std::string format_progress(const Progress& p);

}  // namespace goinstr::load
