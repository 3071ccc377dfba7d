// SPDX-License-Identifier: Apache-2.0
// The cost estimate of one family (cost.hpp), counted by site class: emulated, single-stepped or
// other.
#include "cli/inspect/cost.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace goinstr::cli::inspect {

using nlohmann::json;

// Per unit of work, one hit per step, on the costliest site any of the step's hooks resolved to.
json family_cost_json(const Family& f, const json& fam) {
  json j = {{"family", f.key}, {"unit", f.unit}, {"status", fam["status"]}};
  j["only_with"] = fam["only_with"];
  if (fam["status"] != "on") return j;
  json steps = json::array();
  int emulated = 0, single_stepped = 0, other = 0;
  double total = 0;
  for (const CostStep& step : f.steps) {
    std::optional<json> worst;
    for (const json& h : fam["hooks"]) {
      if (h["status"] != "resolved") continue;
      if (std::find(step.programs.begin(), step.programs.end(), h["program"].get<std::string>()) ==
          step.programs.end())
        continue;
      for (const json& s : h["sites"])
        if (!worst || s["cost_us"].get<double>() > (*worst)["cost_us"].get<double>()) worst = s;
    }
    if (!worst) continue;  // an optional step this binary lacks: no hit
    std::string cls = (*worst)["class"];
    (cls == "emulated" ? emulated : cls == "single-stepped" ? single_stepped : other)++;
    total += (*worst)["cost_us"].get<double>();
    steps.push_back({{"step", step.label}, {"class", cls}, {"cost_us", (*worst)["cost_us"]}});
  }
  j["steps"] = steps;
  j["hits"] = steps.size();
  j["emulated"] = emulated;
  j["single_stepped"] = single_stepped;
  if (other) j["other"] = other;
  j["cost_us"] = total;
  if (!f.cost_note.empty()) j["note"] = f.cost_note;
  return j;
}

}  // namespace goinstr::cli::inspect
