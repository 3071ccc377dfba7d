// SPDX-License-Identifier: Apache-2.0
// The gRPC version matrix under the runtime agent, as root: tests/testapps/grpcapp built against
// the oldest grpc release the agent supports (v1.60.0), one in between (v1.70.0, before csAttempt's
// fields were renamed) and the newest served (v1.85.0), each with a go.mod of its own resolved by
// `go mod tidy` from the module proxy, with DWARF and stripped (offsets from the table of that
// grpc version). Every RPC kind, statuses, and the two-instance trace. One process for the whole
// matrix (one ctest entry): the versions run one after the other.
#include <fmt/format.h>

#include "tests/e2e/go_command.hpp"
#include "tests/e2e/grpc_checks.hpp"

namespace goinstr::e2e {
namespace {

class GrpcVersions : public ::testing::TestWithParam<std::string> {};

TEST_P(GrpcVersions, EveryRpcKindPlainAndStrippedAndTheTwoInstanceTrace) {
  require_root_and_collector();
  if (HasFatalFailure()) return;
  const std::string version = GetParam();
  fs::path src = grpcapp_at(version, "grpc-");
  if (HasFailure()) return;
  TestApp plain = build_test_app("grpcapp", "grpcapp-" + version, {}, {}, src);
  ASSERT_TRUE(plain.error.empty()) << plain.error;
  TestApp stripped =
      build_test_app("grpcapp", "grpcapp-stripped-" + version, {"-ldflags=-s -w"}, {}, src);
  ASSERT_TRUE(stripped.error.empty()) << stripped.error;
  {
    SCOPED_TRACE("grpc " + version + " with DWARF");
    expect_every_rpc_kind(run_and_collect(plain, kEveryRpcKind, kEveryRpcKindSpans));
  }
  {
    SCOPED_TRACE("grpc " + version + " stripped");
    expect_every_rpc_kind(run_and_collect(stripped, kEveryRpcKind, kEveryRpcKindSpans));
  }
  {
    SCOPED_TRACE("grpc " + version + " stripped, two instances");
    expect_two_instance_trace(stripped);
  }
}

std::string version_name(const ::testing::TestParamInfo<std::string>& param) {
  std::string name = param.param;
  for (char& c : name)
    if (c == '.') c = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Matrix, GrpcVersions, ::testing::Values("v1.60.0", "v1.70.0", "v1.85.0"),
                         version_name);

}  // namespace
}  // namespace goinstr::e2e
