// SPDX-License-Identifier: Apache-2.0
// The order of a bench's runs. Variants are interleaved inside each scenario and the scenarios
// inside each round (round 0: hello A B C D, insert A B C D, ...; round 1: the same again), so a
// drift of the machine over the bench (thermal, a neighbour, the database growing) spreads over
// every variant instead of landing on whichever ran last.
#pragma once

#include <cstddef>
#include <vector>

#include "bench/results.hpp"

namespace goinstr::bench {

struct PlannedRun {
  size_t variant = 0;   // index into the variants
  size_t scenario = 0;  // index into the scenarios
  int repeat = 0;
  int order = 0;  // position in the sequence
};

// Skipped variants and scenarios get no runs.
std::vector<PlannedRun> plan_runs(const std::vector<Variant>& variants,
                                  const std::vector<Scenario>& scenarios, int repeats);

}  // namespace goinstr::bench
