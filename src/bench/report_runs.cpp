// SPDX-License-Identifier: Apache-2.0
#include "bench/report_runs.hpp"

#include <algorithm>

namespace goinstr::bench {
namespace {

// CPU time as a share of one core over the run: comparable across runs of different lengths.
std::optional<double> percent_of_core(double cpu_s, double duration_s) {
  if (duration_s <= 0) return std::nullopt;
  return cpu_s / duration_s * 100.0;
}

std::optional<double> usage_percent(const std::optional<ProcessUsage>& usage, double duration_s) {
  if (!usage) return std::nullopt;
  return percent_of_core(usage->cpu_s(), duration_s);
}

Runs runs_where(const BenchResults& results, std::string_view variant, std::string_view scenario,
                bool ok) {
  Runs out;
  for (const RunRecord& run : results.runs)
    if (run.variant == variant && run.scenario == scenario && run.ok == ok) out.push_back(&run);
  std::stable_sort(out.begin(), out.end(),
                   [](const RunRecord* a, const RunRecord* b) { return a->order < b->order; });
  return out;
}

}  // namespace

std::optional<double> metric_value(const RunRecord& run, Metric metric) {
  switch (metric) {
    case Metric::kThroughput:
      return run.throughput_rps;
    case Metric::kP50:
      return run.p50_ms;
    case Metric::kP90:
      return run.p90_ms;
    case Metric::kP99:
      return run.p99_ms;
    case Metric::kP999:
      return run.p999_ms;
    case Metric::kMax:
      return run.max_ms;
    case Metric::kErrors:
      return static_cast<double>(run.errors);
    case Metric::kServiceCpu:
      return percent_of_core(run.service.cpu_s(), run.duration_s);
    case Metric::kAgentCpu:
      return usage_percent(run.agent, run.duration_s);
    case Metric::kCollectorCpu:
      return usage_percent(run.collector, run.duration_s);
    case Metric::kCpuPerRequest:
      if (run.responses == 0) return std::nullopt;
      return run.cpu_per_request_us();
    case Metric::kRssPeak:
      return run.service.rss_peak_mib;
    case Metric::kRssMean:
      return run.service.rss_mean_mib;
    case Metric::kAgentRssPeak:
      if (!run.agent) return std::nullopt;
      return run.agent->rss_peak_mib;
  }
  return std::nullopt;
}

std::vector<const Variant*> measured_variants(const BenchResults& results) {
  std::vector<const Variant*> out;
  for (const Variant& v : results.variants)
    if (!v.skipped) out.push_back(&v);
  return out;
}

std::vector<const Scenario*> measured_scenarios(const BenchResults& results) {
  std::vector<const Scenario*> out;
  for (const Scenario& s : results.scenarios)
    if (!s.skipped) out.push_back(&s);
  return out;
}

Runs successful_runs(const BenchResults& results, std::string_view variant,
                     std::string_view scenario) {
  return runs_where(results, variant, scenario, true);
}

Runs failed_runs(const BenchResults& results, std::string_view variant, std::string_view scenario) {
  return runs_where(results, variant, scenario, false);
}

std::vector<double> metric_values(const Runs& runs, Metric metric) {
  std::vector<double> out;
  for (const RunRecord* run : runs)
    if (auto value = metric_value(*run, metric)) out.push_back(*value);
  return out;
}

std::optional<Estimate> metric_estimate(const Runs& runs, Metric metric) {
  return median_ci(metric_values(runs, metric));
}

const RunRecord* median_throughput_run(const Runs& runs) {
  if (runs.empty()) return nullptr;
  Runs sorted = runs;
  std::stable_sort(sorted.begin(), sorted.end(), [](const RunRecord* a, const RunRecord* b) {
    return a->throughput_rps < b->throughput_rps;
  });
  return sorted[(sorted.size() - 1) / 2];
}

}  // namespace goinstr::bench
