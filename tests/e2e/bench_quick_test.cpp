// SPDX-License-Identifier: Apache-2.0
// `goinstr bench --quick` end to end with the baseline and the runtime agent, against the real
// Jaeger and Postgres that scripts/services.sh starts: it must build both, run every scenario in
// interleaved rounds, measure the service and the agent, and leave a results.json that reads back.
// With Postgres up the insert scenario must run; without a usable one it must be skipped with the
// reason. The report must name both variants with intervals and work offline. Needs root (the
// agent's uprobes); skips without it.
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>

#include "bench/results.hpp"
#include "tests/support/net.hpp"
#include "tests/support/process.hpp"

namespace goinstr::e2e {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

const std::vector<std::string> kVariants = {"baseline", "runtime-agent"};

// Runs the bench once for every test of this file and keeps what it wrote.
class BenchQuick : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (geteuid() != 0) return;
    out_ = fs::temp_directory_path() / ("goinstr-bench-e2e-" + std::to_string(getpid()));
    testing::SubprocessOptions options;
    options.cwd = GOINSTR_SOURCE_DIR;
    auto bench = testing::Subprocess::spawn(
        {std::string(GOINSTR_BINARY_DIR) + "/goinstr", "bench", "--quick", "--variants",
         "baseline,runtime-agent", "--out", out_.string()},
        options);
    if (!bench) {
      log_ = "cannot start goinstr: " + bench.error().message;
      return;
    }
    exit_code_ = bench->wait(600s);
    log_ = bench->describe();
    std::ifstream in(out_ / "results.json");
    if (!in) return;
    auto parsed = bench::results_from_json(nlohmann::json::parse(in, nullptr, false));
    if (parsed) results_ = std::move(*parsed);
  }

  static void TearDownTestSuite() {
    std::error_code ec;
    if (!out_.empty()) fs::remove_all(out_, ec);
  }

  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root (the runtime agent's uprobes); CI runs as root";
    ASSERT_TRUE(testing::wait_for_tcp_port("127.0.0.1", 4318, 5s))
        << "Jaeger is not running: scripts/services.sh start-jaeger";
    ASSERT_EQ(exit_code_, std::optional<int>(0)) << log_;
    ASSERT_TRUE(results_.has_value()) << "no readable results.json in " << out_ << "\n" << log_;
  }

  static const bench::Scenario* scenario(const std::string& name) {
    for (const auto& s : results_->scenarios)
      if (s.name == name) return &s;
    return nullptr;
  }

  static inline fs::path out_;
  static inline std::optional<int> exit_code_;
  static inline std::string log_;
  static inline std::optional<bench::BenchResults> results_;
};

TEST_F(BenchQuick, BothVariantsWereBuiltAndRan) {
  EXPECT_EQ(results_->profile, "quick");
  EXPECT_EQ(results_->machine.cores, sysconf(_SC_NPROCESSORS_ONLN));
  EXPECT_NE(results_->machine.go_version.find("go1."), std::string::npos);
  ASSERT_EQ(results_->variants.size(), 2u);
  for (size_t i = 0; i < kVariants.size(); ++i) {
    const auto& v = results_->variants[i];
    EXPECT_EQ(v.name, kVariants[i]);
    EXPECT_FALSE(v.skipped) << v.name << ": " << v.skip_reason;
    EXPECT_EQ(v.build_seconds.size(), 1u) << v.name;
    EXPECT_GT(v.binary_bytes, 1u << 20) << v.name;
  }
  EXPECT_EQ(results_->variants[1].facts.privileges, "root (CAP_BPF, CAP_PERFMON)");
  const bench::Scenario* hello = scenario("hello");
  ASSERT_NE(hello, nullptr);
  EXPECT_FALSE(hello->skipped) << hello->skip_reason;
  ASSERT_NE(scenario("load"), nullptr);
  EXPECT_FALSE(scenario("load")->skipped);
}

TEST_F(BenchQuick, EveryRunMeasuredTheServiceAndTheAgent) {
  ASSERT_FALSE(results_->runs.empty());
  for (const auto& run : results_->runs) {
    SCOPED_TRACE(run.variant + " / " + run.scenario + " / round " + std::to_string(run.repeat + 1));
    EXPECT_TRUE(run.ok) << run.failure;
    EXPECT_GT(run.responses, 0u);
    if (run.scenario == "hello") {
      EXPECT_EQ(run.errors, 0u);
    }
    EXPECT_GT(run.throughput_rps, 0);
    EXPECT_GT(run.p99_ms, 0);
    EXPECT_GE(run.max_ms, run.p99_ms);
    EXPECT_GT(run.service.cpu_s(), 0);
    EXPECT_GT(run.service.rss_peak_mib, 1);
    EXPECT_GT(run.load_generator_cpu_s, 0);
    EXPECT_GT(run.system_cpu_pct, 0);
    EXPECT_GE(run.timeline.size(), 3u);
    if (run.variant == "runtime-agent") {
      ASSERT_TRUE(run.agent.has_value());
      EXPECT_GT(run.agent->cpu_s(), 0);
      EXPECT_GT(run.agent->rss_peak_mib, 1);
    } else {
      EXPECT_FALSE(run.agent.has_value());
    }
  }
}

TEST_F(BenchQuick, RunsAreInterleavedRoundByRound) {
  // Round r: for each scenario that ran, baseline then runtime-agent.
  std::vector<std::string> ran_scenarios;
  for (const auto& s : results_->scenarios)
    if (!s.skipped) ran_scenarios.push_back(s.name);
  std::vector<std::string> expected;
  for (int round = 0; round < 2; ++round)
    for (const auto& s : ran_scenarios)
      for (const auto& v : kVariants) expected.push_back(std::to_string(round) + " " + s + " " + v);
  std::vector<std::string> actual;
  int previous_order = -1;
  for (const auto& run : results_->runs) {
    actual.push_back(std::to_string(run.repeat) + " " + run.scenario + " " + run.variant);
    EXPECT_GT(run.order, previous_order);
    previous_order = run.order;
  }
  EXPECT_EQ(actual, expected);
}

TEST_F(BenchQuick, InsertRanOrSaysWhyNot) {
  const bench::Scenario* insert = scenario("insert");
  ASSERT_NE(insert, nullptr);
  // CI starts Postgres (scripts/services.sh): there the scenario must run, not be skipped.
  const bool postgres_up = testing::wait_for_tcp_port("127.0.0.1", 55432, 1s);
  if (insert->skipped) {
    EXPECT_FALSE(postgres_up) << "Postgres listens on 55432 but insert was skipped: "
                              << insert->skip_reason;
    // Postgres is down or refuses sessions: the bench must say so, and still run the scenarios
    // that do not need it.
    EXPECT_NE(insert->skip_reason.find("database"), std::string::npos) << insert->skip_reason;
    std::cerr << "note: insert was skipped: " << insert->skip_reason << "\n";
    return;
  }
  int runs = 0;
  for (const auto& run : results_->runs) {
    if (run.scenario != "insert") continue;
    ++runs;
    EXPECT_EQ(run.errors, 0u) << run.variant << ": every INSERT must succeed";
  }
  EXPECT_EQ(runs, 4);
}

TEST_F(BenchQuick, ReportsNameBothVariantsWithIntervals) {
  std::ifstream md_in(out_ / "report.md");
  std::string md((std::istreambuf_iterator<char>(md_in)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(md.empty()) << "no report.md in " << out_;
  EXPECT_NE(md.find("| runtime-agent | 2 | "), std::string::npos) << md;
  EXPECT_NE(md.find("| baseline | 2 | "), std::string::npos) << md;
  EXPECT_NE(md.find("### hello: GET /hello"), std::string::npos);
  std::ifstream html_in(out_ / "report.html");
  std::string html((std::istreambuf_iterator<char>(html_in)), std::istreambuf_iterator<char>());
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos) << "the report must work offline";
  // Offline: nothing to fetch. The only URL is the SVG namespace, which is a name, not a fetch.
  EXPECT_EQ(html.find("src=\""), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_TRUE(fs::exists(out_ / "logs"));
}

}  // namespace
}  // namespace goinstr::e2e
