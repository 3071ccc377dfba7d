// SPDX-License-Identifier: Apache-2.0
// The "facts" section of inspect: what the agent learns about the binary besides probe sites
// (agent/target_facts.hpp): SQL drivers, error types, goroutine hand-off, and whether traceparent
// injection into outgoing requests is possible.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "agent/probe_offsets.hpp"
#include "agent/target_facts.hpp"
#include "obj/go_binary.hpp"

namespace goinstr::cli::inspect {

nlohmann::json facts_json(const obj::GoBinary& bin, const agent::TargetFacts& facts,
                          const Result<http_client_offsets>& client);

}  // namespace goinstr::cli::inspect
