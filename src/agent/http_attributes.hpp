// SPDX-License-Identifier: Apache-2.0
// Semantic-convention helpers shared by the server and client spans of HTTP and gRPC.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace goinstr::agent {

// The method as semconv wants it: one of the known methods, else "_OTHER".
std::string_view normalize_method(std::string_view method);
// The path template of a Go 1.22+ ServeMux pattern "[METHOD ][HOST]/PATH": "GET /items/{id}" ->
// "/items/{id}". Empty when the pattern has no path.
std::string route_from_pattern(std::string_view pattern);
// Splits "host:port", "[v6]:port" or "host"; the port is empty when absent or not numeric.
std::pair<std::string, std::optional<int64_t>> split_host_port(std::string_view hostport);
// "1.1", "1.0", "2", "3".
std::string protocol_version(int major, int minor);
// An IP address as 4 or 16 bytes ("::ffff:a.b.c.d" as IPv4); empty for other lengths.
std::string format_ip(const uint8_t* ip, size_t len);

}  // namespace goinstr::agent
