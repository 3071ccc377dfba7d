// SPDX-License-Identifier: Apache-2.0
// The human output of inspect: the report JSON (report.hpp) printed as text on stdout.
#pragma once

#include <nlohmann/json_fwd.hpp>

namespace goinstr::cli::inspect {

void print_human(const nlohmann::json& report);

}  // namespace goinstr::cli::inspect
