// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <vector>

#include "bpf_intf/http_server.h"
#include "common/result.hpp"
#include "obj/go_binary.hpp"

namespace goinstr::agent {

// Resolves every field the net/http server probes read (probe_plan.hpp's kHttpServerFields),
// from DWARF or goinstr's offset table. A missing required field is an error naming it; the route
// pattern is optional (Go < 1.22 has none). `notes` receives one line per field with its source.
Result<http_server_offsets> resolve_http_server_offsets(const obj::GoBinary& binary,
                                                        std::vector<std::string>* notes);

}  // namespace goinstr::agent
