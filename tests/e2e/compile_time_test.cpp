// SPDX-License-Identifier: Apache-2.0
// Compile-time instrumentation end to end: programs built by `goinstr go build` (the demo, and
// tests/testapps/ctapp copied to a temporary directory, so its path is one goinstr has never
// seen), run against the real Jaeger and Postgres that scripts/test.sh starts. No root needed,
// except to compare with the runtime agent.
#include <fmt/format.h>
#include <sys/wait.h>

#include <fstream>
#include <set>

#include "common/digest.hpp"
#include "tests/e2e/e2e_env.hpp"
#include "tests/e2e/go_command.hpp"
#include "tests/e2e/span_tree.hpp"
#include "tests/support/paths.hpp"

namespace goinstr::e2e {
namespace {

using testing::JaegerClient;
using testing::span_tag_string;
using testing::Subprocess;
using testing::SubprocessOptions;

// A fresh copy of a test program, so each test may build, vendor or break it freely.
fs::path copy_app(const std::string& app, const std::string& name) {
  fs::path dir = scratch_dir(name);
  fs::copy(testing::source_dir() / app, dir, fs::copy_options::recursive);
  return dir;
}

std::string file_digest(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return sha256_hex(std::string((std::istreambuf_iterator<char>(in)), {}));
}

const std::map<std::string, std::string> kExportToJaeger = {
    {"OTEL_EXPORTER_OTLP_ENDPOINT", kOtlpHttp}, {"OTEL_BSP_SCHEDULE_DELAY", "100"}};

std::map<std::string, std::string> export_env(const std::string& service) {
  auto env = kExportToJaeger;
  env["OTEL_SERVICE_NAME"] = service;
  return env;
}

// demo/ built with `goinstr go build`, once per test process.
const std::string& woven_demo() {
  static std::string path = [] {
    fs::path out = scratch_dir("demo-bin") / "demo-woven";
    GoRun r = goinstr_go({"build", "-o", out.string(), "."}, testing::source_dir() / "demo");
    return r.code == 0 ? out.string() : "goinstr go build failed:\n" + r.output;
  }();
  return path;
}

void require_jaeger_and_postgres() {
  ASSERT_TRUE(testing::wait_for_tcp_port("127.0.0.1", 16686, 5s))
      << "Jaeger is not running: scripts/services.sh start-jaeger";
  ASSERT_TRUE(testing::wait_for_tcp_port("127.0.0.1", 55432, 10s))
      << "Postgres is not up on 127.0.0.1:55432 (scripts/services.sh start-postgres)";
}

// POST /relay on a front instance whose -next is a back instance: relay -> client -> log ->
// INSERT. Returns the spans Jaeger holds for `service` once all four arrived.
std::vector<nlohmann::json> relay_trace(const std::string& binary, const std::string& service,
                                        const std::map<std::string, std::string>& env) {
  auto back = Subprocess::spawn({binary, "-addr", "127.0.0.1:0", "-db", postgres_dsn()}, env);
  EXPECT_TRUE(back) << back.error().message;
  if (!back) return {};
  std::string back_url = wait_for_demo_url(*back);
  auto front = Subprocess::spawn({binary, "-addr", "127.0.0.1:0", "-next", back_url}, env);
  EXPECT_TRUE(front) << front.error().message;
  if (!front) return {};
  std::string front_url = wait_for_demo_url(*front);
  EXPECT_FALSE(back_url.empty() || front_url.empty()) << back->describe() << front->describe();
  auto r = testing::http_post(front_url + "/relay",
                              R"({"instrumentation":"compile-time","error_status":false})");
  EXPECT_TRUE(r && r->status == 201) << (r ? r->body : r.error().message) << back->describe();
  // SIGTERM: the demo shuts down and main returns, which flushes the woven runtime's spans.
  front->terminate();
  back->terminate();
  JaegerClient jaeger(kJaegerQuery);
  auto spans = jaeger.wait_for_span_count(service, 4, 30s, [](const auto& s, const auto&) {
    return s["operationName"] != "CREATE TABLE instrumentation_logs" &&
           s["operationName"] != "CREATE instrumentation_logs";
  });
  EXPECT_TRUE(spans) << spans.error().message << back->describe();
  return spans ? *spans : std::vector<nlohmann::json>{};
}

struct RelayTree {
  nlohmann::json relay, client, log, insert;
};

// The expected shape, shared by both modes: POST /relay -> POST -> POST /log -> INSERT.
RelayTree check_relay_tree(const std::vector<nlohmann::json>& spans) {
  RelayTree t;
  Tree tree(spans);
  auto relay = tree.named("POST /relay");
  EXPECT_EQ(relay.size(), 1u);
  if (relay.size() != 1) return t;
  t.relay = relay[0];
  auto client = tree.children_of(t.relay);
  EXPECT_EQ(client.size(), 1u);
  if (client.size() != 1) return t;
  t.client = client[0];
  EXPECT_EQ(t.client["operationName"], "POST");
  EXPECT_EQ(span_tag_string(t.client, "span.kind"), "client");
  auto log = tree.children_of(t.client);
  EXPECT_EQ(log.size(), 1u) << "the back's server span is a child of the front's client span";
  if (log.size() != 1) return t;
  t.log = log[0];
  EXPECT_EQ(t.log["operationName"], "POST /log");
  auto insert = tree.children_of(t.log);
  EXPECT_EQ(insert.size(), 1u);
  if (insert.size() != 1) return t;
  t.insert = insert[0];
  EXPECT_EQ(t.insert["operationName"], "INSERT instrumentation_logs");
  expect_postgres_span(t.insert, "INSERT", "instrumentation_logs");
  return t;
}

// Semantic-convention attributes (Jaeger tags) of a span, values kept only where they do not
// depend on the run (ports, addresses and URLs differ between two runs of the same traffic).
std::map<std::string, std::string> semconv_tags(const nlohmann::json& span) {
  static const std::set<std::string> kRunDependent = {"client.port", "client.address", "url.full",
                                                      "server.port"};
  static const std::vector<std::string> kPrefixes = {
      "http.", "url.", "server.", "client.", "network.", "user_agent.", "db.", "error."};
  std::map<std::string, std::string> out;
  for (const auto& tag : span["tags"]) {
    std::string key = tag["key"];
    bool semconv = std::any_of(kPrefixes.begin(), kPrefixes.end(),
                               [&](const std::string& p) { return key.starts_with(p); });
    if (!semconv) continue;
    out[key] = kRunDependent.contains(key) ? "*" : tag["value"].dump();
  }
  out["(kind)"] = span_tag_string(span, "span.kind").value_or("");
  out["(name)"] = span["operationName"];
  return out;
}

// The resource Jaeger holds for `service` (its process tags) with the per-process values masked,
// and the instrumentation scope of its spans: both modes must describe a service alike.
std::map<std::string, std::string> resource_and_scope(const std::string& service) {
  static const std::set<std::string> kPerProcess = {"process.pid",
                                                    "host.name",
                                                    "process.executable.name",
                                                    "process.executable.path",
                                                    "process.runtime.version",
                                                    "service.name",
                                                    "hostname",
                                                    "ip",
                                                    "client-uuid"};
  std::map<std::string, std::string> out;
  JaegerClient jaeger(kJaegerQuery);
  auto traces = jaeger.traces(service);
  if (!traces || !(*traces).contains("data") || (*traces)["data"].empty()) return out;
  const auto& trace = (*traces)["data"][0];
  for (const auto& [id, process] : trace["processes"].items()) {
    if (process["serviceName"] != service) continue;
    for (const auto& tag : process["tags"]) {
      std::string key = tag["key"];
      out["resource " + key] = kPerProcess.contains(key) ? "*" : tag["value"].dump();
    }
  }
  for (const auto& span : trace["spans"])
    for (const auto& tag : span["tags"])
      if (std::string(tag["key"]).starts_with("otel.scope."))
        out["span " + std::string(tag["key"])] = tag["value"].dump();
  return out;
}

TEST(CompileTimeE2E, DemoTraceAcrossTwoServices) {
  require_jaeger_and_postgres();
  if (HasFatalFailure()) return;
  ASSERT_TRUE(fs::exists(woven_demo())) << woven_demo();
  std::string service = unique_service("ct-demo");
  auto spans = relay_trace(woven_demo(), service, export_env(service));
  RelayTree t = check_relay_tree(spans);
  if (t.relay.is_null()) return;
  EXPECT_EQ(span_tag_string(t.relay, "http.route"), "/relay");
  EXPECT_EQ(span_tag_string(t.relay, "http.response.status_code"), "201");
  EXPECT_EQ(span_tag_string(t.client, "http.request.method"), "POST");
  EXPECT_EQ(span_tag_string(t.log, "http.route"), "/log");
  EXPECT_EQ(t.relay["traceID"], t.insert["traceID"]) << "one trace across both processes";
}

// The same traffic through the runtime agent (root) and through compile-time weaving gives
// the same span names, kinds, attribute keys and run-independent values.
TEST(CompileTimeE2E, SameSpansAsTheRuntimeAgent) {
  require_root_and_jaeger();
  if (HasFatalFailure() || IsSkipped()) return;
  require_jaeger_and_postgres();
  ASSERT_TRUE(fs::exists(woven_demo())) << woven_demo();

  std::string woven_service = unique_service("ct-same");
  RelayTree woven =
      check_relay_tree(relay_trace(woven_demo(), woven_service, export_env(woven_service)));

  std::string agent_service = unique_service("agent-same");
  auto agent = Subprocess::spawn({goinstr_path(), "attach", "--exe", demo_binary(), "--endpoint",
                                  kOtlpHttp, "--service-name", agent_service});
  ASSERT_TRUE(agent) << agent.error().message;
  ASSERT_TRUE(agent->wait_for_output("Ctrl-C to stop", 30s, /*stderr=*/true)) << agent->describe();
  auto agent_spans = relay_trace(demo_binary(), agent_service, {});
  agent->terminate();
  RelayTree traced = check_relay_tree(agent_spans);
  if (woven.insert.is_null() || traced.insert.is_null()) return;

  EXPECT_EQ(semconv_tags(woven.relay), semconv_tags(traced.relay));
  EXPECT_EQ(semconv_tags(woven.client), semconv_tags(traced.client));
  EXPECT_EQ(semconv_tags(woven.log), semconv_tags(traced.log));
  EXPECT_EQ(semconv_tags(woven.insert), semconv_tags(traced.insert));
  // The same resource attributes and scope (telemetry.sdk.language=go, telemetry.distro.*).
  auto woven_resource = resource_and_scope(woven_service);
  EXPECT_EQ(woven_resource["resource telemetry.sdk.language"], "\"go\"");
  EXPECT_EQ(woven_resource["resource telemetry.distro.name"], "\"goinstr\"");
  EXPECT_EQ(woven_resource, resource_and_scope(agent_service));
}

// ctapp: //goinstr:span on a function with a context (a child of the server span), on a method
// in another package (a grandchild), on a generic function and in a cgo package (roots).
TEST(CompileTimeE2E, SpanDirectiveNestsThroughContext) {
  require_jaeger_and_postgres();
  if (HasFatalFailure()) return;
  fs::path app = copy_app("tests/testapps/ctapp", "spans");
  GoRun build = goinstr_go({"build", "-o", "ctapp", "."}, app);
  ASSERT_EQ(build.code, 0) << build.output;
  std::string service = unique_service("ct-app");
  auto p = Subprocess::spawn({(app / "ctapp").string()}, export_env(service));
  ASSERT_TRUE(p) << p.error().message;
  std::string url = wait_for_demo_url(*p);
  ASSERT_FALSE(url.empty()) << p->describe();
  EXPECT_EQ(testing::http_get(url + "/work")->status, 200);
  EXPECT_EQ(testing::http_get(url + "/work?fail=1")->status, 500);
  EXPECT_EQ(testing::http_get(url + "/sum")->status, 200);

  // 2 x (GET /work, main.process, store.(*Store).Save) + native.Abs + GET /sum + 2 x main.sum.
  // Read while ctapp runs: it has no SIGTERM handler, so a kill would drop the last batch.
  JaegerClient jaeger(kJaegerQuery);
  auto spans = jaeger.wait_for_span_count(service, 10, 30s);
  p->terminate();
  ASSERT_TRUE(spans) << spans.error().message << p->describe();
  Tree tree(*spans);
  auto work = tree.named("GET /work");
  ASSERT_EQ(work.size(), 2u);
  int failed = 0;
  for (const auto& server : work) {
    auto process = tree.children_of(server);
    ASSERT_EQ(process.size(), 1u) << server.dump();
    EXPECT_EQ(process[0]["operationName"], "main.process");
    EXPECT_EQ(span_tag_string(process[0], "span.kind"), "internal");
    auto save = tree.children_of(process[0]);
    ASSERT_EQ(save.size(), 1u);
    EXPECT_EQ(save[0]["operationName"], "store.(*Store).Save");
    if (span_tag_string(server, "http.response.status_code") == "500") {
      ++failed;
      EXPECT_EQ(span_tag_string(process[0], "otel.status_code"), "ERROR") << process[0].dump();
      EXPECT_EQ(span_tag_string(process[0], "error.type"), "*fmt.wrapError") << process[0].dump();
    } else {
      EXPECT_NE(span_tag_string(process[0], "otel.status_code"), "ERROR") << process[0].dump();
    }
  }
  EXPECT_EQ(failed, 1);
  EXPECT_EQ(tree.named("native.Abs").size(), 1u) << "cgo package woven";
  EXPECT_EQ(tree.named("main.sum").size(), 2u) << "generic function woven";
}

// The user's files, go.mod and go.sum are byte for byte unchanged; a plain build after an
// instrumented one is identical to one before it (no poisoned cache); a second instrumented
// build compiles nothing (the go command's cache serves it).
TEST(CompileTimeE2E, UserFilesAndPlainBuildsUntouched) {
  fs::path app = copy_app("demo", "untouched");
  fs::path out = scratch_dir("untouched-out");
  auto before = snapshot(app);
  ASSERT_TRUE(testing::build_go(app, out / "plain1"));
  GoRun woven = goinstr_go({"build", "-o", (out / "woven1").string(), "."}, app);
  ASSERT_EQ(woven.code, 0) << woven.output;
  ASSERT_TRUE(testing::build_go(app, out / "plain2"));
  EXPECT_EQ(file_digest(out / "plain1"), file_digest(out / "plain2"))
      << "a plain build after an instrumented one must be the same binary";
  EXPECT_NE(file_digest(out / "plain1"), file_digest(out / "woven1"));
  EXPECT_EQ(snapshot(app), before) << "goinstr go build changed or added files in the module";

  GoRun again = goinstr_go({"build", "-x", "-o", (out / "woven2").string(), "."}, app);
  ASSERT_EQ(again.code, 0) << again.output;
  EXPECT_EQ(again.output.find("/compile "), std::string::npos)
      << "the second instrumented build recompiled something:\n"
      << again.output;
  EXPECT_EQ(file_digest(out / "woven1"), file_digest(out / "woven2"));
}

// //line directives: a panic in woven code and a compile error in a woven file both name the
// user's own file, line and column, never goinstr's cache.
TEST(CompileTimeE2E, ErrorsAndPanicsPointAtTheUsersLines) {
  fs::path app = copy_app("tests/testapps/ctapp", "lines");
  GoRun build = goinstr_go({"build", "-o", "ctapp", "."}, app);
  ASSERT_EQ(build.code, 0) << build.output;
  auto p =
      Subprocess::spawn({(app / "ctapp").string(), "-panic"}, {{"OTEL_TRACES_EXPORTER", "none"}});
  ASSERT_TRUE(p);
  p->wait(30s);
  std::string trace = p->read_stderr();
  EXPECT_NE(trace.find((app / "main.go").string() + ":96"), std::string::npos) << trace;
  EXPECT_EQ(trace.find("goinstr/woven"), std::string::npos) << trace;

  // Same line as the woven `{`: the column must be the original one too.
  std::string broken =
      "package store\n\nimport \"context\"\n\n//goinstr:span\n"
      "func Broken(ctx context.Context) error { return undefinedThing }\n";
  std::ofstream(app / "store" / "broken.go") << broken;
  GoRun failed = goinstr_go({"build", "-o", "ctapp", "."}, app);
  EXPECT_NE(failed.code, 0);
  size_t col = broken.substr(broken.find("func Broken")).find("undefinedThing") + 1;
  EXPECT_NE(failed.output.find(fmt::format("store/broken.go:6:{}: undefined: undefinedThing", col)),
            std::string::npos)
      << failed.output;
  EXPECT_EQ(failed.output.find("goinstr/woven"), std::string::npos) << failed.output;
}

TEST(CompileTimeE2E, GoTestRunsWovenTests) {
  fs::path app = copy_app("tests/testapps/ctapp", "gotest");
  GoRun r = goinstr_go({"test", "-count=1", "./store"}, app, {{"OTEL_TRACES_EXPORTER", "console"}});
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("ok  \tgoinstr.dev/ctapp/store"), std::string::npos) << r.output;
}

TEST(CompileTimeE2E, Go127Toolchain) {
  fs::path app = copy_app("tests/testapps/ctapp", "go127");
  std::map<std::string, std::string> env = {{"GOTOOLCHAIN", "go1.27.3"}};
  GoRun build = goinstr_go({"build", "-o", "ctapp", "."}, app, env);
  ASSERT_EQ(build.code, 0) << build.output;
  auto p = Subprocess::spawn({(app / "ctapp").string()}, {{"OTEL_TRACES_EXPORTER", "console"}});
  ASSERT_TRUE(p);
  std::string url = wait_for_demo_url(*p);
  ASSERT_FALSE(url.empty()) << p->describe();
  EXPECT_EQ(testing::http_get(url + "/work")->status, 200);
  // The console tree goes to stderr, one line per span, as the runtime agent prints it.
  EXPECT_TRUE(p->wait_for_output("─ GET /work  200  ", 20s, /*stderr=*/true)) << p->describe();
  GoRun version = run_in({"go", "version", (app / "ctapp").string()}, app);
  EXPECT_NE(version.output.find("go1.27.3"), std::string::npos) << version.output;
  p->terminate();
}

TEST(CompileTimeE2E, VendoredModuleBuilds) {
  fs::path app = copy_app("demo", "vendor");
  auto vendor = Subprocess::spawn({"go", "mod", "vendor"}, {}, [&] {
    SubprocessOptions o;
    o.cwd = app;
    return o;
  }());
  ASSERT_TRUE(vendor);
  ASSERT_EQ(vendor->wait(120s), 0) << vendor->describe();
  auto before = snapshot(app);
  GoRun r = goinstr_go({"build", "-o", "demo", "."}, app);
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("-mod=mod"), std::string::npos) << "says how vendor/ is handled";
  fs::remove(app / "demo");
  EXPECT_EQ(snapshot(app), before);
}

TEST(CompileTimeE2E, UnsupportedSetupsFailLoudly) {
  fs::path empty = scratch_dir("no-module");
  GoRun outside = goinstr_go({"build", "."}, empty, {{"GO111MODULE", "on"}});
  EXPECT_NE(outside.code, 0);
  EXPECT_NE(outside.output.find("no go.mod"), std::string::npos) << outside.output;

  // A rule for a function the standard library does not have stops the build.
  fs::path rules = scratch_dir("rules") / "bad.yaml";
  std::ofstream(rules) << "- id: gone\n  package: net/http\n  function: Server.NoSuchMethod\n"
                          "  prepend: 'println();'\n";
  fs::path app = copy_app("tests/testapps/ctapp", "badrule");
  GoRun bad = goinstr_go({"build", "-o", "ctapp", "."}, app, {{"GOINSTR_RULES", rules.string()}});
  EXPECT_NE(bad.code, 0);
  EXPECT_NE(bad.output.find("rule 'gone'"), std::string::npos) << bad.output;
  EXPECT_FALSE(fs::exists(app / "ctapp")) << "no uninstrumented binary left behind";

  GoRun sub = goinstr_go({"mod", "tidy"}, app);
  EXPECT_EQ(sub.code, 2);
  EXPECT_NE(sub.output.find("not a command goinstr instruments"), std::string::npos);
}

}  // namespace
}  // namespace goinstr::e2e
