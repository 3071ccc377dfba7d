// SPDX-License-Identifier: Apache-2.0
// Version identity of compile-time instrumentation: for each module, `go list -m all` and the go
// line of the plain module against `goinstr go list -m all` and the go line goinstr uses (the
// go.mod copy's and the runtime module's). Every module of the plain list keeps its version and
// replacement; only goinstr.dev/rt and, where the plain graph lacks them, yaml.v3 and check.v1
// may be added. A graph that adding the runtime would lift stops the build before it compiles,
// naming the module and both versions. Nothing here compiles the runtime: `go list -m` does not.
#include <set>
#include <sstream>

#include "tests/e2e/go_command.hpp"
#include "tests/support/paths.hpp"

namespace goinstr::e2e {
namespace {

using Lines = std::set<std::string>;

Lines lines_of(const std::string& text) {
  Lines out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.insert(line);
  return out;
}

std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

// One scratch cache per test process: the first goinstr call in a test is a cold one.
const std::map<std::string, std::string>& go_env() {
  static const std::map<std::string, std::string> env = {
      {"GOINSTR_CACHE", scratch_dir("identity-cache").string()}, {"GOWORK", "off"}};
  return env;
}

fs::path copy_module(const std::string& source, const std::string& name) {
  fs::path dir = scratch_dir("identity-" + name);
  fs::copy(testing::source_dir() / source, dir, fs::copy_options::recursive);
  return dir;
}

// `path version` of the plain list, "" when the module is not in it.
std::string version_in(const Lines& list, const std::string& path) {
  for (const auto& line : list)
    if (line.starts_with(path + " ")) return line.substr(path.size() + 1);
  return {};
}

// The comparison itself; `pinned` are versions the module is meant to select (so that a
// regenerated test module cannot quietly test something else).
// uses_otel: the module imports the OpenTelemetry API itself, so goinstr links its bridge and the
// runtime requires the otel modules at the plain graph's versions; otherwise it must not require
// them even where the graph has them (grpc's does).
void expect_identity(const std::string& source, const std::string& expected_go_line,
                     const std::map<std::string, std::string>& pinned = {},
                     bool uses_otel = false) {
  fs::path dir = copy_module(source, fs::path(source).filename().string());
  auto before = snapshot(dir);
  GoRun plain = run_in({"go", "list", "-m", "all"}, dir, go_env());
  ASSERT_EQ(plain.code, 0) << plain.output;
  GoRun plain_go = run_in({"go", "list", "-m", "-f", "{{.GoVersion}}"}, dir, go_env());
  ASSERT_EQ(plain_go.code, 0) << plain_go.output;
  EXPECT_EQ(first_line(plain_go.out), expected_go_line);
  Lines plain_list = lines_of(plain.out);
  for (const auto& [path, version] : pinned) EXPECT_EQ(version_in(plain_list, path), version);

  GoRun woven = goinstr_go({"list", "-m", "all"}, dir, go_env());
  ASSERT_EQ(woven.code, 0) << woven.output;
  EXPECT_NE(woven.output.find("adding goinstr.dev/rt to a copy of"), std::string::npos)
      << woven.output;
  Lines woven_list = lines_of(woven.out);
  for (const auto& line : plain_list)
    EXPECT_TRUE(woven_list.contains(line)) << "changed by goinstr: " << line << "\n" << woven.out;
  for (const auto& line : woven_list) {
    if (plain_list.contains(line)) continue;
    std::string path = line.substr(0, line.find(' '));
    bool allowed =
        path == "goinstr.dev/rt" || ((path == "gopkg.in/yaml.v3" || path == "gopkg.in/check.v1") &&
                                     version_in(plain_list, path).empty());
    EXPECT_TRUE(allowed) << "added by goinstr: " << line;
  }
  GoRun woven_go = goinstr_go({"list", "-m", "-f", "{{.GoVersion}}"}, dir, go_env());
  ASSERT_EQ(woven_go.code, 0) << woven_go.output;
  EXPECT_EQ(first_line(woven_go.out), expected_go_line) << "the go.mod copy's go line";
  EXPECT_EQ(woven_go.output.find("adding goinstr.dev/rt to a copy"), std::string::npos)
      << "a warm run reuses the checked copy: " << woven_go.output;

  // The runtime module: the user's go line, no toolchain line, the user's versions.
  GoRun rt = goinstr_go({"list", "-m", "-f", "{{.GoVersion}}\n{{.GoMod}}", "goinstr.dev/rt"}, dir,
                        go_env());
  ASSERT_EQ(rt.code, 0) << rt.output;
  EXPECT_EQ(first_line(rt.out), expected_go_line) << "the runtime's go line";
  std::string rt_gomod_path =
      lines_of(rt.out).size() == 2 ? rt.out.substr(rt.out.find('\n') + 1) : std::string();
  rt_gomod_path = first_line(rt_gomod_path);
  std::ifstream in(rt_gomod_path);
  std::string rt_gomod((std::istreambuf_iterator<char>(in)), {});
  ASSERT_NE(rt_gomod.find("module goinstr.dev/rt\n"), std::string::npos) << rt_gomod_path;
  EXPECT_EQ(rt_gomod.find("toolchain"), std::string::npos) << rt_gomod;
  std::string yaml = version_in(plain_list, "gopkg.in/yaml.v3");
  if (!yaml.empty()) {
    EXPECT_NE(rt_gomod.find("\tgopkg.in/yaml.v3 " + yaml + "\n"), std::string::npos) << rt_gomod;
  }
  if (!uses_otel) {
    EXPECT_EQ(rt_gomod.find("go.opentelemetry.io"), std::string::npos)
        << "the bridge is for programs that use the API\n"
        << rt_gomod;
  } else {
    for (const char* path : {"go.opentelemetry.io/otel", "go.opentelemetry.io/otel/trace"}) {
      std::string v = version_in(plain_list, path);
      EXPECT_FALSE(v.empty()) << path;
      EXPECT_NE(rt_gomod.find(std::string("\t") + path + " " + v + "\n"), std::string::npos)
          << rt_gomod;
    }
  }
  EXPECT_EQ(snapshot(dir), before) << "the module's files are unchanged";
}

TEST(CompileTimeIdentityE2E, Demo) {
  expect_identity("demo", "1.26.0", {}, /*uses_otel=*/true);
}

TEST(CompileTimeIdentityE2E, OtelApp) {
  expect_identity("tests/testapps/otelapp", "1.26.0", {{"go.opentelemetry.io/otel", "v1.47.0"}},
                  /*uses_otel=*/true);
}

// A plain net/http service at go 1.22 (the old runtime lifted its go line to 1.26.0) and one at
// go 1.19 (loop-variable semantics of before 1.22).
TEST(CompileTimeIdentityE2E, PlainServices) {
  expect_identity("tests/testapps/ctapp", "1.22");
  expect_identity("tests/testapps/httpserver", "1.19");
}

// The other modules the suite builds (for the runtime agent): a database/sql app, gRPC and
// HTTP/2 services (grpc, x/net, protobuf in their graphs).
TEST(CompileTimeIdentityE2E, RuntimeAgentTestApps) {
  expect_identity("tests/testapps/dbapp", "1.22");
  expect_identity("tests/testapps/grpcapp", "1.26.0");
  expect_identity("tests/testapps/grpcexamples", "1.26.0");
  expect_identity("tests/testapps/h2app", "1.26.0");
}

TEST(CompileTimeIdentityE2E, OldOpenTelemetry) {
  expect_identity("tests/testapps/oldotel", "1.21",
                  {{"go.opentelemetry.io/otel", "v1.24.0"},
                   {"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp", "v0.49.0"}},
                  /*uses_otel=*/true);
}

// otel v1.38.0 and otelhttp v0.62.0 need go >= 1.23.0, so that is the module's go line.
TEST(CompileTimeIdentityE2E, OtelhttpWithRouteTag) {
  expect_identity("tests/testapps/otelroutetag", "1.23.0",
                  {{"go.opentelemetry.io/otel", "v1.38.0"},
                   {"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp", "v0.62.0"}},
                  /*uses_otel=*/true);
}

TEST(CompileTimeIdentityE2E, OldYamlPseudoVersion) {
  expect_identity("tests/testapps/oldyaml", "1.22",
                  {{"gopkg.in/yaml.v3", "v3.0.0-20200313102051-9f266ea9e77c"}});
}

// check.v1 from before yaml.v3 v3.0.1's requirement on it, and no yaml.v3: adding the runtime
// (which needs yaml.v3) would lift check.v1. The build stops, before compiling, and says so.
TEST(CompileTimeIdentityE2E, LiftedModuleStopsTheBuild) {
  fs::path dir = scratch_dir("identity-lifted");
  std::ofstream(dir / "go.mod") << "module example.com/lifted\n\ngo 1.22\n\n"
                                   "require gopkg.in/check.v1 v0.0.0-20160105164936-4f90aeace3a2\n";
  std::ofstream(dir / "go.sum") << "gopkg.in/check.v1 v0.0.0-20160105164936-4f90aeace3a2 "
                                   "h1:faEcQFXYr57l2QRgMaWHfbZMQrPaNjI6xSumhdGNq08=\n"
                                   "gopkg.in/check.v1 v0.0.0-20160105164936-4f90aeace3a2/go.mod "
                                   "h1:Co6ibVJAznAaIkqp8huTwlJQCZ016jof/cbN4VW5Yz0=\n";
  std::ofstream(dir / "main.go") << "package main\n\nfunc main() {}\n";
  std::ofstream(dir / "main_test.go") << "package main\n\nimport (\n\t\"testing\"\n\n\t. "
                                         "\"gopkg.in/check.v1\"\n)\n\n"
                                         "func Test(t *testing.T) { TestingT(t) }\n";
  auto before = snapshot(dir);
  GoRun plain = run_in({"go", "list", "-m", "all"}, dir, go_env());
  ASSERT_EQ(plain.code, 0) << plain.output;
  ASSERT_NE(plain.out.find("gopkg.in/check.v1 v0.0.0-20160105164936-4f90aeace3a2"),
            std::string::npos);

  const std::string why =
      "gopkg.in/check.v1: v0.0.0-20160105164936-4f90aeace3a2 in your build, "
      "v0.0.0-20161208181325-20d25e280405 in the instrumented build (gopkg.in/yaml.v3@v3.0.1 "
      "requires gopkg.in/check.v1@v0.0.0-20161208181325-20d25e280405)";
  GoRun list = goinstr_go({"list", "-m", "all"}, dir, go_env());
  EXPECT_EQ(list.code, 1) << list.output;
  EXPECT_NE(list.output.find(why), std::string::npos) << list.output;
  EXPECT_EQ(list.out, "") << "nothing listed";
  // Every build checks before compiling; the verdict is cached with the copy.
  GoRun build = goinstr_go({"build", "-o", "lifted", "."}, dir, go_env());
  EXPECT_EQ(build.code, 1) << build.output;
  EXPECT_NE(build.output.find(why), std::string::npos) << build.output;
  EXPECT_NE(build.output.find("stops before compiling"), std::string::npos) << build.output;
  EXPECT_EQ(build.output.find("adding goinstr.dev/rt to a copy"), std::string::npos)
      << build.output;
  EXPECT_FALSE(fs::exists(dir / "lifted"));
  EXPECT_EQ(snapshot(dir), before);
}

TEST(CompileTimeIdentityE2E, GoLineBelow113StopsTheBuild) {
  fs::path dir = scratch_dir("identity-go112");
  std::ofstream(dir / "go.mod") << "module example.com/old\n\ngo 1.12\n";
  std::ofstream(dir / "main.go") << "package main\n\nfunc main() {}\n";
  GoRun list = goinstr_go({"list", "-m", "all"}, dir, go_env());
  EXPECT_EQ(list.code, 1) << list.output;
  EXPECT_NE(list.output.find("says go 1.12"), std::string::npos) << list.output;
  EXPECT_NE(list.output.find("go 1.13"), std::string::npos) << list.output;
}

}  // namespace
}  // namespace goinstr::e2e
