// SPDX-License-Identifier: Apache-2.0
// The sections of the human output (render.hpp), one per part of the report, and the formatting
// they share.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace goinstr::cli::inspect {

std::string hex(uint64_t v);
// A JSON string as is, anything else as JSON text.
std::string str(const nlohmann::json& v);

void print_facts(const nlohmann::json& report);
void print_family(const nlohmann::json& family);
void print_costs(const nlohmann::json& report);

}  // namespace goinstr::cli::inspect
