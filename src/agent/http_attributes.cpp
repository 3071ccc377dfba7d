// SPDX-License-Identifier: Apache-2.0
#include "agent/http_attributes.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>

namespace goinstr::agent {

std::string_view normalize_method(std::string_view method) {
  static constexpr std::array<std::string_view, 9> kKnown = {
      "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"};
  for (auto known : kKnown)
    if (method == known) return known;
  return "_OTHER";
}

std::string route_from_pattern(std::string_view pattern) {
  // A method, when present, is separated from the rest by spaces or tabs.
  size_t space = pattern.find_first_of(" \t");
  if (space != std::string_view::npos) {
    pattern.remove_prefix(space);
    while (!pattern.empty() && (pattern.front() == ' ' || pattern.front() == '\t'))
      pattern.remove_prefix(1);
  }
  size_t slash = pattern.find('/');
  if (slash == std::string_view::npos) return {};
  return std::string(pattern.substr(slash));
}

std::pair<std::string, std::optional<int64_t>> split_host_port(std::string_view hostport) {
  std::string_view host = hostport, port;
  if (!hostport.empty() && hostport.front() == '[') {
    size_t close = hostport.find(']');
    if (close == std::string_view::npos) return {std::string(hostport), std::nullopt};
    host = hostport.substr(1, close - 1);
    if (close + 1 < hostport.size() && hostport[close + 1] == ':')
      port = hostport.substr(close + 2);
  } else {
    size_t colon = hostport.rfind(':');
    // More than one colon without brackets: a bare IPv6 address, no port.
    if (colon != std::string_view::npos && hostport.find(':') == colon) {
      host = hostport.substr(0, colon);
      port = hostport.substr(colon + 1);
    }
  }
  std::optional<int64_t> port_number;
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (!port.empty() && ec == std::errc() && ptr == port.data() + port.size() && value > 0 &&
      value < 65536) {
    port_number = value;
  }
  return {std::string(host), port_number};
}

std::string protocol_version(int major, int minor) {
  if (major >= 2) return std::to_string(major);
  return std::to_string(major) + "." + std::to_string(minor);
}

std::string format_ip(const uint8_t* ip, size_t len) {
  static constexpr uint8_t kV4Mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (len == 16 && std::equal(ip, ip + 12, kV4Mapped)) {
    ip += 12;
    len = 4;
  }
  char buf[64];
  if (len == 4) {
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", ip[0], ip[1], ip[2], ip[3]);
    return buf;
  }
  if (len == 16 && inet_ntop(AF_INET6, ip, buf, sizeof buf)) return buf;
  return {};
}

}  // namespace goinstr::agent
