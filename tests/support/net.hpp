// SPDX-License-Identifier: Apache-2.0
// Network helpers for e2e tests: readiness by port, free ports for parallel runs, and a small
// libcurl wrapper so tests can drive the demo service and Jaeger's query API.
#pragma once

#include <chrono>
#include <map>
#include <string>

#include "src/common/result.hpp"

namespace goinstr::testing {

// True once a TCP connect to host:port succeeds; polls until the deadline.
bool wait_for_tcp_port(const std::string& host, int port, std::chrono::milliseconds timeout);

// A port that was free on 127.0.0.1 a moment ago (the kernel picks it), or -1. Racy by nature:
// prefer letting a server bind port 0 and report its address when it can.
int free_tcp_port();

using HttpHeaders = std::map<std::string, std::string>;

struct HttpResponse {
  long status = 0;
  std::string body;
  HttpHeaders headers;  // response headers, names lower-cased; the last value wins
};

// Transport failures (refused, timeout) are errors; any HTTP status, 5xx included, is a value.
Result<HttpResponse> http_get(const std::string& url, const HttpHeaders& headers = {},
                              std::chrono::milliseconds timeout = std::chrono::seconds(10));
Result<HttpResponse> http_post(const std::string& url, const std::string& body,
                               const std::string& content_type = "application/json",
                               const HttpHeaders& headers = {},
                               std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace goinstr::testing
