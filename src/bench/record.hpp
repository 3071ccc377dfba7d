// SPDX-License-Identifier: Apache-2.0
// Turning what one run measured (the load generator's results and the /proc samples of its
// window) into a RunRecord. Pure functions, so they are tested on made-up numbers.
#pragma once

#include <optional>
#include <vector>

#include "bench/results.hpp"
#include "bench/sampler.hpp"
#include "load/results.hpp"

namespace goinstr::bench {

using SampleField = std::optional<ProcessSample> Sample::*;

// CPU between the first and the last sample that saw the process, and its sampled memory.
// Nothing when no sample saw it.
std::optional<ProcessUsage> usage_of(const std::vector<Sample>& samples, SampleField which);

// One point per second of the load run; CPU and memory from the samples around that second.
std::vector<TimelinePoint> timeline_of(const load::Results& load,
                                       const std::vector<Sample>& samples);

// Counts, throughput, latency percentiles, usage and the timeline (not variant, scenario, ok).
void fill_measurements(RunRecord& run, const load::Results& load,
                       const std::vector<Sample>& samples, bool has_agent);

}  // namespace goinstr::bench
