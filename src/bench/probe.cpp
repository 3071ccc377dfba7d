// SPDX-License-Identifier: Apache-2.0
#include "bench/probe.hpp"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <thread>

namespace goinstr::bench {
namespace {

using Clock = std::chrono::steady_clock;

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

Result<uint16_t> parse_port(std::string_view text) {
  uint16_t port = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (ec != std::errc{} || end != text.data() + text.size() || port == 0)
    return fail(fmt::format("bad port '{}'", text));
  return port;
}

void apply_sslmode(Dsn& dsn, std::string_view mode) {
  dsn.tls = mode != "disable" && mode != "allow" && mode != "prefer";
}

Result<Dsn> url_dsn(std::string_view text) {
  Dsn dsn;
  std::string_view rest = text.substr(text.find("://") + 3);
  size_t query_at = rest.find('?');
  std::string_view query = query_at == std::string_view::npos ? "" : rest.substr(query_at + 1);
  rest = rest.substr(0, query_at);
  size_t slash = rest.find('/');
  if (slash != std::string_view::npos) dsn.database = rest.substr(slash + 1);
  rest = rest.substr(0, slash);
  if (size_t at = rest.rfind('@'); at != std::string_view::npos) {
    dsn.user = rest.substr(0, std::min(at, rest.find(':')));
    rest = rest.substr(at + 1);
  }
  std::string_view host = rest;
  if (rest.starts_with("[")) {  // [::1]:5432
    size_t close = rest.find(']');
    host = rest.substr(1, close - 1);
    rest = close == std::string_view::npos ? "" : rest.substr(close + 1);
    if (rest.starts_with(":")) {
      ASSIGN_OR_RETURN(dsn.address.port, parse_port(rest.substr(1)));
    }
  } else if (size_t colon = rest.rfind(':'); colon != std::string_view::npos) {
    host = rest.substr(0, colon);
    ASSIGN_OR_RETURN(dsn.address.port, parse_port(rest.substr(colon + 1)));
  }
  if (!host.empty()) dsn.address.host = host;
  for (size_t i = 0; i < query.size();) {
    size_t amp = std::min(query.find('&', i), query.size());
    std::string_view pair = query.substr(i, amp - i);
    if (pair.starts_with("sslmode=")) apply_sslmode(dsn, pair.substr(8));
    i = amp + 1;
  }
  return dsn;
}

Result<Dsn> keyword_dsn(std::string_view text) {
  Dsn dsn;
  for (size_t i = 0; i < text.size();) {
    size_t space = std::min(text.find(' ', i), text.size());
    std::string_view pair = text.substr(i, space - i);
    i = space + 1;
    size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view key = pair.substr(0, eq);
    std::string_view value = pair.substr(eq + 1);
    if (key == "host") dsn.address.host = value;
    if (key == "user") dsn.user = value;
    if (key == "dbname") dsn.database = value;
    if (key == "sslmode") apply_sslmode(dsn, value);
    if (key == "port") {
      ASSIGN_OR_RETURN(dsn.address.port, parse_port(value));
    }
  }
  return dsn;
}

// One nonblocking connect bounded by `timeout`; the connected socket on success.
Result<int> connect_to(const HostPort& address, std::chrono::milliseconds timeout) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  std::string where = fmt::format("{}:{}", address.host, address.port);
  if (int rc =
          getaddrinfo(address.host.c_str(), std::to_string(address.port).c_str(), &hints, &found);
      rc != 0)
    return fail(fmt::format("resolve {}: {}", address.host, gai_strerror(rc)));
  int fd = socket(found->ai_family, found->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int rc = fd < 0 ? -1 : connect(fd, found->ai_addr, found->ai_addrlen);
  freeaddrinfo(found);
  if (fd < 0) return fail_errno("socket");
  int err = rc == 0 ? 0 : errno;
  if (err == EINPROGRESS) {
    pollfd p{fd, POLLOUT, 0};
    if (poll(&p, 1, static_cast<int>(timeout.count())) <= 0) {
      err = ETIMEDOUT;
    } else {
      socklen_t len = sizeof err;
      getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
    }
  }
  if (err != 0) {
    close(fd);
    return fail_errno("connect " + where, err);
  }
  return fd;
}

// One GET with Connection: close; the status of whatever answered.
Result<int> http_get_status(const HostPort& address, std::string_view path,
                            std::chrono::milliseconds timeout) {
  ASSIGN_OR_RETURN(int raw, connect_to(address, timeout));
  Fd fd(raw);
  std::string request = fmt::format(
      "GET {} HTTP/1.1\r\nHost: {}:{}\r\nUser-Agent: goinstr-bench\r\nConnection: close\r\n\r\n",
      path, address.host, address.port);
  if (send(fd.get(), request.data(), request.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(request.size()))
    return fail_errno("send");
  std::string answer;
  auto deadline = Clock::now() + timeout;
  char buf[512];
  while (answer.find("\r\n") == std::string::npos && Clock::now() < deadline) {
    pollfd p{fd.get(), POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    ssize_t n = recv(fd.get(), buf, sizeof buf, 0);
    if (n <= 0) break;
    answer.append(buf, static_cast<size_t>(n));
  }
  int status = 0;
  if (answer.starts_with("HTTP/1.") && answer.size() >= 12)
    std::from_chars(answer.data() + 9, answer.data() + 12, status);
  if (status == 0) return fail("no HTTP response");
  return status;
}

// Reads exactly `n` bytes before the deadline.
Result<std::string> recv_exact(int fd, size_t n, Clock::time_point deadline) {
  std::string data;
  char buf[4096];
  while (data.size() < n) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    pollfd p{fd, POLLIN, 0};
    if (left.count() <= 0 || poll(&p, 1, static_cast<int>(left.count())) <= 0)
      return fail("no answer in time");
    ssize_t got = recv(fd, buf, std::min(sizeof buf, n - data.size()), 0);
    if (got <= 0) return fail("the server closed the connection");
    data.append(buf, static_cast<size_t>(got));
  }
  return data;
}

uint32_t big_endian_u32(std::string_view bytes) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i)
    v = v << 8 | static_cast<unsigned char>(bytes[static_cast<size_t>(i)]);
  return v;
}

void append_u32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>(v >> shift & 0xff);
}

struct BackendMessage {
  char type = 0;
  std::string payload;
};

Result<BackendMessage> read_message(int fd, Clock::time_point deadline) {
  ASSIGN_OR_RETURN(std::string head, recv_exact(fd, 5, deadline));
  uint32_t length = big_endian_u32(std::string_view(head).substr(1));
  if (length < 4 || length > (1u << 20)) return fail("not a Postgres server");
  ASSIGN_OR_RETURN(std::string payload, recv_exact(fd, length - 4, deadline));
  return BackendMessage{head[0], std::move(payload)};
}

// ErrorResponse fields are (code byte, C string) pairs: "FATAL: the message".
std::string error_text(std::string_view payload) {
  std::string severity, message;
  while (!payload.empty() && payload.front() != '\0') {
    char code = payload.front();
    size_t end = payload.find('\0', 1);
    std::string_view value = payload.substr(1, end == std::string_view::npos ? end : end - 1);
    if (code == 'S') severity = value;
    if (code == 'M') message = value;
    payload = end == std::string_view::npos ? std::string_view{} : payload.substr(end + 1);
  }
  return severity.empty() ? message : severity + ": " + message;
}

std::string startup_message(const Dsn& dsn) {
  std::string body;
  append_u32(body, 3u << 16);  // protocol 3.0
  for (const auto& [key, value] : {std::pair{"user", dsn.user}, {"database", dsn.database}}) {
    body += key;
    body += '\0';
    body += value;
    body += '\0';
  }
  body += '\0';
  std::string message;
  append_u32(message, static_cast<uint32_t>(body.size() + 4));
  return message + body;
}

constexpr uint32_t kAuthenticationOk = 0;

}  // namespace

Result<Dsn> parse_dsn(std::string_view text) {
  ASSIGN_OR_RETURN(Dsn dsn,
                   text.find("://") != std::string_view::npos ? url_dsn(text) : keyword_dsn(text));
  if (dsn.database.empty()) dsn.database = dsn.user;
  return dsn;
}

Result<> postgres_check(const Dsn& dsn, std::chrono::milliseconds timeout) {
  ASSIGN_OR_RETURN(int raw, connect_to(dsn.address, timeout));
  Fd fd(raw);
  if (dsn.tls) return {};
  auto deadline = Clock::now() + timeout;
  std::string startup = startup_message(dsn);
  if (send(fd.get(), startup.data(), startup.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(startup.size()))
    return fail_errno("send");
  // After AuthenticationOk the server still checks the database; ReadyForQuery ends it.
  for (;;) {
    ASSIGN_OR_RETURN(BackendMessage m, read_message(fd.get(), deadline));
    if (m.type == 'E') return fail(error_text(m.payload));
    if (m.type == 'Z') break;
    if (m.type == 'R' && m.payload.size() >= 4 && big_endian_u32(m.payload) != kAuthenticationOk)
      break;  // asks for a password: a working server
  }
  std::string terminate = "X";
  append_u32(terminate, 4);
  send(fd.get(), terminate.data(), terminate.size(), MSG_NOSIGNAL);
  return {};
}

Result<int> wait_for_http(const HostPort& address, std::string_view path,
                          std::chrono::milliseconds timeout,
                          const std::function<bool()>& still_worth_trying) {
  auto deadline = Clock::now() + timeout;
  for (;;) {
    auto status = http_get_status(address, path, std::chrono::seconds(2));
    if (status || Clock::now() >= deadline || !still_worth_trying()) return status;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace goinstr::bench
