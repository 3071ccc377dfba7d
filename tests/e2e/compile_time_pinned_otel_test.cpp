// SPDX-License-Identifier: Apache-2.0
// Programs pinned to older OpenTelemetry releases, instrumented by hand with otelhttp, built with
// `goinstr go build` (issue 12): the binary links exactly the module versions the plain build
// links (`go version -m`), and one request gives one span per hop, goinstr's, with the program's
// own span in between through the OpenTelemetry bridge: GET /outer (server) -> user.work
// (the program's) -> GET (client) -> GET /inner (server). otelhttp adds none of its own.
#include <fmt/format.h>

#include <set>
#include <sstream>

#include "tests/e2e/e2e_env.hpp"
#include "tests/e2e/go_command.hpp"
#include "tests/support/paths.hpp"

namespace goinstr::e2e {
namespace {

using testing::JaegerClient;
using testing::span_tag_string;
using testing::Subprocess;

// The "dep" lines of `go version -m`: path and version of every module linked.
std::set<std::string> linked_modules(const fs::path& binary) {
  GoRun v = run_in({"go", "version", "-m", binary.string()}, binary.parent_path());
  std::set<std::string> out;
  std::istringstream lines(v.output);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream fields(line);
    std::string kind, path, version;
    fields >> kind >> path >> version;
    if (kind == "dep") out.insert(path + " " + version);
  }
  return out;
}

void check_pinned_app(const std::string& app_name) {
  fs::path app = scratch_dir("pinned-" + app_name);
  fs::copy(testing::source_dir() / "tests/testapps" / app_name, app, fs::copy_options::recursive);
  GoRun plain = run_in({"go", "build", "-o", "plain", "."}, app);
  ASSERT_EQ(plain.code, 0) << plain.output;
  GoRun woven = goinstr_go({"build", "-o", "woven", "."}, app);
  ASSERT_EQ(woven.code, 0) << woven.output;
  std::set<std::string> plain_deps = linked_modules(app / "plain");
  std::set<std::string> woven_deps = linked_modules(app / "woven");
  ASSERT_FALSE(plain_deps.empty());
  for (const auto& dep : plain_deps)
    EXPECT_TRUE(woven_deps.contains(dep)) << app_name << ": the woven binary lacks " << dep;

  std::string service = unique_service("pinned-" + app_name);
  auto p =
      Subprocess::spawn({(app / "woven").string()}, {{"OTEL_EXPORTER_OTLP_ENDPOINT", kOtlpHttp},
                                                     {"OTEL_SERVICE_NAME", service},
                                                     {"OTEL_METRICS_EXPORTER", "none"},
                                                     {"OTEL_BSP_SCHEDULE_DELAY", "100"}});
  ASSERT_TRUE(p) << p.error().message;
  std::string url = wait_for_demo_url(*p);
  ASSERT_FALSE(url.empty()) << p->describe();
  auto r = testing::http_get(url + "/outer");
  ASSERT_TRUE(r && r->status == 200) << p->describe();
  JaegerClient jaeger(kJaegerQuery);
  auto spans = jaeger.wait_for_span_count(service, 4, 30s);
  ASSERT_TRUE(spans) << spans.error().message << p->describe();
  p->terminate();
  ASSERT_EQ(spans->size(), 4u) << "one span per hop, none doubled by otelhttp";
  std::map<std::string, nlohmann::json> by_role;
  for (const auto& s : *spans) {
    std::string kind = span_tag_string(s, "span.kind").value_or("");
    std::string path = span_tag_string(s, "url.path").value_or("");
    if (s["operationName"] == "user.work")
      by_role["user"] = s;
    else if (kind == "client")
      by_role["client"] = s;
    else if (kind == "server" && path == "/outer")
      by_role["outer"] = s;
    else if (kind == "server" && path == "/inner")
      by_role["inner"] = s;
  }
  ASSERT_EQ(by_role.size(), 4u) << nlohmann::json(*spans).dump(1);
  EXPECT_EQ(testing::parent_span_id(by_role["user"]),
            by_role["outer"]["spanID"].get<std::string>());
  EXPECT_EQ(testing::parent_span_id(by_role["client"]),
            by_role["user"]["spanID"].get<std::string>());
  EXPECT_EQ(testing::parent_span_id(by_role["inner"]),
            by_role["client"]["spanID"].get<std::string>());
  for (const char* role : {"outer", "inner", "client"})
    EXPECT_EQ(span_tag_string(by_role[role], "http.response.status_code"), "200") << role;
}

TEST(CompileTimePinnedOtel, Otel124WithOtelhttp049) {
  ASSERT_TRUE(testing::wait_for_tcp_port("127.0.0.1", 16686, 5s)) << "Jaeger is not running";
  check_pinned_app("oldotel");
}

TEST(CompileTimePinnedOtel, Otel138WithOtelhttpRouteTag) {
  ASSERT_TRUE(testing::wait_for_tcp_port("127.0.0.1", 16686, 5s)) << "Jaeger is not running";
  check_pinned_app("otelroutetag");
}

}  // namespace
}  // namespace goinstr::e2e
