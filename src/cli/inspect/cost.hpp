// SPDX-License-Identifier: Apache-2.0
// A family's trap cost per unit of work (a request, an operation, ...): one hit per step of the
// family table (families.hpp), each on the costliest site the step's hooks resolved to.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "cli/inspect/families.hpp"

namespace goinstr::cli::inspect {

// `fam` is the family's status JSON (status.hpp); only a family that is on has a cost.
nlohmann::json family_cost_json(const Family& f, const nlohmann::json& fam);

}  // namespace goinstr::cli::inspect
