// SPDX-License-Identifier: Apache-2.0
// A small epoll HTTP/1.1 server for the load generator's tests. It counts every request it
// parsed, so a test can compare the generator's counts with what a server really saw. It listens
// before start() returns, so tests never wait for readiness.
//   GET /status/NNN  answers NNN
//   GET /slow        never answers (timeouts)
//   GET /garbage     sends 3 bytes more than its Content-Length (bad framing)
//   anything else    200 "hello\n" (bodies of POSTs are read and counted)
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

namespace goinstr::load::testing {

struct TestServerOptions {
  int chunked_every = 0;  // every Nth response uses chunked encoding (0: never)
  int close_every = 0;    // every Nth response says Connection: close, then the server closes
  // Every Nth response is followed by a close without saying so: the next request on that
  // socket finds it dead (what a server's idle timeout does to a keep-alive client).
  int silent_close_every = 0;
};

class TestServer {
 public:
  explicit TestServer(TestServerOptions options = {});
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  uint16_t port() const { return port_; }
  std::string url(const std::string& path = "/") const;
  uint64_t requests() const { return requests_.load(); }
  uint64_t connections() const { return connections_.load(); }
  uint64_t body_bytes() const { return body_bytes_.load(); }
  std::string last_request_head() const;

 private:
  struct Impl;
  void loop();
  bool serve(int fd, std::string& in);
  std::string response(const std::string& target, uint64_t nth, bool close) const;

  TestServerOptions options_;
  int listen_fd_ = -1;
  int epfd_ = -1;
  int stop_fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<uint64_t> requests_{0};
  std::atomic<uint64_t> connections_{0};
  std::atomic<uint64_t> body_bytes_{0};
  std::unique_ptr<Impl> impl_;
  std::thread thread_;
};

}  // namespace goinstr::load::testing
