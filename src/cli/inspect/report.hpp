// SPDX-License-Identifier: Apache-2.0
// The whole inspect report of one Go binary as JSON: build info and flags, the legacy HTTP server
// hooks and field lists, the facts, every family with its status, and the cost estimate. The
// human output (render.hpp) renders this JSON, so both always carry the same content.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "obj/go_binary.hpp"

namespace goinstr::cli::inspect {

nlohmann::json build_report(const obj::GoBinary& bin);

}  // namespace goinstr::cli::inspect
