// SPDX-License-Identifier: Apache-2.0
// Reports from fixtures/results.json (2 scenarios; baseline, runtime-agent, compile-time and a
// skipped obi; 3 rounds; one failed run): report.md matches fixtures/report.md, the HTML is
// self-contained with one SVG per chart drawn inside its plot, and names are escaped. After an
// intended change, regenerate with GOINSTR_UPDATE_GOLDEN=1 and review the diff.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "bench/report.hpp"
#include "bench/report_format.hpp"
#include "bench/report_svg.hpp"
#include "bench/stats.hpp"
#include "tests/support/files.hpp"

namespace goinstr::bench {
namespace {

namespace fs = std::filesystem;

const fs::path kFixtures = GOINSTR_BENCH_FIXTURES_DIR;

BenchResults fixture() {
  auto results =
      results_from_json(nlohmann::json::parse(testing::read_file(kFixtures / "results.json")));
  EXPECT_TRUE(results) << results.error().message;
  return results ? *results : BenchResults{};
}

size_t count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// The cells of the first table row starting "| first |" in `section` (up to the next heading
// of the same or a higher level).
std::vector<std::string> row_after(const std::string& md, const std::string& section,
                                   const std::string& first) {
  const size_t from = md.find(section);
  if (from == std::string::npos) return {};
  const std::string level = section.substr(0, section.find(' '));
  size_t to = md.find("\n" + level + " ", from + 1);
  for (std::string higher = level.substr(1); !higher.empty(); higher.pop_back())
    to = std::min(to, md.find("\n" + higher + " ", from + 1));
  const size_t at = md.find("\n| " + first + " |", from);
  if (at == std::string::npos || at > to) return {};
  std::string line = md.substr(at + 1, md.find('\n', at + 1) - at - 1);
  std::vector<std::string> cells;
  std::stringstream ss(line.substr(1));
  for (std::string cell; std::getline(ss, cell, '|');)
    cells.push_back(cell.substr(1, cell.size() - 2));
  return cells;
}

TEST(Report, MarkdownMatchesGolden) {
  const std::string got = render_markdown_report(fixture());
  const fs::path golden = kFixtures / "report.md";
  if (std::getenv("GOINSTR_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(golden, std::ios::binary) << got;
    GTEST_SKIP() << "updated " << golden;
  }
  EXPECT_EQ(got, testing::read_file(golden))
      << "regenerate with GOINSTR_UPDATE_GOLDEN=1 if intended";
}

// baseline / hello p99 over its three runs (1.62, 1.48, 1.71 ms in the fixture), computed here
// from the runs rather than by the report's own aggregation.
TEST(Report, OneCellMatchesIndependentStatistics) {
  const BenchResults results = fixture();
  std::vector<double> p99;
  for (const RunRecord& run : results.runs)
    if (run.variant == "baseline" && run.scenario == "hello" && run.ok) p99.push_back(run.p99_ms);
  ASSERT_EQ(p99.size(), 3u);
  std::vector<double> sorted = p99;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_DOUBLE_EQ(sorted[1], 1.62);
  auto ci = median_ci(p99);
  ASSERT_TRUE(ci);
  EXPECT_DOUBLE_EQ(ci->value, sorted[1]);
  EXPECT_GE(ci->low, sorted.front());
  EXPECT_LE(ci->high, sorted.back());

  const auto row = row_after(render_markdown_report(results), "### hello", "baseline");
  ASSERT_EQ(row.size(), 9u);  // variant, n, throughput, p50, p90, p99, p99.9, max, errors
  EXPECT_EQ(row[1], "3");
  EXPECT_EQ(row[5], format_estimate(ci));
  EXPECT_EQ(row[5].rfind("1.62 [", 0), 0u) << row[5];
}

TEST(Report, FailedRunIsCountedAndListed) {
  const std::string md = render_markdown_report(fixture());
  const auto row = row_after(md, "### insert", "compile-time");
  ASSERT_GE(row.size(), 2u);
  EXPECT_EQ(row[1], "2 (+1 failed)");
  EXPECT_NE(md.find("1 of 18 runs failed"), std::string::npos);
  EXPECT_NE(md.find("- compile-time / insert, round 2 (run 11 of 18): service not ready after 30 "
                    "s: GET http://127.0.0.1:8080/health: connection refused"),
            std::string::npos);
}

TEST(Report, SkippedVariantKeepsItsReason) {
  const BenchResults results = fixture();
  const std::string reason = results.variants.back().skip_reason;
  ASSERT_FALSE(reason.empty());
  EXPECT_NE(render_markdown_report(results).find("- variant obi: " + reason), std::string::npos);
  EXPECT_NE(render_html_report(results).find("<li>variant obi: " + escape_html(reason)),
            std::string::npos);
  // Not measured: no row in the performance tables.
  EXPECT_TRUE(row_after(render_markdown_report(results), "### hello", "obi").empty());
}

TEST(Report, HtmlIsSelfContainedWithOneSvgPerChart) {
  const std::string html = render_html_report(fixture());
  // Per scenario: latency over time, CPU, memory.
  EXPECT_EQ(count(html, "<svg"), 6u);
  EXPECT_EQ(count(html, "</svg>"), 6u);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  // Nothing to fetch: no links to stylesheets, images or fonts.
  for (const char* external : {"<link", "src=", "href=", "url(", "@import"})
    EXPECT_EQ(html.find(external), std::string::npos) << external;
  EXPECT_NE(html.find("<style>"), std::string::npos);
  EXPECT_EQ(html.rfind("</html>\n"), html.size() - 8);
}

// Every line point lies in the plot area (x 64..580, y 40..310) of the line charts.
TEST(Report, LinesStayInsideThePlot) {
  const std::string html = render_html_report(fixture());
  const std::regex polyline("<polyline[^>]* points=\"([^\"]*)\"");
  const std::regex point("([0-9.]+),([0-9.]+)");
  size_t lines = 0, points = 0;
  for (std::sregex_iterator it(html.begin(), html.end(), polyline), end; it != end; ++it) {
    ++lines;
    const std::string pts = (*it)[1];
    for (std::sregex_iterator p(pts.begin(), pts.end(), point); p != end; ++p) {
      ++points;
      const double x = std::stod((*p)[1]), y = std::stod((*p)[2]);
      EXPECT_GE(x, 64);
      EXPECT_LE(x, 580);
      EXPECT_GE(y, 40);
      EXPECT_LE(y, 310);
    }
  }
  EXPECT_EQ(lines, 12u);  // 2 scenarios x 3 variants x (p50, p99)
  EXPECT_EQ(points, 60u);
}

TEST(Report, NamesAreEscaped) {
  BenchResults results;
  results.command = "goinstr bench --out '<out>'";
  results.variants.push_back({"<b>", "", false, "", {}, {"none", false, false, "any", "x & y"}});
  results.variants.push_back({"evil", "", true, "<script>alert(1)</script>", {}, {}});
  results.scenarios.push_back({"hello", "GET", "/hello", false, ""});
  RunRecord run;
  run.variant = "<b>";
  run.scenario = "hello";
  run.duration_s = 1;
  run.responses = 100;
  run.throughput_rps = 100;
  run.timeline.push_back({1, 100, 0.5, 1.5, 1, 50, 10, 60});
  results.runs.push_back(run);

  const std::string html = render_html_report(results);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("'<out>'"), std::string::npos);
  EXPECT_NE(html.find("&lt;b&gt;"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("x &amp; y"), std::string::npos);

  const std::string md = render_markdown_report(results);
  EXPECT_NE(md.find("| \\<b\\> |"), std::string::npos);
  EXPECT_NE(md.find("\\<script\\>alert(1)\\</script\\>"), std::string::npos);
  EXPECT_EQ(escape_markdown("CAP_BPF _x_ a*b"), "CAP_BPF \\_x\\_ a\\*b");
  EXPECT_NE(md.find("goinstr bench --out '<out>'"), std::string::npos) << "verbatim in code";
}

TEST(Report, SingleRunIsAPointAndNothingMeasuredStillRenders) {
  BenchResults results;
  results.variants.push_back({"manual", "", false, "", {}, {}});
  results.scenarios.push_back({"load", "GET", "/load", false, ""});
  results.scenarios.push_back({"insert", "POST", "/log", true, "postgres is not running"});
  RunRecord run;
  run.variant = "manual";
  run.scenario = "load";
  run.duration_s = 2;
  run.p99_ms = 12.345;
  results.runs.push_back(run);

  const std::string md = render_markdown_report(results);
  const auto row = row_after(md, "### load", "manual");
  ASSERT_EQ(row.size(), 9u);
  EXPECT_EQ(row[1], "1");
  EXPECT_EQ(row[5], "12.3");
  EXPECT_NE(md.find("No successful baseline run in this scenario"), std::string::npos);
  EXPECT_NE(md.find("- scenario insert: postgres is not running"), std::string::npos);
  EXPECT_EQ(md.find("### insert"), std::string::npos);

  const std::string nothing = render_html_report(BenchResults{});
  EXPECT_NE(nothing.find("Nothing was skipped."), std::string::npos);
  EXPECT_EQ(nothing.find("<svg"), std::string::npos);
}

TEST(Report, WritesBothFiles) {
  const fs::path dir =
      fs::temp_directory_path() / ("goinstr-report-test-" + std::to_string(getpid()));
  fs::remove_all(dir);
  auto written = write_reports(fixture(), dir / "nested");
  ASSERT_TRUE(written) << written.error().message;
  EXPECT_EQ(testing::read_file(dir / "nested" / "report.md"), render_markdown_report(fixture()));
  EXPECT_EQ(testing::read_file(dir / "nested" / "report.html"), render_html_report(fixture()));
  fs::remove_all(dir);
}

TEST(Format, ThreeSignificantDigits) {
  EXPECT_EQ(format_number(12345), "12300");
  EXPECT_EQ(format_number(1.5), "1.50");
  EXPECT_EQ(format_number(0.000123456), "0.000123");
  EXPECT_EQ(format_number(9.996), "10.0");
  EXPECT_EQ(format_number(3), "3.00");
  EXPECT_EQ(format_count(3), "3");
  EXPECT_EQ(format_count(2.5), "2.50");
  EXPECT_EQ(format_number(0), "0");
  EXPECT_EQ(format_number(-2.345), "-2.35");
  EXPECT_EQ(format_estimate(Estimate{1.5, 1.25, 2, 3}), "1.50 [1.25, 2.00]");
  EXPECT_EQ(format_estimate(Estimate{4, 4, 4, 1}), "4.00");
  EXPECT_EQ(format_estimate(Estimate{0, 0, 2, 3}, NumberKind::kCount), "0 [0, 2]");
  EXPECT_EQ(format_estimate(std::nullopt), "—");
}

TEST(Format, NiceAxisCoversTheData) {
  const Axis a = nice_axis(7.3);
  EXPECT_DOUBLE_EQ(a.step, 2);
  EXPECT_DOUBLE_EQ(a.max, 8);
  const Axis b = nice_axis(0.42);
  EXPECT_DOUBLE_EQ(b.step, 0.1);
  EXPECT_DOUBLE_EQ(b.max, 0.5);
  const Axis empty = nice_axis(0);
  EXPECT_GT(empty.max, 0);
}

}  // namespace
}  // namespace goinstr::bench
