// SPDX-License-Identifier: Apache-2.0
// The generator against an in-process server that counts what it really received.
#include "load/run.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmath>

#include "test_server.hpp"

namespace goinstr::load {
namespace {

using namespace std::chrono_literals;
using testing::TestServer;
using testing::TestServerOptions;

Plan closed_plan(const std::string& url, const std::string& stages) {
  Plan p;
  p.url = url;
  p.model = ClosedModel{*parse_stages(stages)};
  return p;
}

Results run_ok(const Plan& plan, const ProgressCallback& progress = {}) {
  auto r = run(plan, progress);
  EXPECT_TRUE(r.has_value()) << r.error().message;
  return r ? *r : Results{};
}

// Every request ends in exactly one bucket; the time series adds up to the totals.
void expect_consistent(const Results& r) {
  const Counts& c = r.counts;
  EXPECT_EQ(c.requests, c.responses + c.timeouts + c.transport_errors() + c.unfinished);
  EXPECT_EQ(c.responses, c.successes + c.http_errors);
  EXPECT_EQ(r.latency.count(), c.responses);
  if (std::holds_alternative<OpenModel>(r.plan.model)) {
    EXPECT_EQ(c.scheduled, c.requests + c.dropped);
  }
  uint64_t requests = 0, responses = 0, timeouts = 0, errors = 0;
  for (const auto& s : r.seconds) {
    requests += s.requests;
    responses += s.responses;
    timeouts += s.timeouts;
    errors += s.transport_errors;
  }
  EXPECT_EQ(requests, c.requests);
  EXPECT_EQ(responses, c.responses);
  EXPECT_EQ(timeouts, c.timeouts);
  EXPECT_EQ(errors, c.transport_errors());
}

TEST(LoadRun, ClosedModelCountsWhatTheServerSaw) {
  // Chunked bodies and Connection: close in the mix: counts must still be exact.
  TestServer server({.chunked_every = 3, .close_every = 7});
  Results r = run_ok(closed_plan(server.url("/hello"), "300ms:8,700ms:8,300ms:0"));
  expect_consistent(r);
  EXPECT_GT(r.counts.requests, 100u);
  EXPECT_EQ(r.counts.requests, server.requests());
  EXPECT_EQ(r.counts.successes, server.requests());
  EXPECT_EQ(r.counts.errors(), 0u);
  EXPECT_EQ(r.counts.timeouts, 0u);
  EXPECT_EQ(r.status_codes.at(200), server.requests());
  EXPECT_EQ(r.peak_vus, 8u);
  EXPECT_EQ(r.counts.connections, server.connections());
  EXPECT_FALSE(r.seconds.empty());
}

TEST(LoadRun, ThreadsSplitTheVus) {
  TestServer server;
  Plan plan = closed_plan(server.url("/"), "0s:9,1s:9");
  plan.threads = 2;
  Results r = run_ok(plan);
  expect_consistent(r);
  EXPECT_EQ(r.counts.requests, server.requests());
  EXPECT_EQ(r.counts.errors(), 0u);
  EXPECT_EQ(r.peak_vus, 9u);
  EXPECT_EQ(server.connections(), 9u);  // keep-alive: one socket per VU
}

TEST(LoadRun, OpenModelHoldsTheRate) {
  TestServer server;
  Plan plan;
  plan.url = server.url("/hello");
  plan.model = OpenModel{.rate = 2000, .duration = 3s, .connections = 50};
  Results r = run_ok(plan);
  expect_consistent(r);
  EXPECT_EQ(r.counts.scheduled, 6000u);
  EXPECT_EQ(r.counts.dropped, 0u);
  EXPECT_EQ(r.counts.requests, server.requests());
  EXPECT_EQ(r.counts.successes, 6000u);
  EXPECT_NEAR(r.rps(), 2000.0, 2000.0 * 0.02);
  ASSERT_GE(r.seconds.size(), 3u);
  // Per second only loosely: a VM descheduling the test for 20 ms at a second boundary moves
  // 40 completions into the next second without the generator falling behind.
  for (int s = 0; s < 3; ++s) EXPECT_NEAR(r.seconds[s].rps(), 2000.0, 2000.0 * 0.05) << s;
}

TEST(LoadRun, OpenModelQueuesThenDropsWhenConnectionsAreStuck) {
  // /slow never answers: 2 connections are busy for good, later arrivals queue (up to 5), the
  // rest are dropped, and everything queued or sent times out. Nothing goes uncounted.
  TestServer server;
  Plan plan;
  plan.url = server.url("/slow");
  plan.timeout = 300ms;
  plan.model = OpenModel{.rate = 100, .duration = 500ms, .connections = 2, .max_queue = 5};
  Results r = run_ok(plan);
  expect_consistent(r);
  EXPECT_EQ(r.counts.scheduled, 50u);
  EXPECT_GT(r.counts.dropped, 0u);
  EXPECT_EQ(r.counts.responses, 0u);
  EXPECT_EQ(r.counts.timeouts, r.counts.requests);
}

TEST(LoadRun, PostSendsTheBody) {
  TestServer server;
  Plan plan = closed_plan(server.url("/log"), "300ms:2");
  plan.method = "POST";
  plan.body = "0123456789";
  plan.headers = {{"X-Test", "yes"}};
  Results r = run_ok(plan);
  expect_consistent(r);
  EXPECT_EQ(r.counts.requests, server.requests());
  EXPECT_EQ(server.body_bytes(), 10 * server.requests());
  EXPECT_NE(server.last_request_head().find("POST /log HTTP/1.1\r\n"), std::string::npos);
  EXPECT_NE(server.last_request_head().find("\r\nX-Test: yes\r\n"), std::string::npos);
}

TEST(LoadRun, HttpErrorsAreNotTransportErrors) {
  TestServer server;
  Results r = run_ok(closed_plan(server.url("/status/503"), "300ms:2"));
  expect_consistent(r);
  EXPECT_GT(r.counts.http_errors, 0u);
  EXPECT_EQ(r.counts.http_errors, r.counts.responses);
  EXPECT_EQ(r.counts.successes, 0u);
  EXPECT_EQ(r.counts.transport_errors(), 0u);
  EXPECT_EQ(r.status_codes.at(503), r.counts.responses);
}

TEST(LoadRun, TimeoutsAreCountedSeparately) {
  TestServer server;
  Plan plan = closed_plan(server.url("/slow"), "450ms:2");
  plan.timeout = 100ms;
  Results r = run_ok(plan);
  expect_consistent(r);
  EXPECT_EQ(r.counts.responses, 0u);
  EXPECT_EQ(r.counts.transport_errors(), 0u);
  EXPECT_GE(r.counts.timeouts, 6u);  // 2 VUs, one timeout per 100 ms each, ~4 rounds
  EXPECT_LE(r.counts.timeouts, 12u);
}

TEST(LoadRun, ConnectErrorsWhenNothingListens) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), len), 0);
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  close(fd);  // bound, never listened: connects are refused
  Plan plan =
      closed_plan("http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/", "100ms:1");
  Results r = run_ok(plan);
  expect_consistent(r);
  EXPECT_GT(r.counts.connect_errors, 0u);
  EXPECT_EQ(r.counts.responses, 0u);
  EXPECT_EQ(r.first_errors.count("connect"), 1u);
}

TEST(LoadRun, BadFramingIsAProtocolError) {
  TestServer server;
  Results r = run_ok(closed_plan(server.url("/garbage"), "200ms:1"));
  expect_consistent(r);
  EXPECT_GT(r.counts.protocol_errors, 0u);
  EXPECT_EQ(r.counts.protocol_errors, r.counts.requests);
  EXPECT_EQ(r.counts.requests, server.requests());
}

TEST(LoadRun, SilentServerClosesAreRetriedNotLost) {
  // The server drops every 4th keep-alive connection right after answering, without a
  // Connection: close; the next request on it dies unanswered and is sent again.
  TestServer server({.silent_close_every = 4});
  Results r = run_ok(closed_plan(server.url("/"), "500ms:4"));
  expect_consistent(r);
  EXPECT_EQ(r.counts.errors(), 0u);
  EXPECT_GT(r.counts.retries, 0u);
  EXPECT_EQ(r.counts.requests, server.requests());
}

TEST(LoadRun, ProgressCanStopTheRun) {
  TestServer server;
  int calls = 0;
  Results r = run_ok(closed_plan(server.url("/"), "0s:3,30s:3"), [&](const Progress& p) {
    ++calls;
    EXPECT_EQ(p.vus, 3u);
    EXPECT_GT(p.rps, 0);
    return false;
  });
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(r.cancelled);
  EXPECT_LT(r.elapsed, 3s);
  expect_consistent(r);
  // The server may have read requests whose responses were abandoned: at most one per VU.
  EXPECT_LE(server.requests(), r.counts.requests);
  EXPECT_LE(r.counts.requests - server.requests(), 3u);
}

TEST(LoadRun, JsonCarriesTotalsAndTheTimeSeries) {
  TestServer server;
  Results r = run_ok(closed_plan(server.url("/"), "0s:2,1200ms:2"));
  nlohmann::json j = to_json(r);
  EXPECT_EQ(j["counts"]["requests"], r.counts.requests);
  EXPECT_EQ(j["plan"]["model"], "closed");
  EXPECT_EQ(j["status_codes"]["200"], r.counts.successes);
  ASSERT_EQ(j["seconds"].size(), r.seconds.size());
  EXPECT_EQ(j["seconds"][0]["vus"], 2);
  EXPECT_GT(j["seconds"][0]["p50_us"].get<double>(), 0);
  EXPECT_GE(j["latency_us"]["p99"].get<double>(), j["latency_us"]["p50"].get<double>());
  EXPECT_FALSE(format_summary(r).empty());
}

TEST(LoadRun, BadPlansFailBeforeConnecting) {
  Plan plan = closed_plan("https://127.0.0.1/", "1s:1");
  EXPECT_FALSE(run(plan).has_value());
  plan = closed_plan("http://no-such-host.invalid/", "1s:1");
  EXPECT_FALSE(run(plan).has_value());
}

}  // namespace
}  // namespace goinstr::load
