// SPDX-License-Identifier: Apache-2.0
// gRPC in compile-time mode, against the real Jaeger: tests/testapps/grpcapp and grpcexamples
// built by `goinstr go build` (grpc woven by data/rules/grpc.yaml), driven by their plain builds.
// Every RPC kind with its codes and statuses, a continued traceparent, the two-instance trace
// (the woven client puts traceparent into the metadata), the same spans as the runtime agent's
// (root), and the grpc releases v1.60.0, v1.70.0 and v1.85.0 (the three layouts the rules pick by
// `versions`).
#include <fmt/format.h>

#include <map>
#include <set>

#include "tests/e2e/grpc_checks.hpp"
#include "tests/e2e/woven_app.hpp"

namespace goinstr::e2e {
namespace {

using testing::JaegerClient;

const Woven& woven_grpcapp() {
  static const Woven w = weave(testing::source_dir() / "tests/testapps/grpcapp", "grpcapp");
  return w;
}

const TestApp& plain_grpcapp() {
  static const TestApp app = build_test_app("grpcapp", "grpcapp");
  return app;
}

// The woven service driven through `script` by the plain driver; exactly `expected` spans.
std::vector<nlohmann::json> woven_run(const fs::path& binary, const TestApp& driver,
                                      const std::string& script, size_t expected,
                                      const std::string& traceparent = {}) {
  std::string service = unique_service("ct-grpc");
  auto p = start_woven(binary, service, {"-addr", "127.0.0.1:0"});
  EXPECT_TRUE(p) << p.error().message;
  if (!p) return {};
  std::string addr = wait_for_listen_address(*p);
  EXPECT_FALSE(addr.empty()) << p->describe();
  if (addr.empty()) return {};
  std::vector<std::string> args = {"-drive", addr, "-script", script};
  if (!traceparent.empty()) args.insert(args.end(), {"-traceparent", traceparent});
  drive(driver, args);
  stop_woven(*p);
  auto spans = JaegerClient(kJaegerQuery).wait_for_span_count(service, expected, 30s);
  EXPECT_TRUE(spans) << spans.error().message << "\n" << p->describe();
  if (!spans) return {};
  EXPECT_EQ(spans->size(), expected) << p->describe();
  std::string err = p->read_stderr();
  EXPECT_EQ(err.find("dropped"), std::string::npos) << err;
  EXPECT_EQ(err.find("without a status"), std::string::npos) << err;
  return *spans;
}

// Two woven instances, A calling B: the trace crosses them through the metadata.
void expect_woven_two_instance_trace(const fs::path& binary, const TestApp& driver) {
  std::string service = unique_service("ct-grpc2");
  auto b = start_woven(binary, service, {"-addr", "127.0.0.1:0"});
  ASSERT_TRUE(b) << b.error().message;
  std::string b_addr = wait_for_listen_address(*b);
  ASSERT_FALSE(b_addr.empty()) << b->describe();
  auto a = start_woven(binary, service, {"-addr", "127.0.0.1:0", "-peer", b_addr});
  ASSERT_TRUE(a) << a.error().message;
  std::string a_addr = wait_for_listen_address(*a);
  ASSERT_FALSE(a_addr.empty()) << a->describe();
  drive(driver, {"-drive", a_addr, "-script", "say:call*3,say:callfail,say:goroutine-call"});
  stop_woven(*a);
  stop_woven(*b);
  auto spans = JaegerClient(kJaegerQuery).wait_for_span_count(service, 15, 30s);
  ASSERT_TRUE(spans) << spans.error().message << "\n" << a->describe() << b->describe();
  EXPECT_EQ(spans->size(), 15u);
  expect_two_instance_tree(*spans, b_addr.substr(b_addr.find(':') + 1));
}

// A span's attributes with the values that depend on the run (ports, ids) masked.
std::string comparable(const nlohmann::json& span) {
  static const std::set<std::string> kRunDependent = {"client.port", "server.port",
                                                      "network.peer.port"};
  std::map<std::string, std::string> out;
  for (const auto& t : span["tags"]) {
    std::string key = t["key"];
    if (key.starts_with("otel.scope.") || key == "internal.span.format") continue;
    out[key] = kRunDependent.contains(key) ? "*" : t["value"].dump();
  }
  out["(name)"] = span["operationName"];
  return nlohmann::json(out).dump();
}

std::multiset<std::string> comparable_all(const std::vector<nlohmann::json>& spans) {
  std::multiset<std::string> out;
  for (const auto& s : spans) out.insert(comparable(s));
  return out;
}

TEST(CompileTimeGrpcE2E, OneServerSpanPerRpcOfEveryKind) {
  require_root_and_collector();
  if (HasFatalFailure()) return;
  ASSERT_TRUE(woven_grpcapp().error.empty()) << woven_grpcapp().error;
  ASSERT_TRUE(plain_grpcapp().error.empty()) << plain_grpcapp().error;
  auto spans = woven_run(woven_grpcapp().path, plain_grpcapp(), kEveryRpcKind, kEveryRpcKindSpans);
  expect_every_rpc_kind(spans);
  for (const auto& s : spans) EXPECT_FALSE(testing::parent_span_id(s)) << "a root: " << s.dump();
}

TEST(CompileTimeGrpcE2E, IncomingTraceparentInTheMetadataIsContinued) {
  require_root_and_collector();
  if (HasFatalFailure()) return;
  ASSERT_TRUE(woven_grpcapp().error.empty()) << woven_grpcapp().error;
  RandomParent parent = random_parent();
  auto spans = woven_run(woven_grpcapp().path, plain_grpcapp(), "say:ok*2,count:2,sum:2,chat:2", 5,
                         parent.traceparent());
  for (const auto& s : spans) {
    EXPECT_EQ(s["traceID"], parent.trace_id) << s.dump();
    EXPECT_EQ(testing::parent_span_id(s), parent.span_id) << s.dump();
  }
}

TEST(CompileTimeGrpcE2E, TwoInstancesMakeOneTraceThroughTheMetadata) {
  require_root_and_collector();
  if (HasFatalFailure()) return;
  ASSERT_TRUE(woven_grpcapp().error.empty()) << woven_grpcapp().error;
  expect_woven_two_instance_trace(woven_grpcapp().path, plain_grpcapp());
}

// The same RPCs under the runtime agent and woven: span for span the same names and attributes.
TEST(CompileTimeGrpcE2E, SameSpansAsTheRuntimeAgent) {
  require_root_and_collector();
  if (HasFatalFailure()) return;
  ASSERT_TRUE(woven_grpcapp().error.empty()) << woven_grpcapp().error;
  ASSERT_TRUE(plain_grpcapp().error.empty()) << plain_grpcapp().error;
  auto woven = woven_run(woven_grpcapp().path, plain_grpcapp(), kEveryRpcKind, kEveryRpcKindSpans);
  auto agent = run_and_collect(plain_grpcapp(), kEveryRpcKind, kEveryRpcKindSpans);
  EXPECT_EQ(comparable_all(woven), comparable_all(agent));
}

TEST(CompileTimeGrpcE2E, ExamplesHelloworldAndRouteGuide) {
  require_root_and_collector();
  if (HasFatalFailure()) return;
  static const Woven w = weave(testing::source_dir() / "tests/testapps/grpcexamples", "examples");
  ASSERT_TRUE(w.error.empty()) << w.error;
  TestApp driver = build_test_app("grpcexamples", "grpcexamples");
  ASSERT_TRUE(driver.error.empty()) << driver.error;
  auto spans = woven_run(
      w.path, driver, "hello:ann*2,hello:fail,feature:1:1,feature:0:0,list*2,record:5,chat:3", 9);
  auto codes = codes_by_name(spans);
  EXPECT_EQ(codes["helloworld.Greeter/SayHello"],
            (std::multiset<std::string>{"OK", "OK", "PERMISSION_DENIED"}));
  EXPECT_EQ(codes["routeguide.RouteGuide/GetFeature"],
            (std::multiset<std::string>{"OK", "INVALID_ARGUMENT"}));
  EXPECT_EQ(codes["routeguide.RouteGuide/ListFeatures"], (std::multiset<std::string>{"OK", "OK"}));
  EXPECT_EQ(codes["routeguide.RouteGuide/RecordRoute"], (std::multiset<std::string>{"OK"}));
  EXPECT_EQ(codes["routeguide.RouteGuide/RouteChat"], (std::multiset<std::string>{"OK"}));
}

// A service with otelgrpc's stats handlers on its server and client: one span per RPC on each
// side, goinstr's (otelgrpc stands aside), the server's a child of the client's.
TEST(CompileTimeGrpcE2E, OtelgrpcStandsAside) {
  require_root_and_collector();
  if (HasFatalFailure()) return;
  static const Woven w = weave(testing::source_dir() / "tests/testapps/otelgrpcapp", "otelgrpc");
  ASSERT_TRUE(w.error.empty()) << w.error;
  std::string service = unique_service("ct-otelgrpc");
  auto p = start_woven(w.path, service, {"-calls", "4"});
  ASSERT_TRUE(p) << p.error().message;
  ASSERT_EQ(p->wait(60s), 0) << p->describe();
  auto spans = JaegerClient(kJaegerQuery).wait_for_span_count(service, 8, 30s);
  ASSERT_TRUE(spans) << spans.error().message << "\n" << p->describe();
  EXPECT_EQ(spans->size(), 8u) << "two spans per call would mean otelgrpc made its own";
  std::map<std::string, int> kinds;
  std::set<std::string> client_ids;
  for (const auto& s : *spans) {
    EXPECT_EQ(s["operationName"], "grpc.health.v1.Health/Check");
    EXPECT_EQ(tag(s, "rpc.response.status_code"), "OK") << "goinstr's attributes: " << s.dump();
    ++kinds[tag(s, "span.kind")];
    if (tag(s, "span.kind") == "client") client_ids.insert(s["spanID"]);
  }
  EXPECT_EQ(kinds["client"], 4);
  EXPECT_EQ(kinds["server"], 4);
  for (const auto& s : *spans) {
    if (tag(s, "span.kind") != "server") continue;
    EXPECT_TRUE(client_ids.contains(testing::parent_span_id(s).value_or(""))) << s.dump();
  }
}

// A grpc older than the rules cover builds as it is, and the build says so (no silent gap).
TEST(CompileTimeGrpcE2E, OlderGrpcIsBuiltWithANote) {
  fs::path src = grpcapp_at("v1.58.0", "ct-grpc-");
  if (HasFailure()) return;
  fs::path out = scratch_dir("bin-grpc-old") / "grpcapp";
  GoRun r = goinstr_go({"build", "-o", out.string(), "."}, src);
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("note: google.golang.org/grpc v1.58.0 is outside the releases"),
            std::string::npos)
      << r.output;
}

class CompileTimeGrpcVersions : public ::testing::TestWithParam<std::string> {};

TEST_P(CompileTimeGrpcVersions, EveryRpcKindAndTheTwoInstanceTrace) {
  require_root_and_collector();
  if (HasFatalFailure()) return;
  const std::string version = GetParam();
  fs::path src = grpcapp_at(version, "ct-grpc-");
  if (HasFailure()) return;
  Woven w = weave(src, "grpcapp-" + version);
  ASSERT_TRUE(w.error.empty()) << w.error;
  ASSERT_TRUE(plain_grpcapp().error.empty()) << plain_grpcapp().error;
  {
    SCOPED_TRACE("grpc " + version);
    expect_every_rpc_kind(woven_run(w.path, plain_grpcapp(), kEveryRpcKind, kEveryRpcKindSpans));
  }
  {
    SCOPED_TRACE("grpc " + version + ", two instances");
    expect_woven_two_instance_trace(w.path, plain_grpcapp());
  }
}

// The oldest release the rules support, one with transport.ServerStream and csAttempt.t
// (v1.69.0 to v1.70.x), and the newest served.
INSTANTIATE_TEST_SUITE_P(Releases, CompileTimeGrpcVersions,
                         ::testing::Values("v1.60.0", "v1.70.0", "v1.85.0"), [](const auto& param) {
                           std::string name = param.param;
                           for (char& c : name)
                             if (c == '.') c = '_';
                           return name;
                         });

}  // namespace
}  // namespace goinstr::e2e
