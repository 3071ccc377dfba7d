// SPDX-License-Identifier: Apache-2.0
// The charts of one scenario: latency over time (one line per variant, from its median-throughput
// repeat), CPU and memory per variant (medians with 95% whiskers). A variant keeps its color in
// every chart.
#include <array>

#include "bench/report_format.hpp"
#include "bench/report_runs.hpp"
#include "bench/report_sections.hpp"
#include "bench/report_svg.hpp"

namespace goinstr::bench {
namespace {

// Okabe-Ito: distinguishable with the common color-vision deficiencies, and in print.
constexpr std::array<const char*, 8> kVariantColors = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                                       "#E69F00", "#56B4E9", "#000000", "#999999"};
constexpr const char* kNeutral = "#555555";

std::string variant_color(size_t index) {
  return kVariantColors[index % kVariantColors.size()];
}

LineSeries timeline_series(const RunRecord& run, const std::string& color, bool p99) {
  LineSeries s{run.variant + (p99 ? " p99" : " p50") + ", round " + std::to_string(run.repeat + 1),
               color,
               !p99,
               {}};
  for (const TimelinePoint& p : run.timeline)
    s.points.push_back({p.t_s, p99 ? p.p99_ms : p.p50_ms});
  return s;
}

std::optional<Figure> latency_figure(const BenchResults& results, const Scenario& scenario) {
  LineChart chart{scenario.name + ": latency over time (median-throughput run)",
                  "time (s)",
                  "latency (ms)",
                  {},
                  {}};
  const auto variants = measured_variants(results);
  for (size_t i = 0; i < variants.size(); ++i) {
    const RunRecord* run =
        median_throughput_run(successful_runs(results, variants[i]->name, scenario.name));
    if (!run || run->timeline.empty()) continue;
    chart.series.push_back(timeline_series(*run, variant_color(i), true));
    chart.series.push_back(timeline_series(*run, variant_color(i), false));
    chart.legend.push_back({variants[i]->name, variant_color(i), false});
  }
  if (chart.series.empty()) return std::nullopt;
  chart.legend.push_back({"p99 (solid)", kNeutral, false});
  chart.legend.push_back({"p50 (dashed)", kNeutral, true});
  return Figure{render_line_chart(chart)};
}

// One bar series of a metric across the variants; nullopt when no variant measured it (no agent
// anywhere: no agent bars, not a row of empty slots in the legend).
std::optional<BarSeries> metric_series(const BenchResults& results, const Scenario& scenario,
                                       Metric metric, std::string label, std::string color) {
  BarSeries s{std::move(label), std::move(color), {}};
  bool any = false;
  for (const Variant* v : measured_variants(results)) {
    s.values.push_back(metric_estimate(successful_runs(results, v->name, scenario.name), metric));
    any = any || s.values.back().has_value();
  }
  if (!any) return std::nullopt;
  return s;
}

struct SeriesSpec {
  Metric metric;
  const char* label;
  const char* color;
};

template <size_t N>
Figure bar_figure(const BenchResults& results, const Scenario& scenario, std::string title,
                  std::string y_label, const std::array<SeriesSpec, N>& specs) {
  BarChart chart{std::move(title), std::move(y_label), {}, {}};
  for (const Variant* v : measured_variants(results)) chart.groups.push_back(v->name);
  for (const SeriesSpec& spec : specs)
    if (auto s = metric_series(results, scenario, spec.metric, spec.label, spec.color))
      chart.series.push_back(std::move(*s));
  return Figure{render_bar_chart(chart)};
}

constexpr std::array kCpuSeries = {
    SeriesSpec{Metric::kServiceCpu, "service", "#0072B2"},
    SeriesSpec{Metric::kAgentCpu, "agent", "#E69F00"},
    SeriesSpec{Metric::kCollectorCpu, "collector", "#999999"},
};

constexpr std::array kMemorySeries = {
    SeriesSpec{Metric::kRssPeak, "RSS peak", "#009E73"},
    SeriesSpec{Metric::kRssMean, "RSS mean", "#56B4E9"},
    SeriesSpec{Metric::kAgentRssPeak, "agent RSS peak", "#E69F00"},
};

}  // namespace

void add_scenario_figures(Document& doc, const BenchResults& results, const Scenario& scenario) {
  if (auto latency = latency_figure(results, scenario)) doc.push_back(std::move(*latency));
  doc.push_back(bar_figure(results, scenario, scenario.name + ": CPU per variant (median, 95% CI)",
                           "CPU (% of one core)", kCpuSeries));
  doc.push_back(bar_figure(results, scenario,
                           scenario.name + ": memory per variant (median, 95% CI)", "memory (MiB)",
                           kMemorySeries));
}

}  // namespace goinstr::bench
