// SPDX-License-Identifier: Apache-2.0
// The probe families inspect reports, in report order: each one's hooks (agent/probe_plan.hpp),
// the setting it needs if it is off by default, and the steps of its work that its trap cost
// estimate counts.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "agent/probe_plan.hpp"

namespace goinstr::cli::inspect {

// One step of a family's work per unit (a request, an operation, ...): each time, exactly one site
// of one of its programs is hit. Alternatives (a query or an exec starts an operation) share a
// step.
struct CostStep {
  std::string_view label;
  std::vector<std::string_view> programs;
};

struct Family {
  std::string_view key;
  std::string_view name;
  std::span<const agent::HookSpec> hooks;
  std::string_view only_with;  // the setting that attaches the family, if it is off by default
  std::string_view unit;       // what the cost estimate is per
  std::vector<CostStep> steps;
  std::string_view cost_note;  // hits the steps leave out
};

const std::vector<Family>& families();

}  // namespace goinstr::cli::inspect
