// SPDX-License-Identifier: Apache-2.0
// The report's view of results.json: which variants and scenarios were measured, the runs of one
// variant x scenario, and the metrics of the performance matrix as numbers read from a run.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "bench/results.hpp"
#include "bench/stats.hpp"

namespace goinstr::bench {

// Ratios in the report are relative to the variant with this name.
inline constexpr std::string_view kBaselineVariant = "baseline";

enum class Metric {
  kThroughput,  // responses per second
  kP50,         // latency percentiles and maximum, ms
  kP90,
  kP99,
  kP999,
  kMax,
  kErrors,         // HTTP >= 400 and transport errors
  kServiceCpu,     // % of one core over the run
  kAgentCpu,       // same, runtime agent (absent for other variants)
  kCollectorCpu,   // same, OTLP receiver (absent when the bench cannot see it)
  kCpuPerRequest,  // µs of service + agent CPU per response
  kRssPeak,        // service resident memory, MiB
  kRssMean,
  kAgentRssPeak,  // the agent's own resident memory, MiB (absent for other variants)
};

// The metric's value in one run; nullopt when the run did not measure it.
std::optional<double> metric_value(const RunRecord& run, Metric metric);

using Runs = std::vector<const RunRecord*>;

// Variants and scenarios that were not skipped, in results.json's order.
std::vector<const Variant*> measured_variants(const BenchResults& results);
std::vector<const Scenario*> measured_scenarios(const BenchResults& results);

// The successful (or the failed) runs of one variant x scenario, in the order they ran.
Runs successful_runs(const BenchResults& results, std::string_view variant,
                     std::string_view scenario);
Runs failed_runs(const BenchResults& results, std::string_view variant, std::string_view scenario);

// The metric over runs, skipping runs that did not measure it.
std::vector<double> metric_values(const Runs& runs, Metric metric);
std::optional<Estimate> metric_estimate(const Runs& runs, Metric metric);

// The run whose throughput is the median (the lower middle one for an even count): a real run
// whose timeline stands for the variant in charts. nullptr when there are none.
const RunRecord* median_throughput_run(const Runs& runs);

}  // namespace goinstr::bench
