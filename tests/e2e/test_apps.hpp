// SPDX-License-Identifier: Apache-2.0
// The Go test services of tests/testapps for the gRPC and HTTP/2 end-to-end tests: built by the
// test (from the module proxy), started under goinstr or beside it, and driven by a copy of
// themselves in drive mode (`-drive`), which is not traced because it is another executable.
#pragma once

#include <signal.h>
#include <unistd.h>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "tests/e2e/e2e_env.hpp"
#include "tests/support/paths.hpp"

namespace goinstr::e2e {

// A tests/testapps program built into this test process's temp dir: `path`, or `error` with go's
// own output. `driver` is a copy of the same binary for drive mode.
struct TestApp {
  fs::path path;
  fs::path driver;
  std::string error;
};

// This test process's build directory, removed when the process exits.
inline const fs::path& test_apps_dir() {
  static const struct Dir {
    fs::path path = fs::temp_directory_path() / fmt::format("goinstr-e2e-apps-{}", getpid());
    ~Dir() {
      std::error_code ec;
      fs::remove_all(path, ec);
    }
  } dir;
  return dir.path;
}

inline TestApp build_test_app(const std::string& name, const std::string& variant,
                              const std::vector<std::string>& go_args = {},
                              const std::map<std::string, std::string>& env = {},
                              const fs::path& source = {}) {
  const fs::path& dir = test_apps_dir();
  fs::path out = dir / variant;
  fs::path src = source.empty() ? testing::source_dir() / "tests/testapps" / name : source;
  auto built = testing::build_go(src, out, go_args, env);
  if (!built) return {{}, {}, built.error().message};
  fs::path driver = dir / (variant + "-driver");
  std::error_code ec;
  fs::copy_file(out, driver, fs::copy_options::overwrite_existing, ec);
  if (ec) return {{}, {}, "copy " + out.string() + ": " + ec.message()};
  return {out, driver, ""};
}

// Root and Jaeger are the tests' prerequisites; CI has both, so a missing one fails the test.
inline void require_root_and_collector() {
  ASSERT_EQ(geteuid(), 0) << "the runtime agent needs root (BPF and uprobes); CI runs as root";
  ASSERT_TRUE(testing::wait_for_tcp_port("127.0.0.1", 16686, 5s))
      << "Jaeger is not running: start it with scripts/services.sh start-jaeger";
}

// "127.0.0.1:PORT" from the service's "listening on 127.0.0.1:PORT" line.
inline std::string wait_for_listen_address(testing::Subprocess& process) {
  std::string url = wait_for_demo_url(process);
  return url.empty() ? url : url.substr(std::string("http://").size());
}

// A service started under `goinstr run` exporting to Jaeger.
inline Result<testing::Subprocess> run_traced(const std::string& service, const fs::path& binary,
                                              const std::vector<std::string>& args) {
  std::vector<std::string> argv = {goinstr_path(),   "run",   "--endpoint", kOtlpHttp,
                                   "--service-name", service, "--",         binary.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return testing::Subprocess::spawn(argv);
}

// Runs the driver to completion; its exit code says whether every call had the expected outcome.
inline void drive(const TestApp& app, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {app.driver.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  auto p = testing::Subprocess::spawn(argv);
  ASSERT_TRUE(p) << p.error().message;
  auto code = p->wait(120s);
  EXPECT_EQ(code, 0) << p->describe();
}

// Stops goinstr with SIGTERM: it forwards the signal (run) or detaches (attach), flushes and exits.
inline void stop_goinstr(testing::Subprocess& goinstr) {
  ASSERT_TRUE(goinstr.send_signal(SIGTERM));
  auto code = goinstr.wait(30s);
  ASSERT_TRUE(code.has_value()) << goinstr.describe();
}

// A fresh trace and parent span id: Jaeger answers a service's query with whole traces, so an id
// reused across runs would bring other runs' spans into this one's answer.
struct RandomParent {
  std::string trace_id, span_id;
  std::string traceparent() const { return e2e::traceparent(trace_id, span_id); }
};
inline RandomParent random_parent() {
  std::random_device rd;
  std::mt19937_64 rng(rd());
  return {fmt::format("{:016x}{:016x}", rng() | 1, rng()), fmt::format("{:016x}", rng() | 1)};
}

inline std::string tag(const nlohmann::json& span, std::string_view key) {
  return testing::span_tag_string(span, key).value_or("");
}

inline bool is_error(const nlohmann::json& span) {
  return tag(span, "otel.status_code") == "ERROR";
}

}  // namespace goinstr::e2e
