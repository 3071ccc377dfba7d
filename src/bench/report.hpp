// SPDX-License-Identifier: Apache-2.0
// The report of a bench run: report.md (the talk's comparison matrix with medians and 95%
// confidence intervals, and the facts on stability, security and portability) and report.html
// (the same tables plus charts as inline SVG: no network, no scripts), from results.json alone.
#pragma once

#include <filesystem>
#include <string>

#include "bench/results.hpp"
#include "common/result.hpp"

namespace goinstr::bench {

// Writes OUT/report.md and OUT/report.html (results.json is the runner's).
Result<> write_reports(const BenchResults& results, const std::filesystem::path& out_dir);

// The two files' contents, for tests and for re-reporting without writing.
std::string render_markdown_report(const BenchResults& results);
std::string render_html_report(const BenchResults& results);

}  // namespace goinstr::bench
