// SPDX-License-Identifier: Apache-2.0
// Struct field offsets for the HTTP/2 and gRPC probes (bpf_intf/http2.h, bpf_intf/grpc.h), from
// DWARF or goinstr's tables (the Go table for net/http's own HTTP/2, the module tables for grpc
// and golang.org/x/net, keyed by the versions in the binary's build info).
#pragma once

#include <string>
#include <vector>

#include "bpf_intf/grpc.h"
#include "bpf_intf/http2.h"
#include "common/result.hpp"
#include "obj/go_binary.hpp"

namespace goinstr::agent {

// net/http's own HTTP/2 server (h2_bundle.go, or net/http/internal/http2 since Go 1.27) and
// golang.org/x/net/http2's; an implementation whose offsets are incomplete stays off (impl.on = 0)
// and the reason is a note.
http2_server_offsets resolve_http2_server_offsets(const obj::GoBinary& binary,
                                                  std::vector<std::string>* notes);

struct GrpcOffsets {
  grpc_offsets offsets{};
  bool server = false;  // the server probes can run
  bool client = false;  // the client probes can run
};

// google.golang.org/grpc's server (its own HTTP/2 transport) and client. `status_error_itab` is
// the itab of *internal/status.Error as error when known (0 otherwise: symbols missing, or PIE).
GrpcOffsets resolve_grpc_offsets(const obj::GoBinary& binary, uint64_t status_error_itab,
                                 std::vector<std::string>* notes);

}  // namespace goinstr::agent
