// SPDX-License-Identifier: Apache-2.0
// gRPC under the runtime agent, as root, against the real Jaeger: every RPC kind of a service of
// our own (tests/testapps/grpcapp: unary, server, client and bidirectional streams, errors,
// cancellation), the same stripped, the grpc-go examples' helloworld and route_guide packages
// imported by pseudo-version (tests/testapps/grpcexamples), a continued traceparent, and the
// two-instance trace server -> client -> server by connection.
#include <fmt/format.h>

#include <map>
#include <set>

#include "tests/e2e/grpc_checks.hpp"

namespace goinstr::e2e {
namespace {

using testing::JaegerClient;

const TestApp& grpcapp() {
  static const TestApp app = build_test_app("grpcapp", "grpcapp");
  return app;
}

const TestApp& stripped_grpcapp() {
  static const TestApp app = build_test_app("grpcapp", "grpcapp-stripped", {"-ldflags=-s -w"});
  return app;
}

const TestApp& grpcexamples() {
  static const TestApp app = build_test_app("grpcexamples", "grpcexamples");
  return app;
}

TEST(GrpcE2E, OneServerSpanPerRpcOfEveryKind) {
  require_root_and_collector();
  if (HasFatalFailure()) return;
  ASSERT_TRUE(grpcapp().error.empty()) << grpcapp().error;
  auto spans = run_and_collect(grpcapp(), kEveryRpcKind, kEveryRpcKindSpans);
  expect_every_rpc_kind(spans);
  for (const auto& s : spans) EXPECT_FALSE(testing::parent_span_id(s)) << "a root: " << s.dump();
}

TEST(GrpcE2E, StrippedBinaryGetsTheSameSpansFromTheOffsetTable) {
  require_root_and_collector();
  if (HasFatalFailure()) return;
  ASSERT_TRUE(stripped_grpcapp().error.empty()) << stripped_grpcapp().error;
  expect_every_rpc_kind(run_and_collect(stripped_grpcapp(), kEveryRpcKind, kEveryRpcKindSpans));
}

TEST(GrpcE2E, IncomingTraceparentInTheMetadataIsContinued) {
  require_root_and_collector();
  if (HasFatalFailure()) return;
  ASSERT_TRUE(grpcapp().error.empty()) << grpcapp().error;
  RandomParent parent = random_parent();
  auto spans = run_and_collect(grpcapp(), "say:ok*2,count:2,sum:2,chat:2", 5, parent.traceparent());
  for (const auto& s : spans) {
    EXPECT_EQ(s["traceID"], parent.trace_id) << s.dump();
    EXPECT_EQ(testing::parent_span_id(s), parent.span_id) << s.dump();
  }
}

// The grpc-go examples' own packages (generated code and service definitions), imported as a
// dependency: helloworld.Greeter and all four RPC kinds of routeguide.RouteGuide.
TEST(GrpcE2E, ExamplesHelloworldAndRouteGuide) {
  require_root_and_collector();
  if (HasFatalFailure()) return;
  ASSERT_TRUE(grpcexamples().error.empty()) << grpcexamples().error;
  auto spans = run_and_collect(grpcexamples(),
                               "hello:ann*2,hello:fail,feature:1:1,feature:0:0,list*2,record:5,"
                               "chat:3",
                               9);
  auto codes = codes_by_name(spans);
  EXPECT_EQ(codes["helloworld.Greeter/SayHello"],
            (std::multiset<std::string>{"OK", "OK", "PERMISSION_DENIED"}));
  EXPECT_EQ(codes["routeguide.RouteGuide/GetFeature"],
            (std::multiset<std::string>{"OK", "INVALID_ARGUMENT"}));
  EXPECT_EQ(codes["routeguide.RouteGuide/ListFeatures"], (std::multiset<std::string>{"OK", "OK"}));
  EXPECT_EQ(codes["routeguide.RouteGuide/RecordRoute"], (std::multiset<std::string>{"OK"}));
  EXPECT_EQ(codes["routeguide.RouteGuide/RouteChat"], (std::multiset<std::string>{"OK"}));
  for (const auto& s : spans) EXPECT_FALSE(is_error(s)) << "not a server error: " << s.dump();
}

TEST(GrpcE2E, TwoInstancesMakeOneTraceByConnection) {
  require_root_and_collector();
  if (HasFatalFailure()) return;
  ASSERT_TRUE(grpcapp().error.empty()) << grpcapp().error;
  expect_two_instance_trace(grpcapp());
}

}  // namespace
}  // namespace goinstr::e2e
