// SPDX-License-Identifier: Apache-2.0
// Runs a load plan in-process: `goinstr load` is a thin CLI over this, `goinstr bench` can call
// it directly. Single-threaded unless plan.threads > 1; the calling thread is worker 0.
#pragma once

#include <functional>

#include "common/result.hpp"
#include "load/plan.hpp"
#include "load/results.hpp"

namespace goinstr::load {

// Called once a second on the calling thread. Returning false stops the run early: in-flight
// requests are abandoned and counted as unfinished, and the results are still returned.
using ProgressCallback = std::function<bool(const Progress&)>;

// Fails only when the run cannot start (bad plan or URL, unresolvable host, no epoll); failed
// requests are counted in the results, never returned as errors.
Result<Results> run(const Plan& plan, const ProgressCallback& progress = {});

}  // namespace goinstr::load
