// SPDX-License-Identifier: Apache-2.0
// The gRPC end-to-end checks the feature tests (grpc_test.cpp) and the grpc version matrix
// (grpc_versions_test.cpp) share: tests/testapps/grpcapp driven through every RPC kind under
// `goinstr run`, and two instances of it under one `goinstr attach --exe`.
#pragma once

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/e2e/test_apps.hpp"

namespace goinstr::e2e {

// Unary OK and errors, server, client and bidirectional streams, a cancelled stream: 17 RPCs.
inline constexpr const char* kEveryRpcKind =
    "say:ok*3,say:fail:NOT_FOUND:nope*2,say:fail:INTERNAL:boom*2,say:fail:UNAVAILABLE:down,"
    "count:3*2,count:fail,sum:4*2,sum:fail,chat:3*2,cancel:50";
inline constexpr size_t kEveryRpcKindSpans = 17;

// A scratch copy of grpcapp's sources (named `prefix` + version) with a go.mod that requires
// grpc `version` and nothing else: `go mod tidy` then picks the dependencies that grpc release
// asks for, as an old service would have them.
std::filesystem::path grpcapp_at(const std::string& version, const std::string& prefix);

// Per span name, the status codes (rpc.response.status_code) of its spans.
std::map<std::string, std::multiset<std::string>> codes_by_name(
    const std::vector<nlohmann::json>& spans);

// The server spans of kEveryRpcKind: per method, the status codes, and each span's attributes
// and status.
void expect_every_rpc_kind(const std::vector<nlohmann::json>& spans);

// One service under `goinstr run`, driven through `script`; its spans from Jaeger (exactly
// `expected` of them, and no loss reported).
std::vector<nlohmann::json> run_and_collect(const TestApp& app, const std::string& script,
                                            size_t expected, const std::string& traceparent = {});

// Instance A (with -peer B) calls B five times; one goinstr traces every process of the binary:
// B's server span must be a child of A's client span, itself a child of A's server span.
void expect_two_instance_trace(const TestApp& app);

// The spans of that traffic (A: 5 server and 5 client spans, B: 5 server spans), B listening on
// `b_port`: each of A's server spans has one client child, whose child is B's server span.
void expect_two_instance_tree(const std::vector<nlohmann::json>& spans, const std::string& b_port);

}  // namespace goinstr::e2e
