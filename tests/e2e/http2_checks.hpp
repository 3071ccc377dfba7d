// SPDX-License-Identifier: Apache-2.0
// The HTTP/2 server checks the agent's tests (http2_test.cpp) and the compile-time tests
// (compile_time_http2_test.cpp) share: tests/testapps/h2app serving one mode, driven with
// 3 x /hello/{id} (one with a traceparent), 2 x /fail and one /teapot.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/e2e/test_apps.hpp"

namespace goinstr::e2e {

struct H2Mode {
  const char* server;  // h2app -mode
  const char* client;  // h2app -drive -proto
  const char* scheme;
  const char* version;  // network.protocol.version the spans must carry
};

// Drives the service at `addr` in `mode` with that traffic; the traceparent's parent is `parent`.
inline void drive_h2_traffic(const TestApp& app, const H2Mode& mode, const std::string& addr,
                             const RandomParent& parent) {
  std::string base = std::string(mode.scheme) + "://" + addr;
  drive(app, {"-drive", base, "-proto", mode.client, "-paths", "/hello/1*2,/fail*2,/teapot"});
  drive(app, {"-drive", base, "-proto", mode.client, "-paths", "/hello/7", "-traceparent",
              parent.traceparent()});
}

// The 6 server spans of that traffic.
inline void expect_h2_server_spans(const std::vector<nlohmann::json>& spans, const H2Mode& mode,
                                   const RandomParent& parent) {
  EXPECT_EQ(spans.size(), 6u);
  std::map<std::string, int> names;
  for (const auto& s : spans) {
    std::string name = s["operationName"];
    ++names[name];
    std::string status = tag(s, "http.response.status_code");
    EXPECT_EQ(tag(s, "span.kind"), "server") << s.dump();
    EXPECT_EQ(tag(s, "network.protocol.version"), mode.version) << s.dump();
    EXPECT_EQ(tag(s, "http.request.method"), "GET");
    EXPECT_EQ(tag(s, "server.address"), "127.0.0.1");
    EXPECT_EQ(tag(s, "client.address"), "127.0.0.1");
    EXPECT_EQ(is_error(s), status == "500") << "only 5xx is a server error: " << s.dump();
    if (name == "GET /hello/{id}") {
      EXPECT_EQ(status, "200");
      EXPECT_EQ(tag(s, "http.route"), "/hello/{id}");
      bool continued = s["traceID"] == parent.trace_id;
      EXPECT_EQ(continued, tag(s, "url.path") == "/hello/7") << s.dump();
      if (continued) {
        EXPECT_EQ(testing::parent_span_id(s), parent.span_id);
      }
    } else if (name == "GET /fail") {
      EXPECT_EQ(status, "500");
      EXPECT_EQ(tag(s, "error.type"), "500");
    } else {
      EXPECT_EQ(name, "GET /teapot");
      EXPECT_EQ(status, "418");
    }
  }
  EXPECT_EQ(names["GET /hello/{id}"], 3);
  EXPECT_EQ(names["GET /fail"], 2);
  EXPECT_EQ(names["GET /teapot"], 1);
}

}  // namespace goinstr::e2e
