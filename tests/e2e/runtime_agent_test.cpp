// SPDX-License-Identifier: Apache-2.0
// The runtime agent end to end, as root: the demo service under `goinstr run`, real requests, and
// the spans read back from a real Jaeger (v2, in-memory) through its query API.
#include <signal.h>

#include <fmt/format.h>

#include <map>
#include <random>
#include <set>

#include "tests/e2e/e2e_env.hpp"

namespace goinstr::e2e {
namespace {

using testing::JaegerClient;
using testing::span_tag;
using testing::span_tag_string;

struct Traffic {
  int plain = 0;                                       // GET /hello without traceparent
  int continued = 0;                                   // GET /hello with a fresh traceparent each
  int errors = 0;                                      // GET /status/503
  std::map<std::string, std::string> parent_of_trace;  // incoming trace id -> parent span id
};

// Incoming trace ids are random per run: Jaeger returns whole traces, so a trace id reused by an
// earlier run would bring that run's spans into this one's answer.
Traffic send_traffic(const std::string& url, int plain, int continued, int errors) {
  Traffic t{plain, continued, errors, {}};
  std::mt19937_64 rng(std::random_device{}());
  for (int i = 0; i < plain; ++i) {
    auto r = testing::http_get(url + "/hello");
    EXPECT_TRUE(r && r->status == 200) << (r ? std::to_string(r->status) : r.error().message);
  }
  for (int i = 0; i < continued; ++i) {
    std::string trace_id = fmt::format("{:016x}{:016x}", rng() | 1, rng());
    std::string span_id = fmt::format("{:016x}", rng() | 1);
    t.parent_of_trace[trace_id] = span_id;
    auto r = testing::http_get(url + "/hello", {{"traceparent", traceparent(trace_id, span_id)}});
    EXPECT_TRUE(r && r->status == 200);
  }
  for (int i = 0; i < errors; ++i) {
    auto r = testing::http_get(url + "/status/503");
    EXPECT_TRUE(r && r->status == 503);
  }
  return t;
}

// Stops the service through goinstr (SIGTERM is forwarded), which flushes and exits with the
// service's code.
void stop_through_goinstr(testing::Subprocess& goinstr) {
  ASSERT_TRUE(goinstr.send_signal(SIGTERM));
  auto code = goinstr.wait(30s);
  ASSERT_TRUE(code.has_value()) << goinstr.describe();
  EXPECT_EQ(*code, 0) << goinstr.describe();
}

void check_spans(const std::vector<nlohmann::json>& spans, const Traffic& t) {
  int hello = 0, failed = 0;
  std::set<std::string> continued_seen;
  for (const auto& s : spans) {
    std::string name = s["operationName"];
    EXPECT_EQ(span_tag_string(s, "span.kind"), "server") << s.dump();
    EXPECT_EQ(span_tag_string(s, "http.request.method"), "GET");
    EXPECT_EQ(span_tag_string(s, "network.protocol.version"), "1.1");
    EXPECT_EQ(span_tag_string(s, "server.address"), "127.0.0.1");
    EXPECT_TRUE(span_tag(s, "server.port").has_value());
    EXPECT_EQ(span_tag_string(s, "client.address"), "127.0.0.1");
    if (name == "GET /hello") {
      ++hello;
      EXPECT_EQ(span_tag_string(s, "url.path"), "/hello");
      EXPECT_EQ(span_tag_string(s, "http.route"), "/hello");
      EXPECT_EQ(span_tag_string(s, "http.response.status_code"), "200");
      std::string trace_id = s["traceID"];
      auto it = t.parent_of_trace.find(trace_id);
      if (it != t.parent_of_trace.end()) {
        EXPECT_EQ(testing::parent_span_id(s), it->second) << s.dump();
        continued_seen.insert(trace_id);
      } else {
        EXPECT_FALSE(testing::parent_span_id(s).has_value()) << s.dump();
      }
    } else if (name == "GET /status/{code}") {
      ++failed;
      EXPECT_EQ(span_tag_string(s, "http.route"), "/status/{code}");
      EXPECT_EQ(span_tag_string(s, "http.response.status_code"), "503");
      EXPECT_EQ(span_tag_string(s, "otel.status_code"), "ERROR") << s.dump();
    } else {
      ADD_FAILURE() << "unexpected span " << s.dump();
    }
  }
  EXPECT_EQ(hello, t.plain + t.continued);
  EXPECT_EQ(failed, t.errors);
  EXPECT_EQ(continued_seen.size(), static_cast<size_t>(t.continued));
}

testing::SpanPredicate of_service(const std::string& service) {
  return [service](const nlohmann::json& span, const nlohmann::json& trace) {
    return testing::span_service(span, trace) == service;
  };
}

class RuntimeAgentE2E : public ::testing::TestWithParam<const char*> {};

TEST_P(RuntimeAgentE2E, RunExportsOneServerSpanPerRequestToJaeger) {
  require_root_and_jaeger();
  if (HasFatalFailure() || IsSkipped()) return;
  std::string protocol = GetParam();
  std::string service = unique_service("e2e-run");
  std::string endpoint = protocol == "grpc" ? kOtlpGrpc : kOtlpHttp;
  auto goinstr = testing::Subprocess::spawn({goinstr_path(), "run", "--endpoint", endpoint,
                                             "--protocol", protocol, "--service-name", service,
                                             "--", demo_binary(), "-addr", "127.0.0.1:0"});
  ASSERT_TRUE(goinstr) << goinstr.error().message;
  std::string url = wait_for_demo_url(*goinstr);
  ASSERT_FALSE(url.empty()) << goinstr->describe();

  Traffic t = send_traffic(url, 20, 10, 3);
  stop_through_goinstr(*goinstr);

  JaegerClient jaeger(kJaegerQuery);
  size_t expected = static_cast<size_t>(t.plain + t.continued + t.errors);
  auto spans = jaeger.wait_for_span_count(service, expected, 30s, of_service(service));
  ASSERT_TRUE(spans) << spans.error().message << "\n" << goinstr->describe();
  EXPECT_EQ(spans->size(), expected) << "exactly one server span per request";
  check_spans(*spans, t);
  EXPECT_NE(goinstr->read_stderr().find(fmt::format("{} spans made", expected)), std::string::npos)
      << goinstr->read_stderr();
  EXPECT_EQ(goinstr->read_stderr().find("warning: lost:"), std::string::npos)
      << goinstr->read_stderr();
}

INSTANTIATE_TEST_SUITE_P(Protocols, RuntimeAgentE2E, ::testing::Values("http/protobuf", "grpc"),
                         [](const auto& param_info) {
                           return std::string(param_info.param) == "grpc" ? "grpc"
                                                                          : "http_protobuf";
                         });

TEST(RuntimeAgentRun, ExitsWithTheServiceExitCode) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root";
  ASSERT_TRUE(fs::exists(demo_binary())) << demo_binary();
  auto goinstr =
      testing::Subprocess::spawn({goinstr_path(), "run", "--", demo_binary(), "-no-such-flag"});
  ASSERT_TRUE(goinstr);
  EXPECT_EQ(goinstr->wait(30s), 2) << goinstr->describe();  // Go's flag package exits with 2
}

TEST(RuntimeAgentRun, RejectsANonGoProgramWithOneLine) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root";
  auto goinstr = testing::Subprocess::spawn({goinstr_path(), "run", "--", "/bin/true"});
  ASSERT_TRUE(goinstr);
  EXPECT_EQ(goinstr->wait(30s), 1);
  EXPECT_NE(goinstr->read_stderr().find("not a Go binary"), std::string::npos)
      << goinstr->read_stderr();
}

}  // namespace
}  // namespace goinstr::e2e
