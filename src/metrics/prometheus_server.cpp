// SPDX-License-Identifier: Apache-2.0
#include "metrics/prometheus_server.hpp"

#include <fmt/format.h>
#include <httplib.h>
#include <netdb.h>
#include <sys/socket.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <thread>

#include "metrics/prometheus_text.hpp"

namespace goinstr::metrics {
namespace {

// Scrapes are rare (every 15-60 s); two workers let a second client in while Prometheus holds
// a keep-alive connection, without httplib's default of one thread per core.
constexpr size_t kWorkers = 2;

Result<int> parse_port(std::string_view address, std::string_view text) {
  int port = -1;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || port < 0 ||
      port > 65535)
    return fail(fmt::format("'{}': bad port '{}' (expected 1-65535)", address, text));
  return port;
}

// httplib's default also sets SO_REUSEPORT, which lets a second goinstr bind the same port and
// silently split the scrapes with the first; SO_REUSEADDR alone still allows quick restarts.
void socket_options(int fd) {
  int yes = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
}

// httplib only says that binding failed. Resolving first gives a name lookup failure its own
// message, so errno after a failed bind is bind()'s.
Result<> check_resolvable(const ListenAddress& where, std::string_view address) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  if (int rc = getaddrinfo(where.host.c_str(), nullptr, &hints, &found); rc != 0)
    return fail(fmt::format("cannot listen on {}: {}", address, gai_strerror(rc)));
  freeaddrinfo(found);
  return {};
}

}  // namespace

Result<ListenAddress> parse_listen_address(std::string_view address) {
  auto colon = address.rfind(':');
  if (colon == std::string_view::npos)
    return fail(fmt::format("'{}': expected host:port or :port", address));
  ListenAddress out;
  std::string_view host = address.substr(0, colon);
  if (host.starts_with('[') && host.ends_with(']')) {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return fail(fmt::format("'{}': IPv6 addresses need brackets ([::1]:9464)", address));
  }
  for (char c : host)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_' &&
        c != ':')
      return fail(fmt::format("'{}': invalid character '{}' in host", address, c));
  out.host = host.empty() ? "0.0.0.0" : std::string(host);
  ASSIGN_OR_RETURN(out.port, parse_port(address, address.substr(colon + 1)));
  return out;
}

struct PrometheusServer::Impl {
  httplib::Server server;
  std::thread thread;
  std::atomic<uint64_t> scrapes{0};
  std::atomic<bool> listen_ended{false};
};

PrometheusServer::PrometheusServer(std::unique_ptr<Impl> impl, std::string host, int port)
    : impl_(std::move(impl)), host_(std::move(host)), port_(port) {}

Result<std::unique_ptr<PrometheusServer>> PrometheusServer::start(
    std::string_view address, std::function<std::string()> render) {
  ASSIGN_OR_RETURN(auto where, parse_listen_address(address));
  TRY(check_resolvable(where, address));
  auto impl = std::make_unique<Impl>();
  auto& server = impl->server;
  server.new_task_queue = [] { return new httplib::ThreadPool(kWorkers); };
  server.set_socket_options(socket_options);
  // stop() waits for idle keep-alive connections to time out; Prometheus scrapes every 15 s or
  // more, so a longer keep-alive would only delay goinstr's exit.
  server.set_keep_alive_timeout(1);
  auto* scrapes = &impl->scrapes;
  server.Get("/metrics", [render = std::move(render), scrapes](const httplib::Request&,
                                                               httplib::Response& response) {
    response.set_content(render(), kPrometheusContentType);
    scrapes->fetch_add(1, std::memory_order_relaxed);
  });
  errno = 0;
  int port = where.port == 0 ? server.bind_to_any_port(where.host)
                             : (server.bind_to_port(where.host, where.port) ? where.port : -1);
  if (port <= 0) {
    const int err = errno;  // still bind()'s or listen()'s: httplib only closes the socket after
    return fail(
        fmt::format("cannot listen on {}: {}", address, err ? std::strerror(err) : "bind failed"));
  }
  auto* ended = &impl->listen_ended;
  impl->thread = std::thread([&server, ended] {
    server.listen_after_bind();
    ended->store(true);
  });
  // httplib's stop() is a no-op until the listen loop runs, and a stop() that came too early
  // would leave join() waiting forever: so wait until it runs (or has already given up).
  while (!server.is_running() && !ended->load()) std::this_thread::yield();
  return std::unique_ptr<PrometheusServer>(new PrometheusServer(std::move(impl), where.host, port));
}

PrometheusServer::~PrometheusServer() {
  stop();
}

void PrometheusServer::stop() {
  if (!impl_->thread.joinable()) return;
  impl_->server.stop();
  impl_->thread.join();
}

uint64_t PrometheusServer::scrapes() const {
  return impl_->scrapes.load(std::memory_order_relaxed);
}

}  // namespace goinstr::metrics
