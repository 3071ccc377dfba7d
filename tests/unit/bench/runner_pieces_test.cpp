// SPDX-License-Identifier: Apache-2.0
// The pure pieces of the runner: the interleaved run order, the progress line, the run record
// built from load results and samples, and DSN parsing.
#include <gtest/gtest.h>

#include "bench/probe.hpp"
#include "bench/progress.hpp"
#include "bench/record.hpp"
#include "bench/run_order.hpp"

namespace goinstr::bench {
namespace {

std::vector<Variant> variants(std::initializer_list<const char*> names) {
  std::vector<Variant> out;
  for (const char* n : names) out.push_back({n});
  return out;
}

std::vector<Scenario> scenarios(std::initializer_list<const char*> names) {
  std::vector<Scenario> out;
  for (const char* n : names) out.push_back({n});
  return out;
}

std::string order_text(const std::vector<PlannedRun>& runs, const std::vector<Variant>& v,
                       const std::vector<Scenario>& s) {
  std::string text;
  for (const auto& r : runs)
    text += s[r.scenario].name + ":" + v[r.variant].name + "/" + std::to_string(r.repeat) + " ";
  return text;
}

TEST(RunOrder, InterleavesVariantsInsideScenariosInsideRounds) {
  auto v = variants({"A", "B", "C"});
  auto s = scenarios({"x", "y"});
  auto runs = plan_runs(v, s, 2);
  ASSERT_EQ(runs.size(), 12u);
  EXPECT_EQ(order_text(runs, v, s),
            "x:A/0 x:B/0 x:C/0 y:A/0 y:B/0 y:C/0 x:A/1 x:B/1 x:C/1 y:A/1 y:B/1 y:C/1 ");
  for (size_t i = 0; i < runs.size(); ++i) EXPECT_EQ(runs[i].order, static_cast<int>(i));
}

TEST(RunOrder, SkippedVariantsAndScenariosGetNoRuns) {
  auto v = variants({"A", "B", "C"});
  v[1].skipped = true;
  auto s = scenarios({"x", "y"});
  s[0].skipped = true;
  auto runs = plan_runs(v, s, 2);
  EXPECT_EQ(order_text(runs, v, s), "y:A/0 y:C/0 y:A/1 y:C/1 ");
  EXPECT_TRUE(plan_runs(v, s, 0).empty());
}

TEST(Progress, LineShowsRunBarEtaAndLastRun) {
  ProgressState state;
  state.run = 7;
  state.total = 24;
  state.label = "compile-time / insert / round 2";
  state.fraction = 0.42;
  state.eta_s = 190;
  state.last_rps = 11234.4;
  state.last_p99_ms = 4.12;
  EXPECT_EQ(format_progress(state),
            "[ 7/24] compile-time / insert / round 2  ▕████▎     ▏  42%  ETA 3m10s  last: 11234 "
            "rps p99 4.1 ms");
  state.eta_s.reset();
  state.last_rps.reset();
  state.last_p99_ms.reset();
  EXPECT_EQ(format_progress(state), "[ 7/24] compile-time / insert / round 2  ▕████▎     ▏  42%");
}

TEST(Progress, BarAndEta) {
  EXPECT_EQ(progress_bar(0, 4), "▕    ▏");
  EXPECT_EQ(progress_bar(1, 4), "▕████▏");
  EXPECT_EQ(progress_bar(0.5625, 4), "▕██▎ ▏");  // 2.25 cells
  EXPECT_EQ(progress_bar(7, 2), "▕██▏");         // clamped
  EXPECT_EQ(format_eta(45), "45s");
  EXPECT_EQ(format_eta(190), "3m10s");
  EXPECT_EQ(format_eta(3725), "1h02m");
  EXPECT_EQ(format_eta(-3), "0s");
}

TEST(Progress, EtaUsesFinishedRunsOnceThereAreAny) {
  EtaEstimator eta(10);
  EXPECT_DOUBLE_EQ(eta.eta(3, 4), 6 + 30);  // planned length before any run finished
  eta.finished_run(12);
  eta.finished_run(14);
  EXPECT_DOUBLE_EQ(eta.per_run(), 13);
  EXPECT_DOUBLE_EQ(eta.eta(1, 20), 13);  // the current run is late: nothing left of it
}

Sample sample(double t, double service_cpu, double rss, double agent_cpu, uint64_t busy,
              uint64_t total) {
  Sample s;
  s.t_s = t;
  s.service = ProcessSample{service_cpu * 0.75, service_cpu * 0.25, rss};
  if (agent_cpu >= 0) s.agent = ProcessSample{agent_cpu, 0, 20};
  s.system = {busy, total};
  return s;
}

load::Results two_seconds_of_load() {
  load::Results r;
  r.elapsed = std::chrono::seconds(2);
  r.counts.requests = 2010;
  r.counts.responses = 2000;
  r.counts.successes = 1990;
  r.counts.http_errors = 10;
  r.counts.timeouts = 4;
  r.counts.unfinished = 6;
  r.cpu_seconds = 0.9;
  for (uint32_t second = 0; second < 2; ++second) {
    load::Histogram h;
    for (int i = 0; i < 1000; ++i) h.record(static_cast<uint64_t>(1'000'000 * (second + 1)));
    load::SecondStats s;
    s.second = second;
    s.responses = 1000;
    s.vus = 10 * (second + 1);
    s.latency = h.sparse();
    r.seconds.push_back(s);
    r.latency.merge(h);
  }
  return r;
}

TEST(Record, FillsCountsLatencyUsageAndTimeline) {
  // Service: 0.4 s of CPU in the first second, 0.6 s in the second; the machine 50% then 100%.
  std::vector<Sample> samples = {
      sample(0.0, 1.0, 30, 0.5, 100, 1000), sample(0.5, 1.2, 40, 0.55, 150, 1050),
      sample(1.0, 1.4, 50, 0.6, 200, 1100), sample(2.0, 2.0, 45, 0.8, 300, 1200)};
  RunRecord run;
  fill_measurements(run, two_seconds_of_load(), samples, true);
  EXPECT_DOUBLE_EQ(run.duration_s, 2);
  EXPECT_EQ(run.requests, 2010u);
  EXPECT_EQ(run.responses, 2000u);
  EXPECT_EQ(run.errors, 10u);
  EXPECT_EQ(run.timeouts, 4u);
  EXPECT_DOUBLE_EQ(run.throughput_rps, 1000);
  EXPECT_NEAR(run.p50_ms, 1.0, 0.01);
  EXPECT_NEAR(run.p99_ms, 2.0, 0.02);
  EXPECT_NEAR(run.max_ms, 2.0, 0.02);
  EXPECT_NEAR(run.service.cpu_s(), 1.0, 1e-9);
  EXPECT_NEAR(run.service.cpu_user_s, 0.75, 1e-9);
  EXPECT_NEAR(run.service.cpu_system_s, 0.25, 1e-9);
  EXPECT_DOUBLE_EQ(run.service.rss_peak_mib, 50);
  EXPECT_DOUBLE_EQ(run.service.rss_mean_mib, (30 + 40 + 50 + 45) / 4.0);
  ASSERT_TRUE(run.agent.has_value());
  EXPECT_NEAR(run.agent->cpu_s(), 0.3, 1e-9);
  EXPECT_FALSE(run.collector.has_value());
  EXPECT_DOUBLE_EQ(run.load_generator_cpu_s, 0.9);
  EXPECT_DOUBLE_EQ(run.system_cpu_pct, 100.0 * 200 / 200);
  ASSERT_EQ(run.timeline.size(), 2u);
  EXPECT_DOUBLE_EQ(run.timeline[0].t_s, 0);
  EXPECT_DOUBLE_EQ(run.timeline[0].rps, 1000);
  EXPECT_EQ(run.timeline[1].vus, 20u);
  EXPECT_NEAR(run.timeline[0].p50_ms, 1.0, 0.01);
  EXPECT_NEAR(run.timeline[1].p99_ms, 2.0, 0.02);
  EXPECT_NEAR(run.timeline[0].service_cpu_pct, 40, 1e-9);
  EXPECT_NEAR(run.timeline[1].service_cpu_pct, 60, 1e-9);
  EXPECT_NEAR(run.timeline[0].agent_cpu_pct, 10, 1e-9);
  EXPECT_DOUBLE_EQ(run.timeline[0].service_rss_mib, 50);
  EXPECT_DOUBLE_EQ(run.timeline[1].service_rss_mib, 45);
  EXPECT_NEAR(run.timeline[0].system_cpu_pct, 100.0, 1e-9);
}

TEST(Record, TimelineLeavesOutTheDrainSliver) {
  load::Results load = two_seconds_of_load();
  load::SecondStats drain;
  drain.second = 2;
  drain.duration_s = 0.004;
  drain.responses = 20;
  load.seconds.push_back(drain);
  std::vector<Sample> samples = {sample(0, 1, 30, -1, 0, 10), sample(2, 2, 30, -1, 5, 20)};
  RunRecord run;
  fill_measurements(run, load, samples, false);
  EXPECT_EQ(run.timeline.size(), 2u);
}

TEST(Record, NoAgentMeansNoAgentUsage) {
  std::vector<Sample> samples = {sample(0, 1, 30, -1, 0, 10), sample(2, 2, 30, -1, 5, 20)};
  RunRecord run;
  fill_measurements(run, two_seconds_of_load(), samples, false);
  EXPECT_FALSE(run.agent.has_value());
  EXPECT_DOUBLE_EQ(run.timeline[0].agent_cpu_pct, 0);
}

TEST(Dsn, UrlAndKeywordForms) {
  auto url = parse_dsn("postgres://postgres@127.0.0.1:55432/demo?sslmode=disable");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->address.host, "127.0.0.1");
  EXPECT_EQ(url->address.port, 55432);
  EXPECT_EQ(url->user, "postgres");
  EXPECT_EQ(url->database, "demo");
  EXPECT_FALSE(url->tls);
  auto secret = parse_dsn("postgresql://me:pw@[::1]/shop?sslmode=require");
  ASSERT_TRUE(secret);
  EXPECT_EQ(secret->address.host, "::1");
  EXPECT_EQ(secret->address.port, 5432);
  EXPECT_EQ(secret->user, "me");
  EXPECT_TRUE(secret->tls);
  auto keywords = parse_dsn("host=db port=6543 user=app sslmode=disable");
  ASSERT_TRUE(keywords);
  EXPECT_EQ(keywords->address.host, "db");
  EXPECT_EQ(keywords->address.port, 6543);
  EXPECT_EQ(keywords->database, "app");  // defaults to the user, as libpq does
  EXPECT_FALSE(parse_dsn("postgres://h:99999/x"));
}

TEST(Dsn, ClosedPortIsReportedWithItsReason) {
  Dsn dsn;
  dsn.address = {"127.0.0.1", 1};  // nothing listens on port 1
  auto up = postgres_check(dsn, std::chrono::seconds(2));
  ASSERT_FALSE(up);
  EXPECT_NE(up.error().message.find("connect 127.0.0.1:1"), std::string::npos)
      << up.error().message;
}

}  // namespace
}  // namespace goinstr::bench
