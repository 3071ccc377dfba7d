// SPDX-License-Identifier: Apache-2.0
#include "bench/report_content.hpp"

#include <algorithm>

#include "bench/report_format.hpp"
#include "bench/report_sections.hpp"

namespace goinstr::bench {
namespace {

std::string or_unknown(const std::string& text) {
  return text.empty() ? "unknown" : text;
}

std::string machine_line(const Machine& m) {
  std::string line = or_unknown(m.cpu_model) + ", " + std::to_string(m.cores) + " cores";
  if (m.memory_gib > 0) line += ", " + format_number(m.memory_gib) + " GiB memory";
  return line + ", Linux " + or_unknown(m.kernel);
}

std::string runs_line(const BenchResults& results) {
  const auto failed = std::count_if(results.runs.begin(), results.runs.end(),
                                    [](const RunRecord& r) { return !r.ok; });
  return std::to_string(results.runs.size()) + " (" + std::to_string(failed) + " failed) in " +
         std::to_string(rounds_of(results)) + " interleaved rounds";
}

void add_header(Document& doc, const BenchResults& results) {
  doc.push_back(Heading{1, "goinstr bench report"});
  doc.push_back(BulletList{{
      "Date: " + or_unknown(results.started_at),
      "Profile: " + or_unknown(results.profile),
      "Machine: " + machine_line(results.machine),
      "Go: " + or_unknown(results.machine.go_version),
      "goinstr: " + or_unknown(results.machine.goinstr_version),
      "Runs: " + runs_line(results),
      "Command:",
  }});
  doc.push_back(CodeBlock{or_unknown(results.command)});
}

}  // namespace

std::string scenario_title(const Scenario& scenario) {
  std::string request = scenario.method;
  if (!scenario.path.empty()) request += (request.empty() ? "" : " ") + scenario.path;
  return request.empty() ? scenario.name : scenario.name + ": " + request;
}

int rounds_of(const BenchResults& results) {
  int rounds = 0;
  for (const RunRecord& run : results.runs) rounds = std::max(rounds, run.repeat + 1);
  return rounds;
}

Document build_report(const BenchResults& results) {
  Document doc;
  add_header(doc, results);
  add_performance(doc, results);
  add_facts(doc, results);
  add_skipped_and_failed(doc, results);
  add_method(doc, results);
  return doc;
}

}  // namespace goinstr::bench
