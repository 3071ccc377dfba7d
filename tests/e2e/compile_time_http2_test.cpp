// SPDX-License-Identifier: Apache-2.0
// net/http over HTTP/2 in compile-time mode, against the real Jaeger: tests/testapps/h2app built
// by `goinstr go build` and driven by its plain build. HTTPS negotiating h2 and h2c through
// http.Server.Protocols with Go 1.26 (net/http's bundled HTTP/2) and Go 1.27
// (net/http/internal/http2), golang.org/x/net/http2's own server (h2c.NewHandler, and over TLS
// behind http2.ConfigureServer), HTTPS over HTTP/1.1; the status code, route and version as the
// agent's spans have them (http2_checks.hpp), and a call over h2 whose callee continues the trace
// from the traceparent the woven client sent.
#include <fmt/format.h>

#include "tests/e2e/http2_checks.hpp"
#include "tests/e2e/span_tree.hpp"
#include "tests/e2e/woven_app.hpp"

namespace goinstr::e2e {
namespace {

using testing::JaegerClient;

Woven weave_h2app(const std::string& name, const std::map<std::string, std::string>& env) {
  return weave(testing::source_dir() / "tests/testapps/h2app", name, env);
}

const Woven& woven_h2app() {
  static const Woven w = weave_h2app("h2app", {});
  return w;
}

const Woven& woven_h2app_go127() {
  static const Woven w = weave_h2app("h2app-go127", {{"GOTOOLCHAIN", "go1.27.3"}});
  return w;
}

const TestApp& driver() {
  static const TestApp app = build_test_app("h2app", "h2app");
  return app;
}

void check_woven_mode(const Woven& w, const H2Mode& mode) {
  ASSERT_TRUE(w.error.empty()) << w.error;
  ASSERT_TRUE(driver().error.empty()) << driver().error;
  std::string service = unique_service(std::string("ct-h2-") + mode.server);
  auto p = start_woven(w.path, service, {"-mode", mode.server, "-addr", "127.0.0.1:0"});
  ASSERT_TRUE(p) << p.error().message;
  std::string addr = wait_for_listen_address(*p);
  ASSERT_FALSE(addr.empty()) << p->describe();
  RandomParent parent = random_parent();
  drive_h2_traffic(driver(), mode, addr, parent);
  stop_woven(*p);
  auto spans = JaegerClient(kJaegerQuery).wait_for_span_count(service, 6, 30s);
  ASSERT_TRUE(spans) << spans.error().message << "\n" << p->describe();
  expect_h2_server_spans(*spans, mode, parent);
}

TEST(CompileTimeHttp2E2E, HttpsServerNegotiatingH2) {
  require_root_and_collector();
  if (HasFatalFailure()) return;
  check_woven_mode(woven_h2app(), {"tls", "h2", "https", "2"});
}

TEST(CompileTimeHttp2E2E, CleartextH2cThroughServerProtocols) {
  require_root_and_collector();
  if (HasFatalFailure()) return;
  check_woven_mode(woven_h2app(), {"h2c", "h2c", "http", "2"});
}

// golang.org/x/net/http2's own server, woven at (*serverConn).runHandler
// (data/rules/x_net_http2.yaml): h2c.NewHandler, and over TLS behind http2.ConfigureServer, whose
// handler is net/http's serverHandler (one span per request, not two).
TEST(CompileTimeHttp2E2E, CleartextH2cThroughXNetH2c) {
  require_root_and_collector();
  if (HasFatalFailure()) return;
  check_woven_mode(woven_h2app(), {"xh2c", "h2c", "http", "2"});
}

TEST(CompileTimeHttp2E2E, HttpsThroughXNetConfigureServer) {
  require_root_and_collector();
  if (HasFatalFailure()) return;
  check_woven_mode(woven_h2app(), {"xtls", "h2", "https", "2"});
}

TEST(CompileTimeHttp2E2E, HttpsOverHttp1) {
  require_root_and_collector();
  if (HasFatalFailure()) return;
  check_woven_mode(woven_h2app(), {"tls1", "h1tls", "https", "1.1"});
}

TEST(CompileTimeHttp2E2E, Go127HttpsAndH2c) {
  require_root_and_collector();
  if (HasFatalFailure()) return;
  check_woven_mode(woven_h2app_go127(), {"tls", "h2", "https", "2"});
  check_woven_mode(woven_h2app_go127(), {"h2c", "h2c", "http", "2"});
}

// A (HTTPS) calls B (HTTPS) over h2 and over HTTP/1.1: B's spans continue A's client spans.
TEST(CompileTimeHttp2E2E, OutgoingRequestsOverHttp2CarryTheTrace) {
  require_root_and_collector();
  if (HasFatalFailure()) return;
  ASSERT_TRUE(woven_h2app().error.empty()) << woven_h2app().error;
  std::string service = unique_service("ct-h2-calls");
  auto a = start_woven(woven_h2app().path, service, {"-mode", "tls", "-addr", "127.0.0.1:0"});
  auto b = start_woven(woven_h2app().path, service, {"-mode", "tls", "-addr", "127.0.0.1:0"});
  ASSERT_TRUE(a && b);
  std::string a_addr = wait_for_listen_address(*a), b_addr = wait_for_listen_address(*b);
  ASSERT_FALSE(a_addr.empty() || b_addr.empty());
  std::string paths = fmt::format(
      "/call?proto=h2&url=https://{0}/hello/1*2,/call?proto=h1tls&url=https://{0}/fail", b_addr);
  drive(driver(), {"-drive", "https://" + a_addr, "-proto", "h2", "-paths", paths});
  stop_woven(*a);
  stop_woven(*b);
  auto spans = JaegerClient(kJaegerQuery).wait_for_span_count(service, 9, 30s);
  ASSERT_TRUE(spans) << spans.error().message << "\n" << a->describe();
  EXPECT_EQ(spans->size(), 9u);
  Tree tree(*spans);
  auto calls = tree.named("GET /call");
  ASSERT_EQ(calls.size(), 3u);
  std::map<std::string, int> versions;
  for (const auto& call : calls) {
    auto clients = tree.children_of(call);
    ASSERT_EQ(clients.size(), 1u) << call.dump();
    const auto& client = clients[0];
    EXPECT_EQ(tag(client, "span.kind"), "client");
    ++versions[tag(client, "network.protocol.version")];
    auto callee = tree.children_of(client);
    ASSERT_EQ(callee.size(), 1u) << client.dump();
    EXPECT_EQ(tag(callee[0], "network.protocol.version"), tag(client, "network.protocol.version"));
    EXPECT_EQ(tag(client, "http.response.status_code"),
              tag(callee[0], "http.response.status_code"));
  }
  EXPECT_EQ(versions["2"], 2);
  EXPECT_EQ(versions["1.1"], 1);
}

}  // namespace
}  // namespace goinstr::e2e
