// SPDX-License-Identifier: Apache-2.0
// Whether a family is on, off or absent in one binary, decided as the agent decides it, with its
// hooks resolved (hooks.hpp) and the reason when it is not on.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "agent/probe_offsets.hpp"
#include "cli/inspect/families.hpp"
#include "obj/go_binary.hpp"

namespace goinstr::cli::inspect {

// `facts` is the report's facts section; `families_so_far` the families before this one (a
// family can depend on an earlier one: injection on the client, HTTP/2 on the HTTP/1 server).
nlohmann::json family_json(const obj::GoBinary& bin, const Family& f, const nlohmann::json& facts,
                           const nlohmann::json& families_so_far,
                           const Result<http_client_offsets>& client);

}  // namespace goinstr::cli::inspect
