// SPDX-License-Identifier: Apache-2.0
// gRPC semantic conventions (v1.44.0, the newest release when this was written: rpc.system.name,
// rpc.method "package.Service/Method", rpc.response.status_code as the code's name), shared by
// the server and client spans.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "bpf_intf/grpc.h"
#include "model/span.hpp"

namespace goinstr::agent {

// "OK", "NOT_FOUND", ...; a code outside 0..16 as its number.
std::string grpc_code_name(int32_t code);
// The codes the conventions call errors for a server: UNKNOWN, DEADLINE_EXCEEDED, UNIMPLEMENTED,
// INTERNAL, UNAVAILABLE, DATA_LOSS. For a client every code but OK is one.
bool grpc_server_error(int32_t code);
// "/package.Service/Method" -> "package.Service/Method"; empty when it is not of that form.
std::string grpc_method(std::string_view path);
// "ip" of a connection end, empty when unknown.
std::string tcp_addr_ip(const goinstr_tcp_addr& addr);

// Attributes and status every gRPC span has: rpc.system.name, rpc.method (or _OTHER with
// rpc.method_original when the server did not know the method), rpc.response.status_code,
// network.protocol.version, network.peer.* from `peer`, and the span name. `error` says whether
// the code counts as an error for this span's kind; the message becomes the status description.
void set_grpc_attributes(model::Span& span, std::string_view path, bool recognized, int32_t code,
                         bool error, std::string_view message, const goinstr_tcp_addr& peer);

}  // namespace goinstr::agent
