// SPDX-License-Identifier: Apache-2.0
// The target URL and the request bytes. Every request of a run is identical, so the bytes are
// built once and each connection only keeps an offset into them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "load/plan.hpp"

namespace goinstr::load {

struct Url {
  std::string host;  // as written (brackets stripped from an IPv6 literal)
  uint16_t port = 80;
  std::string target;       // path and query, "/" when the URL has none
  std::string host_header;  // host[:port] as the URL gave it
};

Result<Url> parse_url(std::string_view url);

// "METHOD target HTTP/1.1", Host, User-Agent (unless given), the plan's headers, Content-Length
// when there is a body or the method usually carries one, then the body.
std::string build_request(const Plan& plan, const Url& url);

}  // namespace goinstr::load
