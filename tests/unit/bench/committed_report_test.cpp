// SPDX-License-Identifier: Apache-2.0
// The full-profile report committed under docs/bench-report (docs/benchmarks.md §6) is what
// issue 5 promises: all four variants ran every scenario in at least three rounds, every cell has
// a confidence interval, and report.md and report.html are exactly what the generator makes of
// the committed results.json. After a change to the report's wording, run
// `goinstr bench --report-only --out docs/bench-report` and commit the result.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <regex>
#include <string>

#include "bench/report.hpp"
#include "bench/results.hpp"
#include "tests/support/files.hpp"

namespace goinstr::bench {
namespace {

namespace fs = std::filesystem;

const fs::path kReportDir = GOINSTR_BENCH_REPORT_DIR;
const std::vector<std::string> kVariants = {"baseline", "manual", "runtime-agent", "compile-time"};
const std::vector<std::string> kScenarios = {"hello", "insert", "load"};
constexpr int kMinRounds = 3;

class CommittedReport : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(kReportDir / "results.json")) << kReportDir;
    auto parsed =
        results_from_json(nlohmann::json::parse(testing::read_file(kReportDir / "results.json")));
    ASSERT_TRUE(parsed) << parsed.error().message;
    results_ = std::move(*parsed);
  }
  BenchResults results_;
};

TEST_F(CommittedReport, IsTheFullProfileWithAllFourVariants) {
  EXPECT_EQ(results_.profile, "full");
  for (const auto& name : kVariants) {
    auto v = std::find_if(results_.variants.begin(), results_.variants.end(),
                          [&](const Variant& x) { return x.name == name; });
    ASSERT_NE(v, results_.variants.end()) << name;
    EXPECT_FALSE(v->skipped) << name << ": " << v->skip_reason;
    EXPECT_FALSE(v->build_seconds.empty()) << name;
  }
  for (const auto& name : kScenarios) {
    auto s = std::find_if(results_.scenarios.begin(), results_.scenarios.end(),
                          [&](const Scenario& x) { return x.name == name; });
    ASSERT_NE(s, results_.scenarios.end()) << name;
    EXPECT_FALSE(s->skipped) << name << ": " << s->skip_reason;
  }
}

TEST_F(CommittedReport, EveryVariantRanEveryScenarioInSeveralRounds) {
  std::map<std::pair<std::string, std::string>, int> ok_runs;
  for (const auto& run : results_.runs)
    if (run.ok) ++ok_runs[{run.variant, run.scenario}];
  for (const auto& v : kVariants)
    for (const auto& s : kScenarios) EXPECT_GE((ok_runs[{v, s}]), kMinRounds) << v << " / " << s;
}

TEST_F(CommittedReport, MarkdownAndHtmlAreWhatTheGeneratorWrites) {
  EXPECT_EQ(testing::read_file(kReportDir / "report.md"), render_markdown_report(results_))
      << "regenerate: goinstr bench --report-only --out docs/bench-report";
  EXPECT_EQ(testing::read_file(kReportDir / "report.html"), render_html_report(results_))
      << "regenerate: goinstr bench --report-only --out docs/bench-report";
}

TEST_F(CommittedReport, EveryVariantsThroughputCellHasAnInterval) {
  // "| compile-time | 5 | 17300 [16000, 18600] | 0.594 [0.563, 0.625] |": n, then throughput
  // and p50, each a median with its interval (the build table has one bracketed cell, not two).
  const std::string md = render_markdown_report(results_);
  const std::string cell = " [0-9.]+ \\[[0-9.]+, [0-9.]+\\] \\|";
  for (const auto& v : kVariants) {
    std::regex row("\\n\\| " + v + " \\| [0-9]+ \\|" + cell + cell);
    auto rows =
        std::distance(std::sregex_iterator(md.begin(), md.end(), row), std::sregex_iterator());
    EXPECT_EQ(rows, static_cast<long>(kScenarios.size())) << v;
  }
}

}  // namespace
}  // namespace goinstr::bench
