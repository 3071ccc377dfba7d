// SPDX-License-Identifier: Apache-2.0
// The goinstr command line as a user meets it: one-line errors with non-zero exits for bad input,
// and `inspect --json` on a stripped Go 1.26 binary. No root needed.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

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

}  // namespace
}  // namespace goinstr::cli
