// SPDX-License-Identifier: Apache-2.0
#include "agent/grpc_attributes.hpp"

#include "agent/http_attributes.hpp"
#include "model/grpc_codes.hpp"
#include "model/semconv.hpp"

namespace goinstr::agent {

std::string grpc_code_name(int32_t code) {
  std::string_view name = model::grpc_code_name(code);
  return name.empty() ? std::to_string(code) : std::string(name);
}

bool grpc_server_error(int32_t code) {
  switch (code) {
    case 2:   // UNKNOWN
    case 4:   // DEADLINE_EXCEEDED
    case 12:  // UNIMPLEMENTED
    case 13:  // INTERNAL
    case 14:  // UNAVAILABLE
    case 15:  // DATA_LOSS
      return true;
    default:
      return false;
  }
}

std::string grpc_method(std::string_view path) {
  if (path.size() < 4 || path.front() != '/') return {};
  std::string_view rest = path.substr(1);
  size_t slash = rest.find('/');
  if (slash == 0 || slash == std::string_view::npos || slash + 1 == rest.size() ||
      rest.find('/', slash + 1) != std::string_view::npos)
    return {};
  return std::string(rest);
}

std::string tcp_addr_ip(const goinstr_tcp_addr& addr) {
  return format_ip(addr.ip, std::min<size_t>(addr.ip_len, sizeof addr.ip));
}

void set_grpc_attributes(model::Span& span, std::string_view path, bool recognized, int32_t code,
                         bool error, std::string_view message, const goinstr_tcp_addr& peer) {
  std::string method = grpc_method(path);
  auto& a = span.attributes;
  a.push_back({semconv::kRpcSystemName, std::string("grpc")});
  if (recognized && !method.empty()) {
    span.name = method;
    a.push_back({semconv::kRpcMethod, method});
  } else {
    span.name = "grpc";  // semconv: {rpc.system.name} when the method is _OTHER
    a.push_back({semconv::kRpcMethod, std::string("_OTHER")});
    if (!path.empty()) a.push_back({semconv::kRpcMethodOriginal, model::to_valid_utf8(path)});
  }
  std::string code_name = grpc_code_name(code);
  a.push_back({semconv::kRpcResponseStatusCode, code_name});
  a.push_back({semconv::kNetworkProtocolVersion, std::string("2")});
  if (std::string ip = tcp_addr_ip(peer); !ip.empty()) {
    a.push_back({semconv::kNetworkPeerAddress, ip});
    a.push_back({semconv::kNetworkPeerPort, static_cast<int64_t>(peer.port)});
  }
  if (error) {
    span.status = model::StatusCode::kError;
    span.status_message = model::to_valid_utf8(message);
    a.push_back({semconv::kErrorType, code_name});
  }
}

}  // namespace goinstr::agent
