// SPDX-License-Identifier: Apache-2.0
// The two summary sections of the human output: the facts about the binary (with this machine's
// lockdown mode) and the trap cost estimate of each family.
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/inspect/render_parts.hpp"

namespace goinstr::cli::inspect {

using nlohmann::json;

void print_facts(const json& r) {
  const json& f = r["facts"];
  std::string drivers;
  for (const json& d : f["sql_drivers"]) drivers += (drivers.empty() ? "" : ", ") + str(d);
  std::printf("\nfacts\n");
  std::printf("  SQL drivers    %s -> db.system.name %s\n",
              drivers.empty() ? "none known" : drivers.c_str(), str(f["db_system_name"]).c_str());
  const json& e = f["error_types"];
  std::printf("  error types    %zu known, %zu with readable messages%s%s\n",
              e["known"].get<size_t>(), e["readable_messages"].get<size_t>(),
              e.contains("note") ? "; " : "", e.contains("note") ? str(e["note"]).c_str() : "");
  const json& g = f["goroutine_handoff"];
  if (g["parent_goid"].get<bool>()) {
    std::printf("  goroutines     runtime.g.parentGoid at %llu (%s): hand-off followed\n",
                static_cast<unsigned long long>(g["offset"].get<uint64_t>()),
                str(g["source"]).c_str());
  } else {
    std::printf("  goroutines     %s: hand-off not followed\n", str(g["note"]).c_str());
  }
  const json& t = f["traceparent_injection"];
  if (t["possible"].get<bool>()) {
    std::printf(
        "  traceparent    injection possible (bufio.Writer itab %s, not PIE), only with "
        "trace_headers\n",
        hex(t["bufio_writer_itab"]).c_str());
  } else {
    std::string why;
    for (const json& w : t["reasons"]) why += (why.empty() ? "" : "; ") + str(w);
    std::printf("  traceparent    injection not possible: %s\n", why.c_str());
  }
  std::string here = t["lockdown_here"].is_null() ? "unknown"
                     : t["lockdown_here"] == "none"
                         ? "none"
                         : str(t["lockdown_here"]) + ", so this machine refuses the write";
  std::printf("                 %s;\n                 lockdown here: %s\n",
              str(t["kernel"]).c_str(), here.c_str());
}

void print_costs(const json& r) {
  const json& c = r["cost_estimate"];
  std::printf(
      "\ncost estimate (trap cost only: emulated ~0.5 us, single-stepped ~9.5 us per hit;\n"
      "               BPF program time is measured separately, docs/benchmarks.md)\n");
  size_t i = 0;
  for (const json& fc : c["families"]) {
    const json& fam = r["families"][i++];
    std::string name = str(fam["name"]);
    if (fc["status"] != "on") {
      std::printf("  %-22s none: family %s\n", name.c_str(), str(fc["status"]).c_str());
      continue;
    }
    size_t hits = fc["hits"], emu = fc["emulated"], ss = fc["single_stepped"];
    std::string split;
    if (emu) split += std::to_string(emu) + " emulated";
    if (ss) split += (split.empty() ? "" : ", ") + std::to_string(ss) + " single-stepped";
    std::printf("  %-22s ~%.1f us per %s%s: %zu hit%s (%s)\n", name.c_str(),
                fc["cost_us"].get<double>(), str(fc["unit"]).c_str(),
                fc["only_with"].is_null() ? "" : " with trace_headers", hits, hits == 1 ? "" : "s",
                split.c_str());
    std::string steps;
    for (const json& s : fc["steps"])
      steps += (steps.empty() ? "" : " + ") + str(s["step"]) + " (" + str(s["class"]) + ")";
    std::printf("  %-22s = %s\n", "", steps.c_str());
    if (fc.contains("note")) std::printf("  %-22s   %s\n", "", str(fc["note"]).c_str());
  }
}

}  // namespace goinstr::cli::inspect
