// SPDX-License-Identifier: Apache-2.0
// One run: a fresh service process, the variant's attach-style tool if it has one, a readiness
// check, the load profile with /proc sampling alongside, then the tool and the service stopped.
#pragma once

#include <string>

#include "bench/config.hpp"
#include "bench/results.hpp"
#include "bench/setup.hpp"
#include "load/run.hpp"

namespace goinstr::bench {

struct RunRequest {
  const VariantConfig* variant = nullptr;
  const ScenarioConfig* scenario = nullptr;
  int repeat = 0;
  int order = 0;
};

struct RunAttempt {
  RunRecord record;
  // The service or the tool never became ready, so nothing was measured (record.failure says
  // why). The first time this happens to a variant, the variant is skipped instead.
  bool setup_failed = false;
  // Stopped by the user part way: not a result of the variant, so not recorded.
  bool interrupted = false;
};

RunAttempt run_one(const BenchSetup& setup, const RunRequest& request,
                   const load::ProgressCallback& progress);

}  // namespace goinstr::bench
