// SPDX-License-Identifier: Apache-2.0
#include "load/worker.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace goinstr::load {
namespace {

constexpr uint64_t kSecond = 1'000'000'000;
constexpr size_t kReadBuffer = 64 * 1024;
constexpr int kMaxEvents = 256;
// While stages ramp, the VU target is re-read at least this often.
constexpr uint64_t kRampStep = 1'000'000;

uint64_t monotonic_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * kSecond + static_cast<uint64_t>(ts.tv_nsec);
}

double thread_cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_THREAD, &ru);
  auto secs = [](const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
  };
  return secs(ru.ru_utime) + secs(ru.ru_stime);
}

uint64_t tag_of(uint32_t id, uint32_t gen) {
  return (uint64_t{gen} << 32) | id;
}

const char* kind_name(int kind) {
  static const char* const kNames[] = {"connect", "reset", "closed", "protocol"};
  return kNames[kind];
}

}  // namespace

uint32_t share_of(uint64_t total, unsigned n, unsigned index) {
  return static_cast<uint32_t>(total / n + (index < total % n ? 1 : 0));
}

Worker::Worker(const RunSetup& setup, unsigned index, LiveCounters& live)
    : setup_(setup),
      index_(index),
      live_(live),
      timeout_ns_(static_cast<uint64_t>(setup.plan.timeout.count())),
      rbuf_(kReadBuffer) {
  open_ = std::get_if<OpenModel>(&setup.plan.model);
  closed_ = std::get_if<ClosedModel>(&setup.plan.model);
}

Worker::~Worker() {
  for (auto& c : conns_) close_socket(c);
  if (epfd_ >= 0) close(epfd_);
}

Result<void> Worker::init() {
  epfd_ = epoll_create1(EPOLL_CLOEXEC);
  if (epfd_ < 0) return fail_errno("epoll_create1");
  unsigned n = setup_.threads;
  if (open_model()) {
    conns_.resize(std::max<uint32_t>(1, share_of(open_->connections, n, index_)));
    for (uint32_t i = static_cast<uint32_t>(conns_.size()); i-- > 0;) free_.push_back(i);
    max_queue_ = share_of(open_->max_queue, n, index_);
    next_arrival_ = index_;
  } else {
    conns_.resize(share_of(max_vus(closed_->stages), n, index_));
  }
  return {};
}

uint64_t Worker::now() const {
  return monotonic_ns();
}

void Worker::run(const std::function<void()>& on_second) {
  double cpu_start = thread_cpu_seconds();
  // The default 50 us timer slack would delay open-model arrivals that are 50 us apart at 20k/s.
  int old_slack = prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);
  prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);
  next_second_ns_ = setup_.start_ns + kSecond;
  if (open_model()) {
    next_arrival_ns_ = setup_.start_ns + static_cast<uint64_t>(static_cast<double>(next_arrival_) *
                                                               1e9 / open_->rate);
  }
  for (;;) {
    uint64_t t = now();
    if (setup_.stop.load(std::memory_order_relaxed)) {
      cancel();
      break;
    }
    while (t >= next_second_ns_) {
      flush_second(next_second_ns_);
      if (on_second) on_second();
    }
    expire(t);
    run_deferred(t);
    if (open_model()) {
      issue_arrivals(t);
    } else {
      update_vus(t);
    }
    if (finished(t)) break;
    poll_events(t);
    publish();
  }
  out_.finished_ns = now();
  flush_second(out_.finished_ns);
  publish();
  out_.cpu_seconds = thread_cpu_seconds() - cpu_start;
  if (old_slack > 0) prctl(PR_SET_TIMERSLACK, static_cast<unsigned long>(old_slack), 0, 0, 0);
}

// Sleeps until the next timer (nanosecond resolution: epoll_wait's milliseconds would batch
// open-model arrivals) or socket event, and handles the events.
void Worker::poll_events(uint64_t t) {
  epoll_event events[kMaxEvents];
  uint64_t wake = deferred_.empty() ? next_wake(t) : t;
  uint64_t wait = wake > t ? wake - t : 0;
  timespec ts{static_cast<time_t>(wait / kSecond), static_cast<long>(wait % kSecond)};
  int n = epoll_pwait2(epfd_, events, kMaxEvents, &ts, nullptr);
  for (int i = 0; i < n; ++i) on_event(events[i].data.u64, events[i].events);
}

// --- the two models ------------------------------------------------------------------------

// Starts VUs the stage target added; VUs above the target stop after their current request.
void Worker::update_vus(uint64_t t) {
  uint32_t global = t >= setup_.end_ns ? 0 : vus_at(closed_->stages, Nanos(t - setup_.start_ns));
  uint32_t mine = share_of(global, setup_.threads, index_);
  uint32_t old = active_;
  active_ = mine;
  for (uint32_t i = old; i < mine; ++i) {
    if (!conns_[i].busy) start(i, t);
  }
  out_.peak_vus = std::max(out_.peak_vus, active_);
}

// Arrival k of the whole run is due at start + k/rate; this worker takes every threads-th one.
void Worker::issue_arrivals(uint64_t t) {
  while (!arrivals_done_ && next_arrival_ns_ <= t) {
    if (next_arrival_ns_ >= setup_.end_ns) {
      arrivals_done_ = true;
      break;
    }
    ++out_.counts.scheduled;
    dispatch(next_arrival_ns_);
    next_arrival_ += setup_.threads;
    next_arrival_ns_ = setup_.start_ns + static_cast<uint64_t>(static_cast<double>(next_arrival_) *
                                                               1e9 / open_->rate);
  }
  if (next_arrival_ns_ >= setup_.end_ns) arrivals_done_ = true;
}

// An arrival takes an idle connection, else opens one, else waits in the bounded queue. Its
// latency counts from `scheduled` whichever way it goes: no coordinated omission.
void Worker::dispatch(uint64_t scheduled) {
  if (!idle_.empty()) {
    uint32_t id = idle_.back();
    remove_idle(id);
    start(id, scheduled);
  } else if (!free_.empty()) {
    uint32_t id = free_.back();
    free_.pop_back();
    start(id, scheduled);
  } else if (queue_.size() < max_queue_) {
    queue_.push_back(scheduled);
  } else {
    ++out_.counts.dropped;
    ++window_.dropped;
  }
}

// A slot whose request ended: the closed model starts the VU's next request (or parks it); the
// open model serves the wait queue, or pools the connection.
void Worker::after_request(uint32_t id, uint64_t t) {
  Conn& c = conns_[id];
  if (!open_model()) {
    if (id < active_ && t < setup_.end_ns) {
      start(id, t);
    } else {
      close_socket(c);
    }
    return;
  }
  while (!queue_.empty() && queue_.front() + timeout_ns_ <= t) {
    queue_.pop_front();  // waited its whole timeout for a connection
    ++out_.counts.requests, ++window_.requests;
    ++out_.counts.timeouts, ++window_.timeouts;
  }
  if (!queue_.empty()) {
    uint64_t scheduled = queue_.front();
    queue_.pop_front();
    start(id, scheduled);
  } else if (c.fd >= 0) {
    push_idle(id);
  } else {
    free_.push_back(id);
  }
}

// Failed requests restart from the loop, not from inside the failure: a server refusing every
// connect would otherwise recurse without bound.
void Worker::run_deferred(uint64_t t) {
  std::vector<uint32_t> ids;
  ids.swap(deferred_);
  for (uint32_t id : ids) {
    if (!conns_[id].busy) after_request(id, t);
  }
}

bool Worker::finished(uint64_t t) const {
  if (t < setup_.end_ns || inflight_ > 0 || !deferred_.empty()) return false;
  return !open_model() || (arrivals_done_ && queue_.empty());
}

uint64_t Worker::next_wake(uint64_t t) const {
  uint64_t wake = next_second_ns_;
  if (!deadlines_.empty()) wake = std::min(wake, deadlines_.top().at);
  if (open_model()) {
    if (!arrivals_done_) wake = std::min(wake, next_arrival_ns_);
    if (!queue_.empty()) wake = std::min(wake, queue_.front() + timeout_ns_);
  } else if (t < setup_.end_ns) {
    wake = std::min({wake, t + kRampStep, setup_.end_ns});
  }
  return wake;
}

// --- requests and sockets ------------------------------------------------------------------

void Worker::start(uint32_t id, uint64_t origin) {
  Conn& c = conns_[id];
  c.busy = true;
  ++inflight_;
  if (open_model()) out_.peak_vus = std::max(out_.peak_vus, inflight_);
  c.origin = origin;
  ++c.seq;
  c.sent = 0;
  c.retried = false;
  c.parser.begin(setup_.head);
  ++out_.counts.requests;
  ++window_.requests;
  deadlines_.push({origin + timeout_ns_, id, c.seq});
  if (c.fd < 0) {
    if (!open_socket(c)) fail(id, ErrorKind::kConnect, std::strerror(errno));
    return;
  }
  c.state = State::kSending;
  send_some(id);
}

bool Worker::open_socket(Conn& c) {
  c.fd = socket(setup_.addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (c.fd < 0) return false;
  ++sockets_;
  ++out_.counts.connections;
  c.served = 0;
  c.gen = ++gen_;
  int one = 1;
  setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  int rc = connect(c.fd, reinterpret_cast<const sockaddr*>(&setup_.addr), setup_.addr_len);
  // Registered once for everything, edge-triggered: no epoll_ctl per request. Adding it after
  // connect() is safe: EPOLL_CTL_ADD reports a socket that is already writable.
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
  ev.data.u64 = tag_of(static_cast<uint32_t>(&c - conns_.data()), c.gen);
  if ((rc < 0 && errno != EINPROGRESS) || epoll_ctl(epfd_, EPOLL_CTL_ADD, c.fd, &ev) < 0) {
    int err = errno;
    close_socket(c);
    errno = err;
    return false;
  }
  c.state = State::kConnecting;  // even when connect() finished at once: EPOLLOUT says so
  return true;
}

void Worker::close_socket(Conn& c) {
  if (c.fd < 0) return;
  close(c.fd);  // also removes it from the epoll set
  c.fd = -1;
  c.state = State::kNone;
  --sockets_;
}

void Worker::send_some(uint32_t id) {
  Conn& c = conns_[id];
  const std::string& req = setup_.request;
  while (c.sent < req.size()) {
    ssize_t n = send(c.fd, req.data() + c.sent, req.size() - c.sent, MSG_NOSIGNAL);
    if (n > 0) {
      c.sent += static_cast<size_t>(n);
    } else if (errno == EINTR) {
      continue;
    } else if (errno == EAGAIN) {
      return;  // the EPOLLOUT edge resumes it
    } else {
      on_socket_error(id, errno);
      return;
    }
  }
  c.state = State::kReceiving;
}

void Worker::on_event(uint64_t tag, uint32_t events) {
  auto id = static_cast<uint32_t>(tag);
  if (id >= conns_.size()) return;
  Conn& c = conns_[id];
  if (c.fd < 0 || c.gen != static_cast<uint32_t>(tag >> 32)) return;  // stale: socket replaced
  constexpr uint32_t kReadable = EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR;
  switch (c.state) {
    case State::kConnecting: {
      if (!(events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) return;
      int err = 0;
      socklen_t len = sizeof err;
      getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
      if (err != 0) {
        fail(id, ErrorKind::kConnect, std::strerror(err));
        return;
      }
      c.state = State::kSending;
      send_some(id);
      return;
    }
    case State::kSending: {
      uint32_t gen = c.gen;
      if (events & (EPOLLOUT | EPOLLERR)) send_some(id);
      // A server may answer (or close) before reading the whole request. A failed send may
      // have replaced the socket (retry): the event was about the old one then.
      if (c.fd >= 0 && c.busy && c.gen == gen && (events & kReadable)) on_readable(id);
      return;
    }
    case State::kReceiving:
      if (events & kReadable) on_readable(id);
      return;
    case State::kIdle:
      // Nothing is outstanding, so this is the server closing a pooled connection (or sending
      // bytes nobody asked for): drop the socket; the slot opens a new one when next needed.
      if (events & kReadable) {
        remove_idle(id);
        close_socket(c);
        free_.push_back(id);
      }
      return;
    case State::kNone:
      return;
  }
}

// Edge-triggered: read until the response completes or the socket runs dry. A complete response
// ends the loop early; any later bytes raise a new edge, so skipping the EAGAIN read is safe.
void Worker::on_readable(uint32_t id) {
  Conn& c = conns_[id];
  for (;;) {
    ssize_t n = recv(c.fd, rbuf_.data(), rbuf_.size(), 0);
    if (n > 0) {
      size_t used = 0;
      auto s = c.parser.feed({rbuf_.data(), static_cast<size_t>(n)}, used);
      if (s == ResponseParser::Status::kComplete) {
        complete(id, used < static_cast<size_t>(n));
        return;
      }
      if (s == ResponseParser::Status::kError) {
        fail(id, ErrorKind::kProtocol, c.parser.error());
        return;
      }
      continue;
    }
    if (n == 0) {
      on_eof(id);
      return;
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN) on_socket_error(id, errno);
    return;
  }
}

void Worker::on_eof(uint32_t id) {
  Conn& c = conns_[id];
  if (c.parser.finish_on_eof() == ResponseParser::Status::kComplete) {
    complete(id, false);
  } else if (can_retry(c)) {
    retry(id);
  } else {
    fail(id, ErrorKind::kClosed, c.parser.error());
  }
}

void Worker::on_socket_error(uint32_t id, int err) {
  if ((err == ECONNRESET || err == EPIPE) && can_retry(conns_[id])) {
    retry(id);
  } else {
    fail(id, ErrorKind::kReset, std::strerror(err));
  }
}

// A keep-alive socket that served before and dies before a single response byte most likely
// crossed the server's idle close with our send: the server never saw the request. HTTP clients
// resend in that case (RFC 9112 9.3.1); so does this, once, keeping the latency origin.
bool Worker::can_retry(const Conn& c) const {
  return c.served > 0 && !c.parser.started() && !c.retried;
}

void Worker::retry(uint32_t id) {
  Conn& c = conns_[id];
  ++out_.counts.retries;
  close_socket(c);
  c.retried = true;
  c.sent = 0;
  c.parser.begin(setup_.head);
  if (!open_socket(c)) fail(id, ErrorKind::kConnect, std::strerror(errno));
}

void Worker::complete(uint32_t id, bool leftover) {
  Conn& c = conns_[id];
  if (leftover) {
    // One request was outstanding, so bytes after its response mean the framing was wrong.
    fail(id, ErrorKind::kProtocol, "bytes after the response (bad framing)");
    return;
  }
  uint64_t t = now();
  uint64_t latency = t > c.origin ? t - c.origin : 0;
  out_.latency.record(latency);
  window_latency_.record(latency);
  int code = c.parser.status_code();
  ++out_.status_codes[code];
  ++out_.counts.responses, ++window_.responses;
  if (code >= 400) {
    ++out_.counts.http_errors, ++window_.http_errors;
  } else {
    ++out_.counts.successes, ++window_.successes;
  }
  ++c.served;
  // A response that arrived before the whole request was sent leaves the socket unusable.
  bool keep = c.parser.keep_alive() && c.state == State::kReceiving;
  end_request(id, keep);
  after_request(id, t);
}

void Worker::fail(uint32_t id, ErrorKind kind, const std::string& why) {
  Counts& k = out_.counts;
  uint64_t* counters[] = {&k.connect_errors, &k.reset_errors, &k.closed_errors, &k.protocol_errors};
  ++*counters[static_cast<int>(kind)];
  ++window_.transport_errors;
  out_.first_errors.try_emplace(kind_name(static_cast<int>(kind)), why);
  end_request(id, false);
  deferred_.push_back(id);
}

void Worker::end_request(uint32_t id, bool keep_socket) {
  Conn& c = conns_[id];
  c.busy = false;
  --inflight_;
  if (keep_socket) {
    c.state = State::kIdle;
  } else {
    close_socket(c);
  }
}

// Deadlines pop in time order; one whose request already finished (seq moved on) is skipped.
void Worker::expire(uint64_t t) {
  while (!deadlines_.empty() && deadlines_.top().at <= t) {
    Deadline d = deadlines_.top();
    deadlines_.pop();
    Conn& c = conns_[d.conn];
    if (!c.busy || c.seq != d.seq) continue;
    ++out_.counts.timeouts, ++window_.timeouts;
    end_request(d.conn, false);
    deferred_.push_back(d.conn);
  }
  if (open_model()) {
    while (!queue_.empty() && queue_.front() + timeout_ns_ <= t) {
      queue_.pop_front();
      ++out_.counts.requests, ++window_.requests;
      ++out_.counts.timeouts, ++window_.timeouts;
    }
  }
}

// Stop requested: what is outstanding or queued is counted as unfinished, never as an error.
void Worker::cancel() {
  for (auto& c : conns_) {
    if (c.busy) ++out_.counts.unfinished;
    c.busy = false;
    close_socket(c);
  }
  out_.counts.requests += queue_.size();
  window_.requests += queue_.size();
  out_.counts.unfinished += queue_.size();
  queue_.clear();
  inflight_ = 0;
}

void Worker::push_idle(uint32_t id) {
  conns_[id].idle_pos = static_cast<int32_t>(idle_.size());
  idle_.push_back(id);
}

void Worker::remove_idle(uint32_t id) {
  int32_t pos = conns_[id].idle_pos;
  if (pos < 0) return;
  uint32_t last = idle_.back();
  idle_[static_cast<size_t>(pos)] = last;
  conns_[last].idle_pos = pos;
  idle_.pop_back();
  conns_[id].idle_pos = -1;
}

// --- per-second series and live counters ---------------------------------------------------

void Worker::flush_second(uint64_t end_ns) {
  uint64_t begin_ns = next_second_ns_ - kSecond;
  window_.second = second_;
  window_.duration_s = static_cast<double>(std::max(end_ns, begin_ns) - begin_ns) / 1e9;
  window_.vus = open_model() ? inflight_ : active_;
  window_.connections = sockets_;
  window_.latency = window_latency_.sparse();
  out_.seconds.push_back({second_, end_ns, std::move(window_)});
  window_ = SecondStats{};
  window_latency_.reset();
  ++second_;
  next_second_ns_ += kSecond;
}

void Worker::publish() {
  const Counts& k = out_.counts;
  live_.requests.store(k.requests, std::memory_order_relaxed);
  live_.responses.store(k.responses, std::memory_order_relaxed);
  live_.errors.store(k.errors(), std::memory_order_relaxed);
  live_.timeouts.store(k.timeouts, std::memory_order_relaxed);
  live_.dropped.store(k.dropped, std::memory_order_relaxed);
  live_.vus.store(open_model() ? inflight_ : active_, std::memory_order_relaxed);
}

}  // namespace goinstr::load
