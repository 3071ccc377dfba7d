// SPDX-License-Identifier: Apache-2.0
// A minimal HTTP server for Prometheus to scrape: GET /metrics renders the current exposition.
// cpp-httplib stays out of this header (it pulls in OpenSSL and 2,000 lines of declarations).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace goinstr::metrics {

struct ListenAddress {
  std::string host;  // "0.0.0.0" for ":port"
  int port = 0;      // 0: any free port (tests)
};
// "host:port", "[v6]:port" or ":port" (every IPv4 interface, like Go's net.Listen).
Result<ListenAddress> parse_listen_address(std::string_view address);

class PrometheusServer {
 public:
  // Binds before returning, so a busy port or a bad host is the caller's error, not a log line.
  static Result<std::unique_ptr<PrometheusServer>> start(std::string_view address,
                                                         std::function<std::string()> render);
  ~PrometheusServer();  // stop()
  PrometheusServer(const PrometheusServer&) = delete;
  PrometheusServer& operator=(const PrometheusServer&) = delete;

  void stop();  // idempotent
  int port() const { return port_; }
  const std::string& host() const { return host_; }
  uint64_t scrapes() const;

 private:
  struct Impl;
  explicit PrometheusServer(std::unique_ptr<Impl> impl, std::string host, int port);

  std::unique_ptr<Impl> impl_;
  std::string host_;
  int port_;
};

}  // namespace goinstr::metrics
