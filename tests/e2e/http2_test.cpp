// SPDX-License-Identifier: Apache-2.0
// net/http over HTTP/2 under the runtime agent, as root, against the real Jaeger: HTTPS servers
// that negotiate h2 (net/http's own HTTP/2), cleartext h2c through http.Server.Protocols and
// through golang.org/x/net/http2/h2c, x/net over TLS (http2.ConfigureServer), HTTPS over
// HTTP/1.1 for comparison, Go 1.26 and 1.27 (which moved HTTP/2 into net/http/internal/http2),
// and outgoing requests over HTTP/2 whose callee's server span is linked to the client span.
// Service: tests/testapps/h2app.
#include <fmt/format.h>

#include "tests/e2e/http2_checks.hpp"
#include "tests/e2e/span_tree.hpp"
#include "tests/e2e/test_apps.hpp"

namespace goinstr::e2e {
namespace {

using testing::JaegerClient;

const TestApp& h2app() {
  static const TestApp app = build_test_app("h2app", "h2app");
  return app;
}

const TestApp& h2app_go127() {
  static const TestApp app =
      build_test_app("h2app", "h2app-go127", {}, {{"GOTOOLCHAIN", "go1.27.3"}});
  return app;
}

// Serves `mode` under `goinstr run`, sends 3 x /hello/{id} (one with a traceparent), 2 x /fail and
// one /teapot, and checks the 6 server spans.
void check_server_mode(const TestApp& app, const H2Mode& mode) {
  std::string service = unique_service(std::string("e2e-h2-") + mode.server);
  auto goinstr = run_traced(service, app.path, {"-mode", mode.server, "-addr", "127.0.0.1:0"});
  ASSERT_TRUE(goinstr) << goinstr.error().message;
  std::string addr = wait_for_listen_address(*goinstr);
  ASSERT_FALSE(addr.empty()) << goinstr->describe();
  RandomParent parent = random_parent();
  drive_h2_traffic(app, mode, addr, parent);
  stop_goinstr(*goinstr);

  auto spans = JaegerClient(kJaegerQuery).wait_for_span_count(service, 6, 30s);
  ASSERT_TRUE(spans) << spans.error().message << "\n" << goinstr->describe();
  expect_h2_server_spans(*spans, mode, parent);
  // Every request ended (no "never finished"), none counted twice.
  std::string err = goinstr->read_stderr();
  EXPECT_EQ(err.find("warning: lost:"), std::string::npos) << err;
  EXPECT_NE(err.find("6 spans made: 6 HTTP server (1 continued"), std::string::npos) << err;
}

TEST(Http2E2E, HttpsServerNegotiatingH2) {
  require_root_and_collector();
  if (HasFatalFailure()) return;
  ASSERT_TRUE(h2app().error.empty()) << h2app().error;
  check_server_mode(h2app(), {"tls", "h2", "https", "2"});
}

TEST(Http2E2E, CleartextH2cThroughServerProtocols) {
  require_root_and_collector();
  if (HasFatalFailure()) return;
  ASSERT_TRUE(h2app().error.empty()) << h2app().error;
  check_server_mode(h2app(), {"h2c", "h2c", "http", "2"});
}

TEST(Http2E2E, CleartextH2cThroughXNetH2c) {
  require_root_and_collector();
  if (HasFatalFailure()) return;
  ASSERT_TRUE(h2app().error.empty()) << h2app().error;
  check_server_mode(h2app(), {"xh2c", "h2c", "http", "2"});
}

// x/net's server behind http2.ConfigureServer hands requests to net/http's serverHandler: one
// span each, not two.
TEST(Http2E2E, HttpsThroughXNetConfigureServer) {
  require_root_and_collector();
  if (HasFatalFailure()) return;
  ASSERT_TRUE(h2app().error.empty()) << h2app().error;
  check_server_mode(h2app(), {"xtls", "h2", "https", "2"});
}

TEST(Http2E2E, HttpsOverHttp1) {
  require_root_and_collector();
  if (HasFatalFailure()) return;
  ASSERT_TRUE(h2app().error.empty()) << h2app().error;
  check_server_mode(h2app(), {"tls1", "h1tls", "https", "1.1"});
}

// Go 1.27 serves HTTP/2 from net/http/internal/http2 with its own request type.
TEST(Http2E2E, Go127HttpsAndH2c) {
  require_root_and_collector();
  if (HasFatalFailure()) return;
  ASSERT_TRUE(h2app_go127().error.empty()) << h2app_go127().error;
  check_server_mode(h2app_go127(), {"tls", "h2", "https", "2"});
  check_server_mode(h2app_go127(), {"h2c", "h2c", "http", "2"});
}

// A (HTTPS) calls B (HTTPS) over h2 and over HTTP/1.1, and C (h2c) over h2c; one goinstr traces
// all three: client spans carry the protocol version and each callee's span is their child.
TEST(Http2E2E, OutgoingRequestsOverHttp2AreClientSpansOfOneTrace) {
  require_root_and_collector();
  if (HasFatalFailure()) return;
  const TestApp& app = h2app();
  ASSERT_TRUE(app.error.empty()) << app.error;
  std::string service = unique_service("e2e-h2-calls");
  auto goinstr = testing::Subprocess::spawn({goinstr_path(), "attach", "--exe", app.path.string(),
                                             "--endpoint", kOtlpHttp, "--service-name", service});
  ASSERT_TRUE(goinstr) << goinstr.error().message;
  ASSERT_TRUE(goinstr->wait_for_output("tracing every process", 60s, true)) << goinstr->describe();
  auto start = [&](const char* mode) {
    auto p = testing::Subprocess::spawn({app.path.string(), "-mode", mode, "-addr", "127.0.0.1:0"});
    EXPECT_TRUE(p) << p.error().message;
    return p;
  };
  auto a = start("tls"), b = start("tls"), c = start("h2c");
  ASSERT_TRUE(a && b && c);
  std::string a_addr = wait_for_listen_address(*a), b_addr = wait_for_listen_address(*b),
              c_addr = wait_for_listen_address(*c);
  ASSERT_FALSE(a_addr.empty() || b_addr.empty() || c_addr.empty());
  std::string paths = fmt::format(
      "/call?proto=h2&url=https://{0}/hello/1*2,/call?proto=h1tls&url=https://{0}/fail,"
      "/call?proto=h2c&url=http://{1}/hello/2",
      b_addr, c_addr);
  drive(app, {"-drive", "https://" + a_addr, "-proto", "h2", "-paths", paths});
  a->terminate();
  b->terminate();
  c->terminate();
  stop_goinstr(*goinstr);

  // 4 requests to A, 4 client spans, 4 requests to B and C.
  auto spans = JaegerClient(kJaegerQuery).wait_for_span_count(service, 12, 30s);
  ASSERT_TRUE(spans) << spans.error().message << "\n" << goinstr->describe();
  EXPECT_EQ(spans->size(), 12u);
  Tree tree(*spans);
  auto calls = tree.named("GET /call");
  ASSERT_EQ(calls.size(), 4u);
  std::map<std::string, int> versions;
  for (const auto& call : calls) {
    auto clients = tree.children_of(call);
    ASSERT_EQ(clients.size(), 1u) << call.dump();
    const auto& client = clients[0];
    EXPECT_EQ(tag(client, "span.kind"), "client");
    ++versions[tag(client, "network.protocol.version")];
    auto callee = tree.children_of(client);
    ASSERT_EQ(callee.size(), 1u) << "the callee's server span is the client span's child: "
                                 << client.dump();
    EXPECT_EQ(callee[0]["traceID"], call["traceID"]);
    EXPECT_EQ(tag(callee[0], "network.protocol.version"), tag(client, "network.protocol.version"));
    std::string status = tag(client, "http.response.status_code");
    EXPECT_EQ(status, tag(callee[0], "http.response.status_code"));
    EXPECT_EQ(is_error(client), status == "500");
  }
  EXPECT_EQ(versions["2"], 3) << "two over h2 to B, one over h2c to C";
  EXPECT_EQ(versions["1.1"], 1);
}

}  // namespace
}  // namespace goinstr::e2e
