// SPDX-License-Identifier: Apache-2.0
// Child spans end to end, as root, against the real Postgres and Jaeger that scripts/test.sh
// starts: database spans under the request that ran them (also from a goroutine the handler
// started, and never from a long-lived worker once its request ended), errors, transactions, one
// trace across two services, and RED metrics scraped from the Prometheus endpoint.
#include <fmt/format.h>

#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "tests/e2e/e2e_env.hpp"
#include "tests/e2e/span_tree.hpp"
#include "tests/support/paths.hpp"

namespace goinstr::e2e {
namespace {

using testing::JaegerClient;
using testing::parent_span_id;
using testing::span_tag_string;

// tests/testapps/dbapp, built once per test process.
const std::string& dbapp_binary() {
  static std::string path = [] {
    fs::path out = fs::temp_directory_path() / ("goinstr-e2e-dbapp-" + std::to_string(getpid()));
    auto built = testing::build_go(fs::path(GOINSTR_SOURCE_DIR) / "tests/testapps/dbapp", out);
    return built ? out.string() : "build failed: " + built.error().message;
  }();
  return path;
}

// Root, Jaeger and Postgres: CI provides all three, so a missing one fails rather than skips.
void require_services() {
  require_root_and_jaeger();
  if (::testing::Test::HasFatalFailure() || ::testing::Test::IsSkipped()) return;
  ASSERT_TRUE(testing::wait_for_tcp_port("127.0.0.1", 55432, 10s))
      << "Postgres is not up on 127.0.0.1:55432 (scripts/services.sh start-postgres)";
  ASSERT_TRUE(fs::exists(dbapp_binary())) << dbapp_binary();
}

fs::path write_config(const std::string& text) {
  fs::path file = fs::temp_directory_path() / ("goinstr-e2e-" + std::to_string(getpid()) + "-" +
                                               unique_service("cfg") + ".yaml");
  std::ofstream(file) << text;
  return file;
}

void stop(testing::Subprocess& goinstr) {
  ASSERT_TRUE(goinstr.send_signal(SIGTERM));
  auto code = goinstr.wait(30s);
  ASSERT_TRUE(code.has_value()) << goinstr.describe();
}

TEST(ChildSpansE2E, DatabaseSpansUnderTheirRequests) {
  require_services();
  if (HasFatalFailure() || IsSkipped()) return;
  std::string service = unique_service("e2e-db");
  fs::path config =
      write_config("instrumentation:\n  database:\n    enabled: true\n    capture_queries: true\n");
  auto goinstr =
      testing::Subprocess::spawn({goinstr_path(), "run", "--config", config.string(), "--endpoint",
                                  kOtlpHttp, "--service-name", service, "--", dbapp_binary(),
                                  "-addr", "127.0.0.1:0", "-db", postgres_dsn()});
  ASSERT_TRUE(goinstr) << goinstr.error().message;
  std::string url = wait_for_demo_url(*goinstr);
  ASSERT_FALSE(url.empty()) << goinstr->describe();

  constexpr int kInserts = 12, kFailures = 2, kHandoffs = 3;
  for (int i = 0; i < kInserts; ++i)
    EXPECT_EQ(testing::http_post(url + "/insert", "")->status, 200);
  for (int i = 0; i < kFailures; ++i) EXPECT_EQ(testing::http_get(url + "/fail")->status, 500);
  for (int i = 0; i < kHandoffs; ++i) EXPECT_EQ(testing::http_get(url + "/handoff")->status, 200);
  EXPECT_EQ(testing::http_get(url + "/worker")->status, 200);  // starts the worker
  EXPECT_EQ(testing::http_get(url + "/worker")->status, 200);  // worker outlives request 1
  EXPECT_EQ(testing::http_get(url + "/tx")->status, 200);
  stop(*goinstr);

  // Server spans: 12 + 2 + 3 + 2 + 1 = 20. Database: 12 + 2 + 3 + 2 + 3 (tx) + CREATE = 23.
  JaegerClient jaeger(kJaegerQuery);
  auto spans = jaeger.wait_for_span_count(service, 43, 30s);
  ASSERT_TRUE(spans) << spans.error().message << "\n" << goinstr->describe();
  Tree tree(*spans);

  auto inserts = tree.named("POST /insert");
  ASSERT_EQ(inserts.size(), static_cast<size_t>(kInserts));
  for (const auto& server : inserts) {
    auto kids = tree.children_of(server);
    ASSERT_EQ(kids.size(), 1u) << "exactly one database child per insert: " << server.dump();
    EXPECT_EQ(kids[0]["operationName"], "INSERT e2e_items");
    expect_postgres_span(kids[0], "INSERT", "e2e_items");
    // The literal is replaced: captured queries never carry values.
    EXPECT_EQ(span_tag_string(kids[0], "db.query.text"), "INSERT INTO e2e_items (name) VALUES (?)");
  }
  for (const auto& server : tree.named("GET /fail")) {
    auto kids = tree.children_of(server);
    ASSERT_EQ(kids.size(), 1u);
    expect_postgres_span(kids[0], "SELECT", "e2e_missing_table");
    EXPECT_EQ(span_tag_string(kids[0], "otel.status_code"), "ERROR") << kids[0].dump();
    EXPECT_NE(
        span_tag_string(kids[0], "otel.status_description").value_or("").find("does not exist"),
        std::string::npos)
        << kids[0].dump();
    EXPECT_EQ(span_tag_string(kids[0], "error.type"), "*github.com/lib/pq.Error");
  }
  for (const auto& server : tree.named("GET /handoff")) {
    auto kids = tree.children_of(server);
    ASSERT_EQ(kids.size(), 1u) << "the goroutine's query belongs to the request: " << server.dump();
    expect_postgres_span(kids[0], "SELECT", "e2e_items");
  }
  auto workers = tree.named("GET /worker");
  ASSERT_EQ(workers.size(), 2u);
  size_t worker_children =
      tree.children_of(workers[0]).size() + tree.children_of(workers[1]).size();
  EXPECT_EQ(worker_children, 1u) << "only the request that started the worker may parent its work";
  size_t orphan_updates = 0;
  for (const auto& s : tree.named("UPDATE e2e_items"))
    if (!parent_span_id(s)) ++orphan_updates;
  EXPECT_EQ(orphan_updates, 1u);
  auto tx = tree.named("GET /tx");
  ASSERT_EQ(tx.size(), 1u);
  std::multiset<std::string> tx_ops;
  for (const auto& k : tree.children_of(tx[0]))
    tx_ops.insert(k["operationName"].get<std::string>());
  EXPECT_EQ(tx_ops, (std::multiset<std::string>{"BEGIN", "COMMIT", "INSERT e2e_items"}));
  // Spans: nothing lost. (Jaeger takes no OTLP metrics, so "metrics lost" may appear.)
  EXPECT_EQ(goinstr->read_stderr().find("warning: lost:"), std::string::npos)
      << goinstr->read_stderr();
}

TEST(ChildSpansE2E, OneTraceAcrossTwoServices) {
  require_services();
  if (HasFatalFailure() || IsSkipped()) return;
  std::string service = unique_service("e2e-ab");
  fs::path config = write_config("instrumentation:\n  http:\n    trace_headers: true\n");
  // One goinstr traces every process of the executable: both services.
  auto goinstr = testing::Subprocess::spawn({goinstr_path(), "attach", "--exe", dbapp_binary(),
                                             "--config", config.string(), "--endpoint", kOtlpHttp,
                                             "--service-name", service});
  ASSERT_TRUE(goinstr) << goinstr.error().message;
  ASSERT_TRUE(goinstr->wait_for_output("Ctrl-C to stop", 30s, /*stderr=*/true))
      << goinstr->describe();
  auto a =
      testing::Subprocess::spawn({dbapp_binary(), "-addr", "127.0.0.1:0", "-db", postgres_dsn()});
  auto b =
      testing::Subprocess::spawn({dbapp_binary(), "-addr", "127.0.0.1:0", "-db", postgres_dsn()});
  ASSERT_TRUE(a && b);
  std::string url_a = wait_for_demo_url(*a), url_b = wait_for_demo_url(*b);
  ASSERT_FALSE(url_a.empty() || url_b.empty());
  auto r = testing::http_get(url_a + "/call?url=" + url_b + "/handoff");
  ASSERT_TRUE(r && r->status == 200) << (r ? r->body : r.error().message);
  stop(*goinstr);
  a->terminate();
  b->terminate();

  // A: GET /call -> GET (client) ; B: GET /handoff -> SELECT; plus two CREATE at start-up.
  JaegerClient jaeger(kJaegerQuery);
  auto spans = jaeger.wait_for_span_count(service, 6, 30s);
  ASSERT_TRUE(spans) << spans.error().message << "\n" << goinstr->describe();
  Tree tree(*spans);
  auto call = tree.named("GET /call");
  ASSERT_EQ(call.size(), 1u);
  auto client = tree.children_of(call[0]);
  ASSERT_EQ(client.size(), 1u);
  EXPECT_EQ(span_tag_string(client[0], "span.kind"), "client");
  EXPECT_EQ(span_tag_string(client[0], "url.full"), url_b + "/handoff");
  EXPECT_EQ(span_tag_string(client[0], "http.response.status_code"), "200");
  auto callee = tree.children_of(client[0]);
  ASSERT_EQ(callee.size(), 1u) << "B's server span is a child of A's client span";
  EXPECT_EQ(callee[0]["operationName"], "GET /handoff");
  auto db = tree.children_of(callee[0]);
  ASSERT_EQ(db.size(), 1u);
  expect_postgres_span(db[0], "SELECT", "e2e_items");
  EXPECT_EQ(call[0]["traceID"], db[0]["traceID"])
      << "server -> client -> server -> database: one trace";

  // trace_headers: where the kernel forbids writing into processes, goinstr says so once.
  std::string err = goinstr->read_stderr();
  std::ifstream lockdown("/sys/kernel/security/lockdown");
  std::string mode((std::istreambuf_iterator<char>(lockdown)), {});
  if (!mode.empty() && mode.find("[none]") == std::string::npos) {
    size_t first = err.find("forbids BPF writes");
    EXPECT_NE(first, std::string::npos) << err;
    EXPECT_EQ(err.find("trace_headers is on", first + 1), std::string::npos)
        << "said once: " << err;
  }
}

TEST(ChildSpansE2E, PrometheusCountsEqualRequests) {
  require_services();
  if (HasFatalFailure() || IsSkipped()) return;
  int port = testing::free_tcp_port();
  std::string address = fmt::format("127.0.0.1:{}", port);
  auto goinstr = testing::Subprocess::spawn(
      {goinstr_path(), "run", "--prometheus", address, "--service-name", unique_service("e2e-prom"),
       "--", dbapp_binary(), "-addr", "127.0.0.1:0", "-db", postgres_dsn()});
  ASSERT_TRUE(goinstr) << goinstr.error().message;
  std::string url = wait_for_demo_url(*goinstr);
  ASSERT_FALSE(url.empty()) << goinstr->describe();
  constexpr int kRequests = 25;
  for (int i = 0; i < kRequests; ++i)
    EXPECT_EQ(testing::http_post(url + "/insert", "")->status, 200);

  auto count_of = [](const std::string& text, const std::string& metric, const std::string& label) {
    for (size_t at = text.find(metric + "_count{"); at != std::string::npos;
         at = text.find(metric + "_count{", at + 1)) {
      size_t eol = text.find('\n', at);
      std::string line = text.substr(at, eol - at);
      if (line.find(label) != std::string::npos) return std::stol(line.substr(line.rfind(' ') + 1));
    }
    return 0L;
  };
  // Spans become measurements as the agent drains the kernel (every 20 ms): poll the scrape.
  long server = 0, db = 0;
  std::string text;
  for (auto deadline = std::chrono::steady_clock::now() + 20s;
       std::chrono::steady_clock::now() < deadline;) {
    auto scrape = testing::http_get("http://" + address + "/metrics");
    ASSERT_TRUE(scrape && scrape->status == 200);
    text = scrape->body;
    server = count_of(text, "http_server_request_duration_seconds", "http_route=\"/insert\"");
    db = count_of(text, "db_client_operation_duration_seconds", "db_operation_name=\"INSERT\"");
    if (server >= kRequests && db >= kRequests) break;
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(server, kRequests) << text;
  EXPECT_EQ(db, kRequests) << text;
  stop(*goinstr);
}

}  // namespace
}  // namespace goinstr::e2e
