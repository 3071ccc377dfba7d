// SPDX-License-Identifier: Apache-2.0
// The JSON of one probe site, one hook and one struct field as inspect reports them: a hook of the
// plan resolved exactly as the agent attaches it, the legacy "hooks" list of the HTTP server's
// entry sites, and a field's offset with where it came from.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "agent/probe_plan.hpp"
#include "obj/go_binary.hpp"

namespace goinstr::cli::inspect {

nlohmann::json site_json(const obj::ProbeSite& s);
// The entry site chosen and, for comparison, the naive entry(+0)+RET sites ("hooks").
nlohmann::json hook_json(const obj::GoBinary& bin, const agent::HookSpec& hook);
// As agent::resolve_hook_sites resolves it, with its status: resolved, absent or missing.
nlohmann::json plan_hook_json(const obj::GoBinary& bin, const agent::HookSpec& hook);
nlohmann::json field_json(const obj::GoBinary& bin, const agent::FieldSpec& f);

}  // namespace goinstr::cli::inspect
