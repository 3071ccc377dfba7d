// SPDX-License-Identifier: Apache-2.0
// One event loop on one thread: edge-triggered epoll over non-blocking keep-alive sockets, each
// carrying one request at a time. Worker i of N owns closed-model VUs i, i+N, ... and open-model
// arrivals i, i+N, ...; workers share nothing but read-only setup and relaxed counters.
#pragma once

#include <sys/socket.h>

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <queue>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "load/histogram.hpp"
#include "load/http_parser.hpp"
#include "load/plan.hpp"
#include "load/results.hpp"

namespace goinstr::load {

// Fixed before any worker starts; read-only afterwards except `stop`.
struct RunSetup {
  Plan plan;
  std::string request;  // the bytes every request sends
  bool head = false;    // HEAD responses have no body
  sockaddr_storage addr{};
  socklen_t addr_len = 0;
  unsigned threads = 1;
  uint64_t start_ns = 0;  // CLOCK_MONOTONIC
  uint64_t end_ns = 0;    // no request starts at or after this
  std::atomic<bool> stop{false};
};

// Written by one worker after each batch of events, read by the progress reporter.
struct alignas(64) LiveCounters {
  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> responses{0};
  std::atomic<uint64_t> errors{0};
  std::atomic<uint64_t> timeouts{0};
  std::atomic<uint64_t> dropped{0};
  std::atomic<uint32_t> vus{0};
};

struct SecondRecord {
  uint32_t second = 0;
  uint64_t end_ns = 0;
  SecondStats stats;
};

struct WorkerOutput {
  Counts counts;
  std::map<int, uint64_t> status_codes;
  std::map<std::string, std::string> first_errors;
  Histogram latency;
  std::vector<SecondRecord> seconds;
  uint32_t peak_vus = 0;
  uint64_t finished_ns = 0;
  double cpu_seconds = 0;
};

class Worker {
 public:
  Worker(const RunSetup& setup, unsigned index, LiveCounters& live);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  Result<void> init();
  // Runs until every request of this worker's share has finished. `on_second`, if set, is called
  // after each one-second boundary (worker 0 reports progress from it).
  void run(const std::function<void()>& on_second);
  WorkerOutput take() { return std::move(out_); }

 private:
  enum class State : uint8_t { kNone, kConnecting, kSending, kReceiving, kIdle };
  enum class ErrorKind : uint8_t { kConnect, kReset, kClosed, kProtocol };

  struct Conn {
    int fd = -1;
    uint32_t gen = 0;  // tells a stale epoll event from one for the current socket
    State state = State::kNone;
    bool busy = false;     // a request is outstanding
    bool retried = false;  // this request was already resent once
    uint32_t served = 0;   // responses on the current socket
    size_t sent = 0;
    uint64_t origin = 0;  // latency origin: when the VU began, or the arrival's scheduled time
    uint64_t seq = 0;     // request number on this slot; matches timeouts to requests
    int32_t idle_pos = -1;
    ResponseParser parser;
  };

  struct Deadline {
    uint64_t at;
    uint32_t conn;
    uint64_t seq;
    bool operator>(const Deadline& o) const { return at > o.at; }
  };

  bool open_model() const { return open_ != nullptr; }
  uint64_t now() const;
  void poll_events(uint64_t now);

  // Model: what to start, and what a slot does once its request ended.
  void update_vus(uint64_t now);
  void issue_arrivals(uint64_t now);
  void dispatch(uint64_t scheduled);
  void after_request(uint32_t id, uint64_t now);
  void run_deferred(uint64_t now);
  bool finished(uint64_t now) const;
  uint64_t next_wake(uint64_t now) const;

  // Requests and sockets.
  void start(uint32_t id, uint64_t origin);
  bool open_socket(Conn& c);
  void close_socket(Conn& c);
  void send_some(uint32_t id);
  void on_event(uint64_t tag, uint32_t events);
  void on_readable(uint32_t id);
  void on_eof(uint32_t id);
  void on_socket_error(uint32_t id, int err);
  bool can_retry(const Conn& c) const;
  void retry(uint32_t id);
  void complete(uint32_t id, bool leftover);
  void fail(uint32_t id, ErrorKind kind, const std::string& why);
  void end_request(uint32_t id, bool keep_socket);
  void expire(uint64_t now);
  void cancel();

  // Open-model connection pools.
  void push_idle(uint32_t id);
  void remove_idle(uint32_t id);

  void flush_second(uint64_t now);
  void publish();

  const RunSetup& setup_;
  const OpenModel* open_ = nullptr;
  const ClosedModel* closed_ = nullptr;
  unsigned index_;
  LiveCounters& live_;
  int epfd_ = -1;
  uint64_t timeout_ns_;
  std::vector<Conn> conns_;
  std::vector<char> rbuf_;
  std::priority_queue<Deadline, std::vector<Deadline>, std::greater<>> deadlines_;
  std::vector<uint32_t> deferred_;  // slots whose request failed; restarted from the loop
  uint32_t gen_ = 0;
  uint32_t inflight_ = 0;
  uint32_t sockets_ = 0;

  // Closed model: VUs [0, active_) of this worker run.
  uint32_t active_ = 0;
  // Open model.
  uint64_t next_arrival_ = 0;  // global arrival number of this worker's next arrival
  uint64_t next_arrival_ns_ = 0;
  bool arrivals_done_ = false;
  std::vector<uint32_t> idle_;  // connected, no request
  std::vector<uint32_t> free_;  // no socket
  std::deque<uint64_t> queue_;  // scheduled times waiting for a connection
  uint32_t max_queue_ = 0;

  uint64_t next_second_ns_ = 0;
  uint32_t second_ = 0;
  SecondStats window_;
  Histogram window_latency_;
  WorkerOutput out_;
};

// This worker's share when `total` is split over `n` workers round-robin.
uint32_t share_of(uint64_t total, unsigned n, unsigned index);

}  // namespace goinstr::load
