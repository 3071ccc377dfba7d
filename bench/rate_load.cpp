// SPDX-License-Identifier: Apache-2.0
// rate_load: a fixed-rate (open model) HTTP/1.1 GET load generator.
//
// Request i is due at start + i/rate whether or not earlier ones have finished; due requests go
// out on whichever of the K keep-alive connections is idle, and wait in a queue otherwise. Latency
// is measured from the due time, so queueing behind a slow server counts (no coordinated
// omission). One thread, one epoll loop. Every scheduled request ends in exactly one bucket:
//   scheduled = ok + errors + timeouts + unsent
// ok: 2xx response. errors: non-2xx, connection failure or unparsable response. timeouts: no
// response within --timeout of being sent (the connection is then replaced). unsent: still queued
// when the sending window closed (the server could not keep up).
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <string_view>
#include <vector>

namespace {

int64_t NowNs() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

struct Conn {
  int fd = -1;
  bool busy = false;
  int64_t due_ns = 0;   // when the in-flight request was scheduled
  int64_t sent_ns = 0;  // when it was written
  std::string in;
};

struct Options {
  double rate = 1000;
  double duration_s = 10;
  int connections = 8;
  double timeout_s = 2;
  std::string host, port = "80", path = "/";
};

[[noreturn]] void Usage(const char* msg) {
  std::fprintf(stderr,
               "rate_load: %s\nusage: rate_load [--rate R/s] [--duration S] [--connections K] "
               "[--timeout S] http://HOST:PORT/PATH\n",
               msg);
  std::exit(2);
}

Options ParseArgs(int argc, char** argv) {
  Options o;
  std::string url;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    auto value = [&]() -> double {
      if (i + 1 >= argc) Usage("missing value");
      char* end = nullptr;
      double v = std::strtod(argv[++i], &end);
      if (*end != '\0' || !(v > 0)) Usage("expected a positive number");
      return v;
    };
    if (a == "--rate")
      o.rate = value();
    else if (a == "--duration")
      o.duration_s = value();
    else if (a == "--connections")
      o.connections = static_cast<int>(value());
    else if (a == "--timeout")
      o.timeout_s = value();
    else if (a.starts_with("http://") && url.empty())
      url = a.substr(7);
    else
      Usage("unknown argument (only http:// URLs are supported)");
  }
  if (url.empty()) Usage("no URL");
  size_t slash = url.find('/');
  std::string hostport = url.substr(0, slash);
  if (slash != std::string::npos) o.path = url.substr(slash);
  size_t colon = hostport.rfind(':');
  o.host = hostport.substr(0, colon);
  if (colon != std::string::npos) o.port = hostport.substr(colon + 1);
  if (o.host.empty() || o.connections < 1) Usage("bad URL or --connections");
  return o;
}

// Parses one complete response at the front of `in`. Returns its length, 0 if more bytes are
// needed, -1 if malformed. Sets *status and *close (Connection: close).
int64_t ParseResponse(const std::string& in, int* status, bool* close) {
  size_t hdr_end = in.find("\r\n\r\n");
  if (hdr_end == std::string::npos) return in.size() > 65536 ? -1 : 0;
  if (in.compare(0, 7, "HTTP/1.") != 0 || hdr_end < 12) return -1;
  *status = std::atoi(in.c_str() + 9);
  std::string head = in.substr(0, hdr_end + 2);
  for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  *close = head.find("\r\nconnection: close\r\n") != std::string::npos;
  size_t body = hdr_end + 4;
  if (size_t p = head.find("\r\ncontent-length:"); p != std::string::npos) {
    size_t need = body + std::strtoull(head.c_str() + p + 17, nullptr, 10);
    return in.size() >= need ? static_cast<int64_t>(need) : 0;
  }
  if (head.find("\r\ntransfer-encoding: chunked\r\n") == std::string::npos) {
    return *status == 204 || *status == 304 ? static_cast<int64_t>(body) : -1;
  }
  for (size_t pos = body;;) {  // chunked: size CRLF data CRLF ... 0 CRLF CRLF (no trailers)
    size_t eol = in.find("\r\n", pos);
    if (eol == std::string::npos) return 0;
    size_t n = std::strtoull(in.c_str() + pos, nullptr, 16);
    if (n == 0) return in.size() >= eol + 4 ? static_cast<int64_t>(eol + 4) : 0;
    pos = eol + 2 + n + 2;
    if (pos > in.size()) return 0;
  }
}

class Load {
 public:
  explicit Load(Options o) : o_(std::move(o)) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    if (int rc = getaddrinfo(o_.host.c_str(), o_.port.c_str(), &hints, &ai_); rc != 0) {
      std::fprintf(stderr, "rate_load: %s: %s\n", o_.host.c_str(), gai_strerror(rc));
      std::exit(1);
    }
    request_ = "GET " + o_.path + " HTTP/1.1\r\nHost: " + o_.host + ":" + o_.port +
               "\r\nUser-Agent: rate_load\r\n\r\n";
    ep_ = epoll_create1(EPOLL_CLOEXEC);
    conns_.resize(o_.connections);
    for (size_t i = 0; i < conns_.size(); ++i) Connect(i);
  }

  void Run() {
    const int64_t period = static_cast<int64_t>(1e9 / o_.rate);
    const int64_t timeout = static_cast<int64_t>(o_.timeout_s * 1e9);
    scheduled_ = static_cast<uint64_t>(o_.rate * o_.duration_s);
    start_ = NowNs();
    const int64_t window_end = start_ + static_cast<int64_t>(o_.duration_s * 1e9);
    uint64_t due = 0, next = 0;  // requests [next, due) are due but not yet sent
    epoll_event evs[64];
    for (;;) {
      int64_t now = NowNs();
      due = std::min<uint64_t>(scheduled_, static_cast<uint64_t>((now - start_) / period) + 1);
      if (now >= window_end) {
        unsent_ += due - next;  // the sending window is over: what is still queued never went out
        next = due = scheduled_;
      }
      int64_t wake = due < scheduled_ ? start_ + static_cast<int64_t>(due) * period : INT64_MAX;
      bool in_flight = false;
      for (size_t i = 0; i < conns_.size(); ++i) {
        Conn& c = conns_[i];
        if (c.busy && now - c.sent_ns >= timeout) {
          ++timeouts_;
          Reconnect(i);
        }
        if (!c.busy && next < due) Send(i, start_ + static_cast<int64_t>(next++) * period, now);
        if (c.busy) wake = std::min(wake, c.sent_ns + timeout), in_flight = true;
      }
      if (next == scheduled_ && !in_flight) break;
      timespec ts{};
      int64_t wait = std::max<int64_t>(0, wake - NowNs());
      ts.tv_sec = wait / 1'000'000'000;
      ts.tv_nsec = wait % 1'000'000'000;
      int n = epoll_pwait2(ep_, evs, 64, &ts, nullptr);
      for (int k = 0; k < n; ++k) OnReadable(evs[k].data.u64);
    }
    end_ = NowNs();
  }

  void Report() {
    std::sort(lat_.begin(), lat_.end());
    auto pct = [&](double p) {
      if (lat_.empty()) return 0.0;
      size_t idx = std::min(lat_.size() - 1, static_cast<size_t>(p * lat_.size()));
      return lat_[idx] / 1e3;
    };
    double secs = o_.duration_s;
    std::printf(
        "{\"rate\": %.1f, \"duration_s\": %.3f, \"connections\": %d, \"scheduled\": %" PRIu64
        ", \"sent\": %" PRIu64 ", \"ok\": %" PRIu64 ", \"errors\": %" PRIu64
        ", \"timeouts\": %" PRIu64 ", \"unsent\": %" PRIu64
        ", "
        "\"achieved_rate\": %.1f, \"wall_s\": %.3f, \"latency_us\": {\"p50\": %.1f, "
        "\"p90\": %.1f, \"p99\": %.1f, \"p999\": %.1f, \"max\": %.1f}}\n",
        o_.rate, secs, o_.connections, scheduled_, sent_, ok_, errors_, timeouts_, unsent_,
        ok_ / secs, (end_ - start_) / 1e9, pct(0.5), pct(0.9), pct(0.99), pct(0.999), pct(1.0));
  }

 private:
  void Connect(size_t i) {
    Conn& c = conns_[i];
    c = Conn{};
    c.fd = socket(ai_->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (c.fd < 0 || connect(c.fd, ai_->ai_addr, ai_->ai_addrlen) != 0) {
      std::perror("rate_load: connect");
      std::exit(1);
    }
    int one = 1;
    setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    epoll_event ev{.events = EPOLLIN, .data = {.u64 = i}};
    epoll_ctl(ep_, EPOLL_CTL_ADD, c.fd, &ev);
  }

  void Reconnect(size_t i) {
    close(conns_[i].fd);  // also removes it from the epoll set
    Connect(i);
  }

  void Send(size_t i, int64_t due_ns, int64_t now) {
    Conn& c = conns_[i];
    ++sent_;
    c.busy = true;
    c.due_ns = due_ns;
    c.sent_ns = now;
    ssize_t w = send(c.fd, request_.data(), request_.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (w != static_cast<ssize_t>(request_.size())) Fail(i);  // a small write to an idle socket
  }

  void Fail(size_t i) {
    ++errors_;
    Reconnect(i);
  }

  void OnReadable(size_t i) {
    Conn& c = conns_[i];
    char buf[16384];
    ssize_t n = recv(c.fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
    if (!c.busy) return Reconnect(i);  // an idle keep-alive connection closed by the server
    if (n <= 0) return Fail(i);        // EOF or reset with a request in flight
    c.in.append(buf, static_cast<size_t>(n));
    int status = 0;
    bool close_after = false;
    int64_t len = ParseResponse(c.in, &status, &close_after);
    if (len == 0) return;
    if (len < 0) return Fail(i);
    lat_.push_back(NowNs() - c.due_ns);
    ++(status >= 200 && status < 300 ? ok_ : errors_);
    c.in.erase(0, static_cast<size_t>(len));
    c.busy = false;
    if (close_after || !c.in.empty()) Reconnect(i);
  }

  Options o_;
  addrinfo* ai_ = nullptr;
  std::string request_;
  int ep_ = -1;
  std::vector<Conn> conns_;
  std::vector<int64_t> lat_;
  int64_t start_ = 0, end_ = 0;
  uint64_t scheduled_ = 0, sent_ = 0, ok_ = 0, errors_ = 0, timeouts_ = 0, unsent_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  Load load(ParseArgs(argc, argv));
  load.Run();
  load.Report();
  return 0;
}
