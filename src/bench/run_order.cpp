// SPDX-License-Identifier: Apache-2.0
#include "bench/run_order.hpp"

namespace goinstr::bench {

std::vector<PlannedRun> plan_runs(const std::vector<Variant>& variants,
                                  const std::vector<Scenario>& scenarios, int repeats) {
  std::vector<PlannedRun> runs;
  for (int repeat = 0; repeat < repeats; ++repeat) {
    for (size_t s = 0; s < scenarios.size(); ++s) {
      if (scenarios[s].skipped) continue;
      for (size_t v = 0; v < variants.size(); ++v) {
        if (variants[v].skipped) continue;
        runs.push_back({v, s, repeat, static_cast<int>(runs.size())});
      }
    }
  }
  return runs;
}

}  // namespace goinstr::bench
