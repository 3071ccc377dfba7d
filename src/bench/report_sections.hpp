// SPDX-License-Identifier: Apache-2.0
// The sections of the report, each appended to the document by its own file (report_*.cpp).
#pragma once

#include <string>

#include "bench/report_document.hpp"
#include "bench/results.hpp"

namespace goinstr::bench {

// Build times and, per measured scenario, the matrix tables and (HTML only) its charts.
void add_performance(Document& doc, const BenchResults& results);
// Charts of one scenario: latency over time, CPU and memory per variant.
void add_scenario_figures(Document& doc, const BenchResults& results, const Scenario& scenario);
// The variants' facts (privileges, source and binary changes, Go versions, how) and failures.
void add_facts(Document& doc, const BenchResults& results);
// Skipped variants and scenarios with their reasons; failed runs with theirs.
void add_skipped_and_failed(Document& doc, const BenchResults& results);
void add_method(Document& doc, const BenchResults& results);

// "hello: GET /hello".
std::string scenario_title(const Scenario& scenario);
// How many rounds the runs span (the highest repeat + 1).
int rounds_of(const BenchResults& results);

}  // namespace goinstr::bench
