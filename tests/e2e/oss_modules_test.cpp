// SPDX-License-Identifier: Apache-2.0
// Real open-source Go modules, at exact versions from the Go module proxy, each tested with its
// own test suite twice: plainly (`go test ./...`) and instrumented (`goinstr go test ./...`).
// The instrumented run must give every package the same outcome and the same exit code as the
// plain one, must leave the module's files byte for byte as they were, and must really be
// instrumented: goinstr wove net/http, and a test that serves and sends HTTP exports server and
// client spans. Needs Go and the module proxy (or a module cache holding these versions); no
// root, no Jaeger.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <ostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/e2e/e2e_env.hpp"
#include "tests/e2e/go_command.hpp"

namespace goinstr::e2e {
namespace {

struct OssModule {
  std::string name;       // the test's name
  std::string path;       // module path
  std::string version;    // exact version, so every run tests the same code
  std::string probe_pkg;  // package (relative to the module root) holding the probe test
  std::string probe_run;  // -run pattern: a fast test that serves and sends HTTP on loopback
  std::string skip;       // -skip pattern for both suite runs ("" runs every test)
};

// Each suite needs nothing but loopback (no outside network, database or docker), passes plainly
// on Go 1.26, takes under a minute on 2 cores and sends real HTTP through net/http's servers and
// clients. None needs extra go.sum entries for its tests: chi and mux have no dependencies, echo
// and gin ship a go.sum that covers their test dependencies, so no `go mod download`/`go get`
// is run in the copies.
const std::vector<OssModule> kModules = {
    // chi: a router plus a large middleware package whose tests start httptest servers and call
    // them through net/http clients (timeouts, throttling, compression, streaming); no
    // dependencies; go.mod says go 1.24. The middleware suite takes ~26 s of its own timers.
    {"chi", "github.com/go-chi/chi/v5", "v5.5.0", ".", "^TestMuxBasic$"},
    // gorilla/mux: the long-time most used router; no dependencies; go.mod says go 1.20, so the
    // instrumented build raises the language version; serves over HTTP and HTTPS (httptest TLS).
    {"mux", "github.com/gorilla/mux", "v1.8.1", ".", "^TestSchemeMatchers$"},
    // echo: its own server (Start/StartTLS on :0) and a reverse-proxy middleware (client and
    // server spans in one test). It shares dependencies with the OpenTelemetry SDK
    // (golang.org/x/net, x/crypto, testify), so adding the SDK moves versions of modules the
    // module's own packages import. v4.16.0 because v4.13.x fails TestDefaultBinder_BindBody
    // plainly on Go 1.26.
    {"echo", "github.com/labstack/echo/v4", "v4.16.0", "./middleware", "^TestProxy$"},
    // gin: the most used Go web framework, with a deep dependency graph (sonic, quic-go,
    // validator, protobuf, shared ones moved by the SDK as for echo); its integration tests run
    // real servers (Run, RunListener, RunUnix, RunFd, httptest) and call them with net/http.
    // Skipped: the six tests that serve on fixed ports (8080, 8443, 8449, 3123, 5150) and then
    // call them with a client that has no timeout: whatever else on the machine holds such a
    // port makes them fail, or hang until go test's timeout (seen once: 10 minutes). Also
    // TestSaveUploadedCreateFailed: it calls SaveUploadedFile(f, "/"), which runs
    // os.Chmod("/", 0750); as root (CI) that really changes the root directory, and the postgres
    // user can no longer reach /dev/shm, so every later test that needs Postgres fails.
    {"gin", "github.com/gin-gonic/gin", "v1.12.0", ".", "^TestWithHttptestWithAutoSelectedPort$",
     "^(TestRunEmpty|TestRunEmptyWithEnv|TestRunWithPort|TestRunTLS|TestPusher|TestRunQUIC|"
     "TestSaveUploadedCreateFailed)$"},
};

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Both runs get the same environment: no exporter (nothing listens), no go.work from above.
const std::map<std::string, std::string> kTestEnv = {{"OTEL_TRACES_EXPORTER", "none"},
                                                     {"GOWORK", "off"}};

// A writable copy of a read-only module cache directory: `cp -r` then `chmod -R u+w`. (Module
// zips hold only directories and regular files.)
void copy_writable(const fs::path& from, const fs::path& to) {
  fs::create_directories(to);
  for (const auto& e : fs::recursive_directory_iterator(from)) {
    fs::path dst = to / fs::relative(e.path(), from);
    if (e.is_directory()) {
      fs::create_directories(dst);
    } else if (e.is_regular_file()) {
      fs::copy_file(e.path(), dst);
      fs::permissions(dst, fs::perms::owner_write, fs::perm_options::add);
    }
  }
}

// go test's summary line per package under `module`: "ok  \tPKG\t0.1s", "FAIL\tPKG\t0.2s",
// "FAIL\tPKG [build failed]", "?   \tPKG\t[no test files]". PKG -> "ok", "FAIL", "?", or
// "FAIL [build failed]" / "FAIL [setup failed]" when its tests did not even build.
std::map<std::string, std::string> package_outcomes(const std::string& output,
                                                    const std::string& module) {
  std::map<std::string, std::string> out;
  std::istringstream lines(output);
  std::string line;
  while (std::getline(lines, line)) {
    for (const std::string outcome : {"ok", "FAIL", "?"}) {
      if (!line.starts_with(outcome) || line.size() <= outcome.size() ||
          (line[outcome.size()] != ' ' && line[outcome.size()] != '\t'))
        continue;
      size_t at = line.find_first_not_of(" \t", outcome.size());
      if (at == std::string::npos) continue;
      std::string pkg = line.substr(at, line.find_first_of(" \t", at) - at);
      if (pkg != module && !pkg.starts_with(module + "/")) continue;
      size_t bracket = line.find(" [", at);
      bool broken = outcome == "FAIL" && bracket == at + pkg.size();
      out[pkg] = broken ? outcome + line.substr(bracket) : outcome;
    }
  }
  return out;
}

std::string describe(const std::map<std::string, std::string>& outcomes) {
  std::string text;
  for (const auto& [pkg, outcome] : outcomes) text += fmt::format("  {:<4} {}\n", outcome, pkg);
  return text;
}

struct SuiteRun {
  GoRun run;
  std::map<std::string, std::string> packages;
};

// `go test -count=1 PKGS...` in `dir`, plainly or through `goinstr go`. Each suite takes well
// under a minute: a 5-minute timeout ends a hung one with its goroutine dump in the output.
SuiteRun run_suite(bool instrumented, const std::vector<std::string>& pkgs, const fs::path& dir,
                   const OssModule& m) {
  std::vector<std::string> args = {"test", "-count=1", "-timeout=5m"};
  // -skip=PATTERN in one argument: goinstr reads `-skip PATTERN` as a package named PATTERN.
  if (!m.skip.empty()) args.push_back("-skip=" + m.skip);
  args.insert(args.end(), pkgs.begin(), pkgs.end());
  SuiteRun s;
  if (instrumented) {
    s.run = goinstr_go(args, dir, kTestEnv);
  } else {
    args.insert(args.begin(), "go");
    s.run = run_in(args, dir, kTestEnv);
  }
  s.packages = package_outcomes(s.run.output, m.path);
  return s;
}

// Packages whose outcome differs, except those that did not build in `b` (not a matter of
// timing: running them again would only repeat the build error).
std::vector<std::string> flaky_candidates(const SuiteRun& a, const SuiteRun& b) {
  std::set<std::string> all;
  for (const auto& [pkg, _] : a.packages) all.insert(pkg);
  for (const auto& [pkg, _] : b.packages) all.insert(pkg);
  std::vector<std::string> out;
  for (const auto& pkg : all) {
    auto x = a.packages.find(pkg), y = b.packages.find(pkg);
    if (y != b.packages.end() && y->second.starts_with("FAIL [")) continue;
    if (x == a.packages.end() || y == b.packages.end() || x->second != y->second)
      out.push_back(pkg);
  }
  return out;
}

// Names the module in gtest's messages (instead of the parameter's bytes).
void PrintTo(const OssModule& m, std::ostream* os) {
  *os << m.path << "@" << m.version;
}

class OssModuleTest : public ::testing::TestWithParam<OssModule> {};

TEST_P(OssModuleTest, OwnTestsPassInstrumentedAsPlainly) {
  const OssModule& m = GetParam();
  const std::string id = m.path + "@" + m.version;
  fs::path work = scratch_dir("oss-" + m.name);
  // These suites run as root in CI: a test that touches the machine (gin's chmod of "/") must be
  // caught here, and undone, before it breaks unrelated tests.
  const fs::perms root_mode = fs::status("/").permissions();
  struct RestoreRoot {
    fs::perms mode;
    ~RestoreRoot() {
      if (fs::status("/").permissions() != mode) {
        ADD_FAILURE() << "a module's tests changed the mode of / (restored)";
        fs::permissions("/", mode);
      }
    }
  } restore_root{root_mode};

  // 1. The source as the module proxy serves it, copied out of the read-only module cache.
  auto t0 = Clock::now();
  GoRun dl = run_in({"go", "mod", "download", "-json", id}, work, {{"GOWORK", "off"}}, 10min);
  ASSERT_EQ(dl.code, 0) << dl.output;
  auto info = nlohmann::json::parse(dl.out, nullptr, false);
  ASSERT_TRUE(!info.is_discarded() && info.contains("Dir") && info["Dir"].is_string()) << dl.output;
  fs::path src = work / "src";
  copy_writable(info["Dir"].get<std::string>(), src);
  double t_download = seconds_since(t0);

  // 1b. The instrumented build uses exactly the plain build's module versions (issue 12).
  GoRun plain_list = run_in({"go", "list", "-m", "all"}, src, kTestEnv);
  ASSERT_EQ(plain_list.code, 0) << plain_list.output;
  GoRun woven_list = goinstr_go({"list", "-m", "all"}, src, kTestEnv);
  ASSERT_EQ(woven_list.code, 0) << woven_list.output;
  std::set<std::string> woven_modules;
  std::istringstream woven_lines(woven_list.out);
  for (std::string line; std::getline(woven_lines, line);) woven_modules.insert(line);
  std::istringstream plain_lines(plain_list.out);
  for (std::string line; std::getline(plain_lines, line);)
    EXPECT_TRUE(woven_modules.contains(line)) << id << ": the instrumented graph changes " << line;

  // 2. The module's own suite, plainly.
  t0 = Clock::now();
  SuiteRun plain = run_suite(false, {"./..."}, src, m);
  double t_plain = seconds_since(t0);
  ASSERT_TRUE(std::any_of(plain.packages.begin(), plain.packages.end(),
                          [](const auto& p) { return p.second == "ok"; }))
      << "the plain run passed no package, so there is nothing to compare:\n"
      << plain.run.output;
  if (plain.run.code != 0)
    fmt::print(
        "[ oss ] {}: the plain run fails (exit {}); the instrumented one must fail alike:\n{}\n",
        id, plain.run.code, plain.run.output);

  // 3. The same suite through goinstr; it must not touch the module's files.
  auto before = snapshot(src);
  t0 = Clock::now();
  SuiteRun woven = run_suite(true, {"./..."}, src, m);
  double t_woven = seconds_since(t0);
  EXPECT_EQ(snapshot(src), before) << "goinstr go test changed or added files in " << id;

  // 4. Same outcome per package, same exit code. A package whose outcome differs runs once more
  // both ways, so one timing-sensitive test on a busy 2-core machine does not decide it alone;
  // the first runs' output stays in the log.
  std::vector<std::string> differ = flaky_candidates(plain, woven);
  if (!differ.empty()) {
    fmt::print(
        "[ oss ] {}: outcomes differ for {} package(s); running them once more both ways\n"
        "plain:\n{}instrumented:\n{}instrumented output:\n{}\n",
        id, differ.size(), describe(plain.packages), describe(woven.packages), woven.run.output);
    SuiteRun plain2 = run_suite(false, differ, src, m);
    SuiteRun woven2 = run_suite(true, differ, src, m);
    for (const auto& pkg : differ) {
      plain.packages.erase(pkg);
      woven.packages.erase(pkg);
    }
    plain.packages.merge(plain2.packages);
    woven.packages.merge(woven2.packages);
    plain.run.code = plain2.run.code;
    woven.run.code = woven2.run.code;
    woven.run.output = woven2.run.output;
  }
  EXPECT_EQ(woven.packages, plain.packages) << "plain:\n"
                                            << describe(plain.packages) << "instrumented:\n"
                                            << describe(woven.packages) << "instrumented output:\n"
                                            << woven.run.output;
  EXPECT_EQ(woven.run.code, plain.run.code) << woven.run.output;

  // 5. Really instrumented: goinstr wove net/http, and a test serving HTTP on loopback exports
  // server (SpanKind 2) and client (SpanKind 3) spans through the console exporter.
  t0 = Clock::now();
  GoRun probe = goinstr_go({"test", "-v", "-count=1", "-run", m.probe_run, m.probe_pkg}, src,
                           {{"OTEL_TRACES_EXPORTER", "console"}, {"GOWORK", "off"}});
  double t_probe = seconds_since(t0);
  EXPECT_NE(probe.output.find("goinstr: wove net/http"), std::string::npos) << probe.output;
  EXPECT_EQ(probe.code, 0) << probe.output;
  if (probe.code == 0) {
    // The console tree (on stderr, one line per span): "... 0.123 ms  server  span ...".
    EXPECT_NE(probe.output.find(" ms  server  span "), std::string::npos)
        << "no server span exported by " << m.probe_run << ":\n"
        << probe.output;
    EXPECT_NE(probe.output.find(" ms  client  span "), std::string::npos)
        << "no client span exported by " << m.probe_run << ":\n"
        << probe.output;
  }
  EXPECT_EQ(snapshot(src), before) << "goinstr go test -v changed or added files in " << id;

  fmt::print(
      "[ oss ] {}: {} package(s); download+copy {:.1f} s, plain go test {:.1f} s, "
      "goinstr go test {:.1f} s, probe {:.1f} s\n",
      id, plain.packages.size(), t_download, t_plain, t_woven, t_probe);
  std::fflush(stdout);
  if (!HasFailure()) fs::remove_all(work);
}

INSTANTIATE_TEST_SUITE_P(Modules, OssModuleTest, ::testing::ValuesIn(kModules),
                         [](const auto& p) { return p.param.name; });

}  // namespace
}  // namespace goinstr::e2e
