// SPDX-License-Identifier: Apache-2.0
// Struct field offsets for the database, HTTP client and goroutine probes (the server's are in
// http_server_offsets.hpp), from DWARF or goinstr's offset table (probe_plan.hpp kOtherFields).
#pragma once

#include <string>
#include <vector>

#include "bpf_intf/database_sql.h"
#include "bpf_intf/http_client.h"
#include "bpf_intf/runtime.h"
#include "common/result.hpp"
#include "obj/go_binary.hpp"

namespace goinstr::agent {

Result<db_offsets> resolve_db_offsets(const obj::GoBinary& binary, std::vector<std::string>* notes);
Result<http_client_offsets> resolve_http_client_offsets(const obj::GoBinary& binary,
                                                        std::vector<std::string>* notes);
// g.parentGoid is optional (Go 1.21+): without it, goroutine hand-off is not followed.
Result<runtime_offsets> resolve_runtime_offsets(const obj::GoBinary& binary,
                                                std::vector<std::string>* notes);

}  // namespace goinstr::agent
