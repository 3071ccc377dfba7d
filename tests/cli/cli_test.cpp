// SPDX-License-Identifier: Apache-2.0
// The goinstr command line as a user meets it: one-line errors with non-zero exits for bad input,
// `inspect --json` on a stripped Go 1.26 binary, and inspect's probe families on a program with
// database/sql and an HTTP client and on one without. No root needed.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "tests/support/paths.hpp"
#include "tests/support/process.hpp"

namespace goinstr::cli {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

struct Outcome {
  int code;
  std::string out, err;
};

Outcome goinstr(const std::vector<std::string>& args, std::map<std::string, std::string> env = {}) {
  std::vector<std::string> argv{(testing::binary_dir() / "goinstr").string()};
  argv.insert(argv.end(), args.begin(), args.end());
  auto p = testing::Subprocess::spawn(argv, std::move(env));
  if (!p) return {-1, "", p.error().message};
  auto code = p->wait(60s);
  return {code.value_or(-999), p->read_stdout(), p->read_stderr()};
}

size_t lines(const std::string& s) {
  return static_cast<size_t>(std::count(s.begin(), s.end(), '\n'));
}

const fs::path& stripped_httpserver() {
  static fs::path path = [] {
    fs::path out = fs::temp_directory_path() / ("goinstr-cli-" + std::to_string(getpid())) / "srv";
    auto built = testing::build_go(testing::source_dir() / "tests/testapps/httpserver", out,
                                   {"-ldflags=-s -w"});
    return built ? out : fs::path();
  }();
  return path;
}

// tests/testapps/dbapp (database/sql with lib/pq, an HTTP client), with symbols and DWARF.
const fs::path& dbapp() {
  static fs::path path = [] {
    fs::path out =
        fs::temp_directory_path() / ("goinstr-cli-" + std::to_string(getpid())) / "dbapp";
    auto built = testing::build_go(testing::source_dir() / "tests/testapps/dbapp", out);
    return built ? out : fs::path();
  }();
  return path;
}

const nlohmann::json& family(const nlohmann::json& report, const std::string& key) {
  for (const auto& f : report["families"])
    if (f["key"] == key) return f;
  static const nlohmann::json none;
  return none;
}

const nlohmann::json& family_cost(const nlohmann::json& report, const std::string& key) {
  for (const auto& c : report["cost_estimate"]["families"])
    if (c["family"] == key) return c;
  static const nlohmann::json none;
  return none;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(Cli, InspectRejectsANonGoFileInOneLine) {
  auto r = goinstr({"inspect", "/bin/ls"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(lines(r.err), 1u) << r.err;
  EXPECT_NE(r.err.find("not a Go binary"), std::string::npos) << r.err;
}

TEST(Cli, InspectRejectsAMissingFileInOneLine) {
  auto r = goinstr({"inspect", "/no/such/file"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(lines(r.err), 1u) << r.err;
  EXPECT_NE(r.err.find("No such file or directory"), std::string::npos) << r.err;
}

TEST(Cli, InspectJsonReadsAStrippedGo126Binary) {
  ASSERT_FALSE(stripped_httpserver().empty()) << "go build failed";
  auto r = goinstr({"inspect", "--json", stripped_httpserver().string()});
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_TRUE(j["stripped"].get<bool>());
  EXPECT_FALSE(j["dwarf"].get<bool>());
  EXPECT_EQ(j["go_version"].get<std::string>().rfind("go1.", 0), 0u);
  ASSERT_EQ(j["hooks"].size(), 2u);
  for (const auto& hook : j["hooks"]) {
    EXPECT_TRUE(hook["found"].get<bool>()) << hook.dump();
    EXPECT_EQ(hook["entry_site"]["class"], "emulated") << hook.dump();
    EXPECT_GT(hook["entry_site"]["func_offset"].get<int>(), 0);
  }
  for (const auto& f : j["fields"]) {
    if (f.value("optional", false)) continue;
    EXPECT_TRUE(f.contains("offset")) << f.dump();
  }
}

TEST(Cli, InspectShowsTheDatabaseAndClientFamiliesOfADbApp) {
  ASSERT_FALSE(dbapp().empty()) << "go build of tests/testapps/dbapp failed";
  auto human = goinstr({"inspect", dbapp().string()});
  ASSERT_EQ(human.code, 0) << human.err;
  for (const char* want :
       {"database/sql: on", "database/sql.(*DB).queryDC", "uprobe__db__query_dc",
        "database/sql.(*Rows).initContextClose", "db.system.name postgresql", "github.com/lib/pq",
        "net/http client: on", "RET sites", "each single-stepped", "goroutine hand-off: on",
        "traceparent injection (only with trace_headers)", "/sys/kernel/security/lockdown",
        "cost estimate (trap cost only", "per operation: 2 hits (2 emulated)",
        "per outgoing request: 3 hits (2 emulated, 1 single-stepped)", "database/sql.Stmt.query"})
    EXPECT_TRUE(contains(human.out, want)) << want << "\n" << human.out;

  auto r = goinstr({"inspect", "--json", dbapp().string()});
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  // The keys inspect had before families stay as they were.
  for (const char* key : {"path", "go_version", "pie", "stripped", "dwarf", "hooks", "fields"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j["hooks"].size(), 2u);

  const auto& db = family(j, "database");
  ASSERT_TRUE(db.is_object()) << j["families"].dump();
  EXPECT_EQ(db["status"], "on") << db.dump();
  EXPECT_EQ(db["name"], "database/sql");
  size_t resolved = 0;
  for (const auto& hook : db["hooks"]) {
    if (hook["status"] != "resolved") {
      EXPECT_TRUE(hook["optional"].get<bool>()) << hook.dump();
      EXPECT_EQ(hook["status"], "absent") << hook.dump();
      continue;
    }
    ++resolved;
    ASSERT_FALSE(hook["sites"].empty()) << hook.dump();
    EXPECT_EQ(hook["sites"][0]["class"], "emulated") << hook.dump();
    EXPECT_GT(hook["sites"][0]["func_offset"].get<int>(), 0) << hook.dump();
  }
  EXPECT_GE(resolved, 3u);  // queryDC, execDC, initContextClose at least

  EXPECT_EQ(j["facts"]["db_system_name"], "postgresql");
  EXPECT_NE(j["facts"]["sql_drivers"].dump().find("github.com/lib/pq"), std::string::npos);
  EXPECT_GT(j["facts"]["error_types"]["known"].get<int>(), 0);
  EXPECT_TRUE(j["facts"]["goroutine_handoff"]["followed"].get<bool>());
  EXPECT_TRUE(j["facts"]["traceparent_injection"]["possible"].get<bool>())
      << j["facts"]["traceparent_injection"].dump();

  const auto& client = family(j, "http_client");
  EXPECT_EQ(client["status"], "on") << client.dump();
  for (const auto& hook : client["hooks"]) {
    if (hook["kind"] != "returns") continue;
    ASSERT_FALSE(hook["sites"].empty());
    for (const auto& site : hook["sites"]) EXPECT_EQ(site["class"], "single-stepped");
  }

  ASSERT_TRUE(j["cost_estimate"].contains("scope"));
  const auto& db_cost = family_cost(j, "database");
  EXPECT_EQ(db_cost["hits"], 2);
  EXPECT_EQ(db_cost["emulated"], 2);
  const auto& client_cost = family_cost(j, "http_client");
  EXPECT_EQ(client_cost["hits"], 3);
  EXPECT_EQ(client_cost["emulated"], 2);
  EXPECT_EQ(client_cost["single_stepped"], 1);
  EXPECT_EQ(family_cost(j, "http_server")["emulated"], 2);
  EXPECT_EQ(family_cost(j, "goroutines")["hits"], 1);
  EXPECT_EQ(j["other_fields"].size(), 15u);
}

TEST(Cli, InspectNotesTheAbsentDatabaseFamilyOfAnHttpServer) {
  ASSERT_FALSE(stripped_httpserver().empty()) << "go build failed";
  auto human = goinstr({"inspect", stripped_httpserver().string()});
  ASSERT_EQ(human.code, 0) << human.err;
  EXPECT_TRUE(contains(human.out,
                       "database/sql: absent\n  note: the program does not use "
                       "database/sql"))
      << human.out;
  EXPECT_FALSE(contains(human.out, "MISSING")) << human.out;
  EXPECT_TRUE(contains(human.out, "db.system.name other_sql")) << human.out;

  auto r = goinstr({"inspect", "--json", stripped_httpserver().string()});
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  const auto& db = family(j, "database");
  EXPECT_EQ(db["status"], "absent") << db.dump();
  EXPECT_TRUE(contains(db["reason"].get<std::string>(), "does not use database/sql"));
  EXPECT_EQ(family(j, "http_server")["status"], "on");
  EXPECT_EQ(family_cost(j, "database")["status"], "absent");
  EXPECT_FALSE(family_cost(j, "database").contains("hits"));
  EXPECT_TRUE(j["facts"]["sql_drivers"].empty());
}

TEST(Cli, BadConfigNamesFileLineAndKey) {
  fs::path cfg = fs::temp_directory_path() / ("goinstr-cli-" + std::to_string(getpid()) + ".yaml");
  std::ofstream(cfg) << "instrumentation:\n  http:\n    enable: true\n";
  auto r = goinstr({"run", "--config", cfg.string(), "--", "/bin/true"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find(cfg.string() + ":3: instrumentation.http.enable: unknown key"),
            std::string::npos)
      << r.err;
  fs::remove(cfg);
}

TEST(Cli, MalformedEndpointIsRejected) {
  auto r = goinstr({"run", "--endpoint", "http://x:99999", "--", "/bin/true"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("bad port"), std::string::npos) << r.err;
}

TEST(Cli, BadEnvironmentVariableIsNamed) {
  auto r = goinstr({"run", "--", "/bin/true"}, {{"OTEL_EXPORTER_OTLP_PROTOCOL", "carrier-pigeon"}});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("OTEL_EXPORTER_OTLP_PROTOCOL"), std::string::npos) << r.err;
}

TEST(Cli, EveryCommandHasHelp) {
  for (const char* cmd : {"run", "attach", "inspect"}) {
    auto r = goinstr({cmd, "--help"});
    EXPECT_EQ(r.code, 0) << cmd;
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << cmd << ": " << r.out;
  }
}

TEST(Cli, AttachNeedsExactlyOneTarget) {
  auto r = goinstr({"attach"});
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("--pid or --exe"), std::string::npos) << r.err;
}

TEST(Cli, BenchReportOnlyRewritesTheReportsFromResultsJson) {
  fs::path dir = fs::temp_directory_path() / ("goinstr-cli-report-" + std::to_string(getpid()));
  fs::create_directories(dir);
  fs::copy_file(testing::source_dir() / "tests/unit/bench/fixtures/results.json",
                dir / "results.json", fs::copy_options::overwrite_existing);
  auto r = goinstr({"bench", "--report-only", "--out", dir.string()});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, (dir / "report.md").string())) << r.out;
  std::ifstream md(dir / "report.md");
  std::string text((std::istreambuf_iterator<char>(md)), std::istreambuf_iterator<char>());
  EXPECT_TRUE(contains(text, "# goinstr bench report")) << text.substr(0, 200);
  EXPECT_TRUE(fs::exists(dir / "report.html"));
  fs::remove_all(dir);
}

TEST(Cli, BenchReportOnlyNeedsAResultsFile) {
  auto none = goinstr({"bench", "--report-only"});
  EXPECT_EQ(none.code, 2);
  EXPECT_TRUE(contains(none.err, "--report-only needs --out")) << none.err;
  auto missing = goinstr({"bench", "--report-only", "--out", "/nonexistent/goinstr-bench"});
  EXPECT_EQ(missing.code, 2);
  EXPECT_TRUE(contains(missing.err, "cannot read /nonexistent/goinstr-bench/results.json"))
      << missing.err;
}

}  // namespace
}  // namespace goinstr::cli
