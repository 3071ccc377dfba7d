// SPDX-License-Identifier: Apache-2.0
// Compile-time instrumentation through its other doors and layouts: the talk's
// `go build -toolexec 'goinstr toolexec'`, a go.work workspace, and a program already
// instrumented by hand with otelhttp (nothing may be doubled). Programs are copies of
// tests/testapps in temporary directories; spans are read from the console exporter's JSON or
// from the real Jaeger.
#include <set>

#include "tests/e2e/go_command.hpp"
#include "tests/e2e/span_tree.hpp"
#include "tests/support/paths.hpp"

namespace goinstr::e2e {
namespace {

using testing::JaegerClient;
using testing::span_tag_string;
using testing::Subprocess;

fs::path copy_testapp(const std::string& app, const std::string& name) {
  fs::path dir = scratch_dir(name);
  fs::copy(testing::source_dir() / "tests/testapps" / app, dir, fs::copy_options::recursive);
  return dir;
}

// Starts `binary` (which prints "listening on"), GETs `path`, and returns its stderr once the
// console exporter (a tree on stderr, one line per span) printed a span named `span_name`.
std::string console_spans_after(const fs::path& binary, const std::string& path,
                                const std::string& span_name) {
  auto p = Subprocess::spawn(
      {binary.string()}, {{"OTEL_TRACES_EXPORTER", "console"}, {"OTEL_BSP_SCHEDULE_DELAY", "100"}});
  EXPECT_TRUE(p) << p.error().message;
  if (!p) return {};
  std::string url = wait_for_demo_url(*p);
  EXPECT_FALSE(url.empty()) << p->describe();
  auto r = testing::http_get(url + path);
  EXPECT_TRUE(r && r->status == 200) << (r ? r->body : r.error().message);
  EXPECT_TRUE(p->wait_for_output("─ " + span_name + "  ", 20s, /*stderr=*/true)) << p->describe();
  p->terminate();
  return p->read_stderr();
}

bool links_goinstr_runtime(const fs::path& binary) {
  GoRun v = run_in({"go", "version", "-m", binary.string()}, binary.parent_path());
  return v.output.find("goinstr.dev/rt") != std::string::npos;
}

TEST(CompileTimeModesE2E, ToolexecGivesTheInstrumentedProgram) {
  fs::path app = copy_testapp("ctapp", "toolexec");
  auto before = snapshot(app);
  GoRun plain = run_in({"go", "build", "-o", "plain1", "."}, app);
  ASSERT_EQ(plain.code, 0) << plain.output;
  std::string toolexec = goinstr_path() + " toolexec";
  GoRun woven = run_in({"go", "build", "-toolexec", toolexec, "-o", "woven", "."}, app);
  ASSERT_EQ(woven.code, 0) << woven.output;
  EXPECT_TRUE(links_goinstr_runtime(app / "woven"));
  std::string out = console_spans_after(app / "woven", "/work", "main.process");
  EXPECT_NE(out.find("─ GET /work  200  "), std::string::npos) << out;

  // The go command's cache never hands the plain build the instrumented link, or the reverse.
  GoRun plain2 = run_in({"go", "build", "-o", "plain2", "."}, app);
  ASSERT_EQ(plain2.code, 0) << plain2.output;
  EXPECT_FALSE(links_goinstr_runtime(app / "plain2"));
  GoRun test = run_in({"go", "test", "-count=1", "-toolexec", toolexec, "./store"}, app);
  EXPECT_EQ(test.code, 0) << test.output;
  for (const char* built : {"plain1", "plain2", "woven"}) fs::remove(app / built);
  EXPECT_EQ(snapshot(app), before);
}

TEST(CompileTimeModesE2E, WorkspaceBuild) {
  fs::path ws = scratch_dir("workspace");
  fs::copy(testing::source_dir() / "tests/testapps/ctapp", ws / "app", fs::copy_options::recursive);
  fs::create_directories(ws / "greet");
  std::ofstream(ws / "greet" / "go.mod") << "module example.com/greet\n\ngo 1.22\n";
  std::ofstream(ws / "greet" / "greet.go")
      << "package greet\n\nimport \"context\"\n\n//goinstr:span\nfunc Hello(ctx context.Context) "
         "string { return \"hello\" }\n";
  // The app uses greet only through the workspace (no require in its go.mod needed for a use).
  std::ofstream(ws / "app" / "greet_use.go")
      << "package main\n\nimport (\n\t\"context\"\n\n\t\"example.com/greet\"\n)\n\n"
         "func init() { _ = greet.Hello(context.Background()) }\n";
  std::ofstream(ws / "go.work") << "go 1.26.0\n\nuse (\n\t./app\n\t./greet\n)\n";
  auto before = snapshot(ws);
  GoRun build =
      goinstr_go({"build", "-o", (ws.parent_path() / "ws-app").string(), "."}, ws / "app");
  ASSERT_EQ(build.code, 0) << build.output;
  std::string out = console_spans_after(ws.parent_path() / "ws-app", "/work", "greet.Hello");
  EXPECT_NE(out.find("─ main.process  "), std::string::npos) << out;
  EXPECT_EQ(snapshot(ws), before) << "go.work, go.mod and sources are unchanged";
}

// otelapp wraps its mux with otelhttp.NewHandler and its client with otelhttp.NewTransport, and
// starts a span of its own: one server span per request, one client span per call, and the
// user's span between goinstr's server span and the client span.
TEST(CompileTimeModesE2E, OtelhttpProgramGetsNoDoubledSpans) {
  ASSERT_TRUE(testing::wait_for_tcp_port("127.0.0.1", 16686, 5s)) << "Jaeger is not running";
  fs::path app = copy_testapp("otelapp", "otelhttp");
  GoRun build = goinstr_go({"build", "-v", "-o", "otelapp", "."}, app);
  ASSERT_EQ(build.code, 0) << build.output;
  EXPECT_NE(build.output.find("wove go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"),
            std::string::npos)
      << build.output;
  std::string service = unique_service("ct-otelhttp");
  auto p =
      Subprocess::spawn({(app / "otelapp").string()}, {{"OTEL_SERVICE_NAME", service},
                                                       {"OTEL_EXPORTER_OTLP_ENDPOINT", kOtlpHttp},
                                                       {"OTEL_BSP_SCHEDULE_DELAY", "100"}});
  ASSERT_TRUE(p) << p.error().message;
  std::string url = wait_for_demo_url(*p);
  ASSERT_FALSE(url.empty()) << p->describe();
  auto r = testing::http_get(url + "/outer");
  ASSERT_TRUE(r && r->status == 200) << (r ? r->body : r.error().message);
  JaegerClient jaeger(kJaegerQuery);
  auto spans = jaeger.wait_for_span_count(service, 4, 30s);
  p->terminate();
  ASSERT_TRUE(spans) << spans.error().message << p->describe();
  // A doubled span would arrive with the others; give stragglers a moment by asking again.
  auto again = jaeger.wait_for_span_count(service, 4, 2s);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->size(), 4u) << "exactly: GET /outer, user.work, GET, GET /inner";
  Tree tree(*again);
  auto outer = tree.named("GET /outer");
  ASSERT_EQ(outer.size(), 1u);
  auto work = tree.children_of(outer[0]);
  ASSERT_EQ(work.size(), 1u);
  EXPECT_EQ(work[0]["operationName"], "user.work");
  auto client = tree.children_of(work[0]);
  ASSERT_EQ(client.size(), 1u);
  EXPECT_EQ(client[0]["operationName"], "GET");
  EXPECT_EQ(span_tag_string(client[0], "span.kind"), "client");
  auto inner = tree.children_of(client[0]);
  ASSERT_EQ(inner.size(), 1u);
  EXPECT_EQ(inner[0]["operationName"], "GET /inner");
}

}  // namespace
}  // namespace goinstr::e2e
