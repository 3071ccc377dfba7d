// SPDX-License-Identifier: Apache-2.0
// What the talk's matrix says besides speed: what each variant needs (privileges), changes
// (source, binary) and supports (Go versions), how reliably it ran here, and what could not run.
#include <algorithm>

#include "bench/report_format.hpp"
#include "bench/report_sections.hpp"

namespace goinstr::bench {
namespace {

std::string yes_no(bool value) {
  return value ? "yes" : "no";
}
std::string or_none(const std::string& text) {
  return text.empty() ? std::string(kNoValue) : text;
}

// Failures are the measured part of stability: "0 of 6", or "skipped" for a variant never run.
std::string failures_cell(const BenchResults& results, const Variant& variant) {
  if (variant.skipped) return "skipped";
  size_t runs = 0, failed = 0;
  for (const RunRecord& run : results.runs) {
    if (run.variant != variant.name) continue;
    ++runs;
    if (!run.ok) ++failed;
  }
  return std::to_string(failed) + " of " + std::to_string(runs);
}

std::string failed_run_line(const RunRecord& run, size_t total) {
  return run.variant + " / " + run.scenario + ", round " + std::to_string(run.repeat + 1) +
         " (run " + std::to_string(run.order + 1) + " of " + std::to_string(total) +
         "): " + or_none(run.failure);
}

void add_skipped(Document& doc, const BenchResults& results) {
  doc.push_back(Heading{2, "Skipped"});
  BulletList list;
  for (const Variant& v : results.variants)
    if (v.skipped) list.items.push_back("variant " + v.name + ": " + or_none(v.skip_reason));
  for (const Scenario& s : results.scenarios)
    if (s.skipped) list.items.push_back("scenario " + s.name + ": " + or_none(s.skip_reason));
  if (list.items.empty())
    doc.push_back(Paragraph{"Nothing was skipped."});
  else
    doc.push_back(std::move(list));
}

void add_failed(Document& doc, const BenchResults& results) {
  doc.push_back(Heading{2, "Failed runs"});
  std::vector<const RunRecord*> failed;
  for (const RunRecord& run : results.runs)
    if (!run.ok) failed.push_back(&run);
  std::stable_sort(failed.begin(), failed.end(),
                   [](const RunRecord* a, const RunRecord* b) { return a->order < b->order; });
  const size_t total = results.runs.size();
  doc.push_back(Paragraph{std::to_string(failed.size()) + " of " + std::to_string(total) +
                          " runs failed. Failed runs are left out of every statistic above."});
  BulletList list;
  for (const RunRecord* run : failed) list.items.push_back(failed_run_line(*run, total));
  if (!list.items.empty()) doc.push_back(std::move(list));
}

}  // namespace

void add_facts(Document& doc, const BenchResults& results) {
  doc.push_back(Heading{2, "Stability, security, portability"});
  doc.push_back(Paragraph{
      "What each variant needs and changes, as configured for this bench, and how many of its "
      "runs failed here."});
  Table table{{"variant", "privileges", "modifies source", "modifies binary", "Go versions", "how",
               "failed runs"},
              {},
              {}};
  for (const Variant& v : results.variants) {
    const VariantFacts& f = v.facts;
    table.rows.push_back({v.name, or_none(f.privileges), yes_no(f.modifies_source),
                          yes_no(f.modifies_binary), or_none(f.go_versions), or_none(f.how),
                          failures_cell(results, v)});
  }
  doc.push_back(std::move(table));
}

void add_skipped_and_failed(Document& doc, const BenchResults& results) {
  add_skipped(doc, results);
  add_failed(doc, results);
}

}  // namespace goinstr::bench
