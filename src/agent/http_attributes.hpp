// SPDX-License-Identifier: Apache-2.0
// HTTP semantic-convention helpers shared by server (and later client) spans.
#pragma once

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

}  // namespace goinstr::agent
