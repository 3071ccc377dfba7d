// SPDX-License-Identifier: Apache-2.0
// No span lost at exit in compile-time mode (issue 12 item 5): a woven program killed by a
// SIGTERM or SIGINT it does not handle flushes its queued spans first and then dies by the same
// signal; one that handles the signal itself keeps its own behaviour (and flushes on returning
// from main). The schedule delay is an hour, so only the exit path can have exported the spans.
#include <fmt/format.h>
#include <signal.h>

#include "tests/e2e/e2e_env.hpp"
#include "tests/e2e/go_command.hpp"
#include "tests/support/paths.hpp"

namespace goinstr::e2e {
namespace {

using testing::JaegerClient;
using testing::Subprocess;

// tests/testapps/ctapp built with `goinstr go build`, once per test process.
const std::string& woven_ctapp() {
  static std::string path = [] {
    fs::path dir = scratch_dir("exit-ctapp");
    fs::copy(testing::source_dir() / "tests/testapps/ctapp", dir, fs::copy_options::recursive);
    GoRun r = goinstr_go({"build", "-o", "ctapp", "."}, dir);
    return r.code == 0 ? (dir / "ctapp").string() : "goinstr go build failed:\n" + r.output;
  }();
  return path;
}

struct ExitCase {
  int sig;
  bool handled;
};

// Runs ctapp, makes one traced request, sends `sig`, and returns the exit status
// (Subprocess::wait: exit code, or -signal).
std::optional<int> request_then_signal(const std::string& service, const ExitCase& c) {
  std::vector<std::string> argv = {woven_ctapp()};
  if (c.handled) argv.push_back("-handle-term");
  auto p = Subprocess::spawn(argv, {{"OTEL_EXPORTER_OTLP_ENDPOINT", kOtlpHttp},
                                    {"OTEL_SERVICE_NAME", service},
                                    {"OTEL_BSP_SCHEDULE_DELAY", "3600000"}});
  EXPECT_TRUE(p) << p.error().message;
  if (!p) return std::nullopt;
  std::string url = wait_for_demo_url(*p);
  EXPECT_FALSE(url.empty()) << p->describe();
  auto r = testing::http_get(url + "/work");
  EXPECT_TRUE(r && r->status == 200) << p->describe();
  EXPECT_TRUE(p->send_signal(c.sig));
  auto status = p->wait(20s);
  if (c.handled) {
    EXPECT_TRUE(p->wait_for_output("shutting down", 1s)) << p->describe();
  }
  return status;
}

void expect_spans_exported(const std::string& service) {
  JaegerClient jaeger(kJaegerQuery);
  auto spans = jaeger.wait_for_span_count(service, 1, 20s, [](const auto& s, const auto&) {
    return s["operationName"] == "GET /work";
  });
  EXPECT_TRUE(spans) << service << ": " << (spans ? "" : spans.error().message);
}

class CompileTimeExit : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(testing::wait_for_tcp_port("127.0.0.1", 16686, 5s))
        << "Jaeger is not running: scripts/services.sh start-jaeger";
    ASSERT_EQ(woven_ctapp().find("failed"), std::string::npos) << woven_ctapp();
  }
};

TEST_F(CompileTimeExit, UnhandledSigtermFlushesThenDiesBySigterm) {
  std::string service = unique_service("ct-sigterm");
  auto status = request_then_signal(service, {SIGTERM, false});
  ASSERT_TRUE(status) << "still running 20 s after SIGTERM";
  EXPECT_EQ(*status, -SIGTERM) << "must die by SIGTERM, as without goinstr";
  expect_spans_exported(service);
}

TEST_F(CompileTimeExit, UnhandledSigintFlushesThenDiesBySigint) {
  std::string service = unique_service("ct-sigint");
  auto status = request_then_signal(service, {SIGINT, false});
  ASSERT_TRUE(status) << "still running 20 s after SIGINT";
  EXPECT_EQ(*status, -SIGINT);
  expect_spans_exported(service);
}

TEST_F(CompileTimeExit, HandledSigtermIsLeftToTheProgram) {
  std::string service = unique_service("ct-handled");
  auto status = request_then_signal(service, {SIGTERM, true});
  ASSERT_TRUE(status) << "still running 20 s after SIGTERM";
  EXPECT_EQ(*status, 0) << "the program's own handler decides the exit";
  expect_spans_exported(service);  // main returned: the woven defer flushed
}

}  // namespace
}  // namespace goinstr::e2e
