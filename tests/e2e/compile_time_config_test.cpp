// SPDX-License-Identifier: Apache-2.0
// One configuration in both modes (issue 12 items 3 and 4): a woven demo reads the agent's YAML
// from GOINSTR_CONFIG. capture_queries gives the sanitised db.query.text, export.output the
// agent's OTLP-JSON lines, export.prometheus the agent's histograms (and scrapes are not traced),
// service.name the resource; an invalid file leaves the program running, untraced, and says why.
#include <fmt/format.h>
#include <unistd.h>

#include <fstream>

#include "tests/e2e/e2e_env.hpp"
#include "tests/e2e/go_command.hpp"
#include "tests/e2e/span_tree.hpp"
#include "tests/support/paths.hpp"

namespace goinstr::e2e {
namespace {

using testing::Subprocess;

const std::string& woven_demo_for_config() {
  static std::string path = [] {
    fs::path out = scratch_dir("config-demo") / "demo-woven";
    GoRun r = goinstr_go({"build", "-o", out.string(), "."}, testing::source_dir() / "demo");
    return r.code == 0 ? out.string() : "goinstr go build failed:\n" + r.output;
  }();
  return path;
}

std::string attr(const nlohmann::json& span, const std::string& key) {
  for (const auto& a : span["attributes"])
    if (a["key"] == key) return a["value"].dump();
  return {};
}

TEST(CompileTimeConfig, YamlFileDrivesTheWovenProgram) {
  ASSERT_TRUE(testing::wait_for_tcp_port("127.0.0.1", 55432, 10s)) << "Postgres is not up";
  ASSERT_TRUE(fs::exists(woven_demo_for_config())) << woven_demo_for_config();
  fs::path dir = scratch_dir("config-run");
  fs::path spans_file = dir / "spans.jsonl";
  int prom_port = 20000 + static_cast<int>(getpid() % 20000);
  std::string service = unique_service("ct-config");
  std::ofstream(dir / "goinstr.yaml") << fmt::format(
      "service:\n  name: {}\ninstrumentation:\n  database:\n    capture_queries: true\n"
      "export:\n  output: {}\n  prometheus: 127.0.0.1:{}\n",
      service, spans_file.string(), prom_port);
  auto p = Subprocess::spawn(
      {woven_demo_for_config(), "-addr", "127.0.0.1:0", "-db", postgres_dsn()},
      {{"GOINSTR_CONFIG", (dir / "goinstr.yaml").string()}, {"OTEL_BSP_SCHEDULE_DELAY", "100"}});
  ASSERT_TRUE(p) << p.error().message;
  std::string url = wait_for_demo_url(*p);
  ASSERT_FALSE(url.empty()) << p->describe();
  auto r = testing::http_post(url + "/log", R"({"instrumentation":"config","error_status":false})");
  ASSERT_TRUE(r && r->status == 201) << p->describe();
  std::string prom = fmt::format("http://127.0.0.1:{}/metrics", prom_port);
  auto scrape = testing::http_get(prom);
  ASSERT_TRUE(scrape && scrape->status == 200) << p->describe();
  EXPECT_NE(scrape->body.find("http_server_request_duration_seconds_count{"), std::string::npos)
      << scrape->body;
  EXPECT_NE(scrape->body.find("http_route=\"/log\""), std::string::npos) << scrape->body;
  EXPECT_NE(scrape->body.find("db_client_operation_duration_seconds_count{"), std::string::npos)
      << scrape->body;
  EXPECT_NE(scrape->body.find("job=\"" + service + "\""), std::string::npos) << scrape->body;
  p->terminate();  // the demo handles SIGTERM and returns from main: the woven defer flushes
  p->wait(20s);

  auto spans = read_jsonl_spans(spans_file);
  nlohmann::json insert, log;
  for (const auto& s : spans) {
    if (std::string(s["name"]).starts_with("INSERT")) insert = s;
    if (s["name"] == "POST /log") log = s;
    EXPECT_EQ(attr(s, "url.path").find("/metrics"), std::string::npos) << "a scrape was traced";
  }
  ASSERT_FALSE(insert.is_null() || log.is_null()) << nlohmann::json(spans).dump(1) << p->describe();
  EXPECT_EQ(attr(insert, "db.query.text"),
            "{\"stringValue\":\"INSERT INTO instrumentation_logs (instrumentation, error_status) "
            "VALUES ($1, $2) "
            "RETURNING id\"}");
  std::ifstream in(spans_file);
  std::string first;
  std::getline(in, first);
  EXPECT_NE(first.find("\"stringValue\":\"" + service + "\""), std::string::npos) << first;
  EXPECT_NE(first.find("\"telemetry.sdk.language\",\"value\":{\"stringValue\":\"go\"}"),
            std::string::npos)
      << first;
}

TEST(CompileTimeConfig, InvalidFileLeavesTheProgramRunningUntraced) {
  ASSERT_TRUE(fs::exists(woven_demo_for_config())) << woven_demo_for_config();
  fs::path dir = scratch_dir("config-bad");
  std::ofstream(dir / "goinstr.yaml") << "instrumentation:\n  http:\n    enable: true\n";
  auto p = Subprocess::spawn({woven_demo_for_config(), "-addr", "127.0.0.1:0"},
                             {{"GOINSTR_CONFIG", (dir / "goinstr.yaml").string()}});
  ASSERT_TRUE(p) << p.error().message;
  std::string url = wait_for_demo_url(*p);
  ASSERT_FALSE(url.empty()) << p->describe();
  EXPECT_TRUE(
      p->wait_for_output("instrumentation.http.enable: unknown key (did you mean "
                         "'enabled'?); this program runs without telemetry",
                         5s, /*stderr=*/true))
      << p->describe();
  auto r = testing::http_get(url + "/hello");
  EXPECT_TRUE(r && r->status == 200) << p->describe();
  p->terminate();
}

}  // namespace
}  // namespace goinstr::e2e
