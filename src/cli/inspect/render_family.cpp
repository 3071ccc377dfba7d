// SPDX-License-Identifier: Apache-2.0
// One family in the human output: its status and reason, then each hook with its function, its
// probe sites and what a call costs there.
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/inspect/render_parts.hpp"

namespace goinstr::cli::inspect {
namespace {

using nlohmann::json;

void print_site_line(const char* label, const json& s) {
  std::printf("    %-12s +%llu at %s (file offset %s): %s\n", label,
              static_cast<unsigned long long>(s["func_offset"].get<uint64_t>()),
              hex(s["vaddr"]).c_str(), hex(s["file_offset"]).c_str(),
              s["insn"].get<std::string>().c_str());
}

void print_plan_hook(const json& h) {
  std::string kind = h["kind"];
  std::string where = kind == "entry"     ? "entry"
                      : kind == "returns" ? "every RET"
                      : kind == "call_to" ? "each call of " + str(h["callee"])
                                          : "first branch after the call of " + str(h["callee"]);
  std::printf("  %s  [%s, %s%s]\n", str(h["symbol"]).c_str(), str(h["program"]).c_str(),
              where.c_str(), h["optional"].get<bool>() ? ", optional" : "");
  std::printf("    purpose      %s\n", str(h["purpose"]).c_str());
  if (h["found"].get<bool>()) {
    uint64_t entry = h["entry"], end = h["end"];
    std::printf("    function     %s..%s (%llu bytes)\n", hex(entry).c_str(), hex(end).c_str(),
                static_cast<unsigned long long>(end - entry));
  }
  if (h["status"] == "absent") {
    std::printf("    absent       %s (optional: a note, the family works without it)\n",
                str(h["error"]).c_str());
    return;
  }
  if (h["status"] == "missing") {
    std::printf("    MISSING      %s (required: this family cannot be traced)\n",
                str(h["error"]).c_str());
    return;
  }
  const json& sites = h["sites"];
  if (kind == "entry" || kind == "branch_after_call") {
    const json& s = sites[0];
    print_site_line("site", s);
    std::printf("                 %s, ~%.1f us per hit; %s\n", str(s["class"]).c_str(),
                s["cost_us"].get<double>(), str(s["reason"]).c_str());
    if (h.contains("entry0_plus_ret_cost_us"))
      std::printf("    per call     ~%.1f us here; ~%.1f us for entry(+0)+RET probes\n",
                  h["cost_us_per_call"].get<double>(), h["entry0_plus_ret_cost_us"].get<double>());
    return;
  }
  // Several sites, one of which each call hits.
  size_t single = 0;
  for (const json& s : sites) single += s["class"] == "single-stepped";
  std::string classes = single == sites.size() ? "each single-stepped"
                        : single == 0          ? "each " + str(sites[0]["class"])
                                               : std::to_string(single) + " single-stepped";
  std::printf("    %-12s %zu, one hit per %s, %s (~%.1f us per hit)\n",
              kind == "returns" ? "RET sites" : "call sites", sites.size(),
              kind == "returns" ? "call" : "execution", classes.c_str(),
              h["cost_us_per_call"].get<double>());
  for (const json& s : sites) print_site_line("", s);
}

}  // namespace

void print_family(const json& f) {
  std::string status = f["status"];
  if (status == "on" && !f["only_with"].is_null()) status = "available";
  std::printf("\n%s%s: %s\n", str(f["name"]).c_str(),
              f["only_with"].is_null() ? "" : " (only with trace_headers)", status.c_str());
  if (f.contains("reason"))
    std::printf("  %s: %s\n", status == "absent" ? "note" : "why", str(f["reason"]).c_str());
  if (status == "absent") return;
  for (const json& h : f["hooks"]) print_plan_hook(h);
}

}  // namespace goinstr::cli::inspect
