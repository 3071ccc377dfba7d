// SPDX-License-Identifier: Apache-2.0
// The goinstr command line as a user meets it: one-line errors with non-zero exits for bad
// config, environment and arguments, help for every command, and `bench --report-only`.
// `inspect` has its own file (cli_inspect_test.cpp).
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "tests/cli/cli_support.hpp"

namespace goinstr::cli {
namespace {

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
