// SPDX-License-Identifier: Apache-2.0
#include "load/request.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "load/ascii.hpp"

namespace goinstr::load {
namespace {

bool has_header(const Plan& plan, std::string_view name) {
  return std::any_of(plan.headers.begin(), plan.headers.end(),
                     [&](const auto& h) { return iequals(h.first, name); });
}

}  // namespace

Result<Url> parse_url(std::string_view text) {
  constexpr std::string_view kScheme = "http://";
  if (text.starts_with("https://")) return fail("https is not supported (plain HTTP/1.1 only)");
  if (!text.starts_with(kScheme))
    return fail(fmt::format("URL '{}' must start with http://", text));
  std::string_view rest = text.substr(kScheme.size());
  size_t slash = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, slash);
  Url url;
  url.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (url.target.front() == '?') url.target = "/" + url.target;
  if (url.target.find('#') != std::string::npos) url.target.erase(url.target.find('#'));
  if (authority.empty() || authority.find('@') != std::string_view::npos) {
    return fail(fmt::format("URL '{}' has no usable host", text));
  }
  url.host_header = std::string(authority);
  std::string_view host = authority;
  std::string_view port;
  if (host.front() == '[') {  // [::1]:8080
    size_t close = host.find(']');
    if (close == std::string_view::npos) return fail(fmt::format("URL '{}': bad IPv6 host", text));
    if (close + 1 < host.size()) {
      if (host[close + 1] != ':') return fail(fmt::format("URL '{}': bad port", text));
      port = host.substr(close + 2);
    }
    host = host.substr(1, close - 1);
  } else if (size_t colon = host.rfind(':'); colon != std::string_view::npos) {
    port = host.substr(colon + 1);
    host = host.substr(0, colon);
  }
  if (host.empty()) return fail(fmt::format("URL '{}' has no host", text));
  url.host = std::string(host);
  if (!port.empty()) {
    unsigned p = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
    if (ec != std::errc{} || end != port.data() + port.size() || p == 0 || p > 65535) {
      return fail(fmt::format("URL '{}': bad port", text));
    }
    url.port = static_cast<uint16_t>(p);
  }
  return url;
}

std::string build_request(const Plan& plan, const Url& url) {
  std::string req = fmt::format("{} {} HTTP/1.1\r\n", plan.method, url.target);
  if (!has_header(plan, "host")) req += fmt::format("Host: {}\r\n", url.host_header);
  if (!has_header(plan, "user-agent")) req += "User-Agent: goinstr-load/0.1\r\n";
  for (const auto& [k, v] : plan.headers) req += fmt::format("{}: {}\r\n", k, v);
  bool body_method = plan.method == "POST" || plan.method == "PUT" || plan.method == "PATCH";
  if ((!plan.body.empty() || body_method) && !has_header(plan, "content-length")) {
    req += fmt::format("Content-Length: {}\r\n", plan.body.size());
  }
  req += "\r\n";
  req += plan.body;
  return req;
}

}  // namespace goinstr::load
