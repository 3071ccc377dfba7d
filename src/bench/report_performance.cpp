// SPDX-License-Identifier: Apache-2.0
// The performance matrix: per scenario, one row per measured variant, every cell the median over
// the successful repeats with its 95% bootstrap interval; then the same variants relative to the
// baseline. Builds come first: they belong to a variant, not to a scenario.
#include <array>

#include "bench/report_format.hpp"
#include "bench/report_runs.hpp"
#include "bench/report_sections.hpp"

namespace goinstr::bench {
namespace {

struct Column {
  const char* header;
  Metric metric;
  NumberKind kind = NumberKind::kMeasure;
};

constexpr std::array kLatencyColumns = {
    Column{"throughput (rps)", Metric::kThroughput},
    Column{"p50 (ms)", Metric::kP50},
    Column{"p90 (ms)", Metric::kP90},
    Column{"p99 (ms)", Metric::kP99},
    Column{"p99.9 (ms)", Metric::kP999},
    Column{"max (ms)", Metric::kMax},
    Column{"errors", Metric::kErrors, NumberKind::kCount},
};

constexpr std::array kResourceColumns = {
    Column{"service CPU (% of a core)", Metric::kServiceCpu},
    Column{"agent CPU (% of a core)", Metric::kAgentCpu},
    Column{"collector CPU (% of a core)", Metric::kCollectorCpu},
    Column{"CPU per request (µs)", Metric::kCpuPerRequest},
    Column{"RSS peak (MiB)", Metric::kRssPeak},
    Column{"RSS mean (MiB)", Metric::kRssMean},
    // An agent's memory is part of what the service costs, as its CPU is.
    Column{"agent RSS peak (MiB)", Metric::kAgentRssPeak},
};

// Higher throughput is better, lower p99 and CPU per request are: the three the talk compares.
constexpr std::array kRatioColumns = {
    Column{"throughput vs baseline (×)", Metric::kThroughput},
    Column{"p99 vs baseline (×)", Metric::kP99},
    Column{"CPU per request vs baseline (×)", Metric::kCpuPerRequest},
};

// "3", or "2 (+1 failed)": n is what the statistics saw; failures are listed below.
std::string runs_cell(size_t ok, size_t failed) {
  std::string cell = std::to_string(ok);
  if (failed) cell += " (+" + std::to_string(failed) + " failed)";
  return cell;
}

template <size_t N>
Table metric_table(const BenchResults& results, const Scenario& scenario,
                   const std::array<Column, N>& columns, bool with_runs) {
  Table table;
  table.header.push_back("variant");
  if (with_runs) table.header.push_back("n");
  for (const Column& c : columns) table.header.push_back(c.header);
  table.align.assign(table.header.size(), Align::kRight);
  table.align[0] = Align::kLeft;
  for (const Variant* v : measured_variants(results)) {
    const Runs ok = successful_runs(results, v->name, scenario.name);
    std::vector<std::string> row{v->name};
    if (with_runs)
      row.push_back(runs_cell(ok.size(), failed_runs(results, v->name, scenario.name).size()));
    for (const Column& c : columns)
      row.push_back(format_estimate(metric_estimate(ok, c.metric), c.kind));
    table.rows.push_back(std::move(row));
  }
  return table;
}

const Variant* measured_baseline(const BenchResults& results) {
  for (const Variant* v : measured_variants(results))
    if (v->name == kBaselineVariant) return v;
  return nullptr;
}

void add_ratios(Document& doc, const BenchResults& results, const Scenario& scenario) {
  doc.push_back(Heading{4, "Relative to baseline"});
  const Runs base = successful_runs(results, kBaselineVariant, scenario.name);
  if (!measured_baseline(results) || base.empty()) {
    doc.push_back(Paragraph{"No successful baseline run in this scenario, so no ratios."});
    return;
  }
  Table table;
  table.header.push_back("variant");
  for (const Column& c : kRatioColumns) table.header.push_back(c.header);
  table.align.assign(table.header.size(), Align::kRight);
  table.align[0] = Align::kLeft;
  for (const Variant* v : measured_variants(results)) {
    if (v->name == kBaselineVariant) continue;
    const Runs ok = successful_runs(results, v->name, scenario.name);
    std::vector<std::string> row{v->name};
    for (const Column& c : kRatioColumns)
      row.push_back(format_estimate(
          ratio_of_medians_ci(metric_values(ok, c.metric), metric_values(base, c.metric))));
    table.rows.push_back(std::move(row));
  }
  doc.push_back(std::move(table));
}

void add_scenario(Document& doc, const BenchResults& results, const Scenario& scenario) {
  doc.push_back(Heading{3, scenario_title(scenario)});
  doc.push_back(Heading{4, "Throughput and latency"});
  doc.push_back(metric_table(results, scenario, kLatencyColumns, true));
  doc.push_back(Heading{4, "Resources"});
  doc.push_back(metric_table(results, scenario, kResourceColumns, false));
  add_ratios(doc, results, scenario);
  add_scenario_figures(doc, results, scenario);
}

// A variant's build, not a scenario's: how long it took and how large the binary came out
// (compile-time instrumentation links the OpenTelemetry SDK in).
void add_builds(Document& doc, const BenchResults& results) {
  doc.push_back(Heading{3, "Build time and binary size"});
  Table table{{"variant", "builds", "build time (s)", "binary size (MiB)"},
              {Align::kLeft, Align::kRight, Align::kRight, Align::kRight},
              {}};
  for (const Variant* v : measured_variants(results)) {
    if (v->build_seconds.empty() && v->binary_bytes == 0) continue;
    const std::string size = v->binary_bytes
                                 ? format_number(static_cast<double>(v->binary_bytes) / (1 << 20))
                                 : std::string(kNoValue);
    table.rows.push_back({v->name, std::to_string(v->build_seconds.size()),
                          format_estimate(median_ci(v->build_seconds)), size});
  }
  if (table.rows.empty())
    doc.push_back(Paragraph{"No variant recorded a build."});
  else
    doc.push_back(std::move(table));
}

}  // namespace

void add_performance(Document& doc, const BenchResults& results) {
  doc.push_back(Heading{2, "Performance"});
  doc.push_back(Paragraph{
      "Each cell is the median over the successful repeats, with its 95% confidence interval in "
      "brackets (a single number: all repeats agreed, or n=1). n counts the successful repeats. "
      "CPU is a percentage of one core over the run. See Method."});
  add_builds(doc, results);
  for (const Scenario* s : measured_scenarios(results)) add_scenario(doc, results, *s);
}

}  // namespace goinstr::bench
