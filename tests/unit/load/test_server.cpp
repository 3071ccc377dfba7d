// SPDX-License-Identifier: Apache-2.0
#include "test_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string_view>

namespace goinstr::load::testing {

struct TestServer::Impl {
  std::map<int, std::string> inbox;  // fd -> bytes not yet parsed
  uint64_t responses = 0;
  mutable std::mutex mu;
  std::string last_head;
};

namespace {

// Blocking-enough write for small responses on a non-blocking socket.
bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n > 0) {
      data.remove_prefix(static_cast<size_t>(n));
    } else if (n < 0 && errno == EAGAIN) {
      pollfd p{fd, POLLOUT, 0};
      poll(&p, 1, 1000);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      return false;
    }
  }
  return true;
}

size_t content_length(std::string_view head) {
  for (std::string_view key : {"\r\nContent-Length:", "\r\ncontent-length:"}) {
    size_t at = head.find(key);
    if (at != std::string_view::npos) {
      return std::strtoul(std::string(head.substr(at + key.size(), 20)).c_str(), nullptr, 10);
    }
  }
  return 0;
}

}  // namespace

TestServer::TestServer(TestServerOptions options)
    : options_(options), impl_(std::make_unique<Impl>()) {
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (listen_fd_ < 0 || bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
      listen(listen_fd_, 4096) != 0 ||
      getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    throw std::runtime_error("test server: cannot listen");
  }
  port_ = ntohs(addr.sin_port);
  epfd_ = epoll_create1(EPOLL_CLOEXEC);
  stop_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  for (int fd : {listen_fd_, stop_fd_}) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = fd;
    epoll_ctl(epfd_, EPOLL_CTL_ADD, fd, &ev);
  }
  thread_ = std::thread([this] { loop(); });
}

TestServer::~TestServer() {
  uint64_t one = 1;
  if (write(stop_fd_, &one, sizeof one) < 0) std::perror("test server stop");
  thread_.join();
  for (auto& [fd, _] : impl_->inbox) close(fd);
  close(listen_fd_);
  close(stop_fd_);
  close(epfd_);
}

std::string TestServer::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

std::string TestServer::last_request_head() const {
  std::lock_guard lock(impl_->mu);
  return impl_->last_head;
}

void TestServer::loop() {
  epoll_event events[64];
  for (;;) {
    int n = epoll_wait(epfd_, events, 64, -1);
    for (int i = 0; i < n; ++i) {
      int fd = events[i].data.fd;
      if (fd == stop_fd_) return;
      if (fd == listen_fd_) {
        int c;
        while ((c = accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
          ++connections_;
          impl_->inbox[c];
          epoll_event ev{};
          ev.events = EPOLLIN;
          ev.data.fd = c;
          epoll_ctl(epfd_, EPOLL_CTL_ADD, c, &ev);
        }
        continue;
      }
      char buf[16384];
      ssize_t got = recv(fd, buf, sizeof buf, 0);
      if (got < 0 && errno == EAGAIN) continue;
      bool open = got > 0;
      if (open) {
        std::string& in = impl_->inbox[fd];
        in.append(buf, static_cast<size_t>(got));
        open = serve(fd, in);
      }
      if (!open) {
        impl_->inbox.erase(fd);
        close(fd);
      }
    }
  }
}

// Answers every complete request in `in`; false when the connection is to be closed.
bool TestServer::serve(int fd, std::string& in) {
  for (;;) {
    size_t end = in.find("\r\n\r\n");
    if (end == std::string::npos) return true;
    std::string head = in.substr(0, end + 4);
    size_t body = content_length(head);
    if (in.size() < end + 4 + body) return true;
    in.erase(0, end + 4 + body);
    ++requests_;
    body_bytes_ += body;
    {
      std::lock_guard lock(impl_->mu);
      impl_->last_head = head;
    }
    uint64_t nth = ++impl_->responses;
    size_t sp = head.find(' ');
    std::string target = head.substr(sp + 1, head.find(' ', sp + 1) - sp - 1);
    if (target == "/slow") continue;
    bool close_after = options_.close_every && nth % options_.close_every == 0;
    bool silent = options_.silent_close_every && nth % options_.silent_close_every == 0;
    if (!write_all(fd, response(target, nth, close_after))) return false;
    if (close_after || silent) return false;
  }
}

std::string TestServer::response(const std::string& target, uint64_t nth, bool close) const {
  int code = 200;
  if (target.starts_with("/status/")) code = std::atoi(target.c_str() + 8);
  std::string r = "HTTP/1.1 " + std::to_string(code) + " Whatever\r\n";
  if (close) r += "Connection: close\r\n";
  if (target == "/garbage") return r + "Content-Length: 6\r\n\r\nhello\nXYZ";
  if (options_.chunked_every && nth % options_.chunked_every == 0) {
    return r + "Transfer-Encoding: chunked\r\n\r\n3\r\nhel\r\n3;ext=1\r\nlo\n\r\n0\r\n\r\n";
  }
  return r + "Content-Length: 6\r\n\r\nhello\n";
}

}  // namespace goinstr::load::testing
