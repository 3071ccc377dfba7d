// SPDX-License-Identifier: Apache-2.0
// The report's content, built once from results.json for both renderers: the header (machine,
// profile, command, date), the performance matrix per scenario with medians, 95% intervals and
// ratios against the baseline, the facts on stability, security and portability, what was
// skipped and what failed (with the exact reasons), and the method.
#pragma once

#include "bench/report_document.hpp"
#include "bench/results.hpp"

namespace goinstr::bench {

Document build_report(const BenchResults& results);

}  // namespace goinstr::bench
