// SPDX-License-Identifier: Apache-2.0
#include "agent/trace_context.hpp"

#include <algorithm>
#include <cctype>

namespace goinstr::agent {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;  // upper case is invalid in traceparent
}

template <size_t N>
bool parse_hex(std::string_view text, std::array<uint8_t, N>& out) {
  if (text.size() != 2 * N) return false;
  for (size_t i = 0; i < N; ++i) {
    int hi = hex_value(text[2 * i]), lo = hex_value(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Offset of the last line in `window` that looks like "<method> <target> HTTP/x.y".
std::optional<size_t> last_request_line(std::string_view window, std::string_view method) {
  size_t best = std::string_view::npos;
  size_t pos = 0;
  while (pos < window.size()) {
    size_t eol = window.find('\n', pos);
    std::string_view line =
        window.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
    if (line.size() > method.size() && line.substr(0, method.size()) == method &&
        line[method.size()] == ' ' && line.find(" HTTP/") != std::string_view::npos) {
      best = pos;
    }
    if (eol == std::string_view::npos) break;
    pos = eol + 1;
  }
  if (best == std::string_view::npos) return std::nullopt;
  return best;
}

}  // namespace

std::optional<TraceParent> parse_traceparent(std::string_view value) {
  value = trim(value);
  // version "-" trace-id "-" parent-id "-" flags: 2+1+32+1+16+1+2 = 55 characters.
  if (value.size() < 55 || value[2] != '-' || value[35] != '-' || value[52] != '-') {
    return std::nullopt;
  }
  std::array<uint8_t, 1> version{}, flags{};
  if (!parse_hex(value.substr(0, 2), version) || version[0] == 0xff) return std::nullopt;
  if (version[0] == 0 && value.size() != 55) return std::nullopt;
  if (version[0] > 0 && value.size() > 55 && value[55] != '-') return std::nullopt;
  TraceParent tp;
  if (!parse_hex(value.substr(3, 32), tp.trace_id) ||
      !parse_hex(value.substr(36, 16), tp.parent_span_id) ||
      !parse_hex(value.substr(53, 2), flags)) {
    return std::nullopt;
  }
  if (model::is_zero(tp.trace_id.data(), 16) || model::is_zero(tp.parent_span_id.data(), 8)) {
    return std::nullopt;
  }
  tp.flags = flags[0];
  return tp;
}

std::optional<std::string_view> request_header_block(std::string_view window,
                                                     std::string_view method) {
  auto start = last_request_line(window, method);
  if (!start) return std::nullopt;
  size_t eol = window.find('\n', *start);
  if (eol == std::string_view::npos) return std::string_view();
  std::string_view rest = window.substr(eol + 1);
  size_t pos = 0;
  while (pos < rest.size()) {
    size_t next = rest.find('\n', pos);
    std::string_view line =
        rest.substr(pos, next == std::string_view::npos ? std::string_view::npos : next - pos);
    if (trim(line).empty()) return rest.substr(0, pos);  // the empty line ends the block
    if (next == std::string_view::npos) break;
    pos = next + 1;
  }
  return rest;
}

std::optional<std::string_view> header_value(std::string_view block, std::string_view name) {
  size_t pos = 0;
  while (pos < block.size()) {
    size_t next = block.find('\n', pos);
    std::string_view line =
        block.substr(pos, next == std::string_view::npos ? std::string_view::npos : next - pos);
    size_t colon = line.find(':');
    if (colon != std::string_view::npos && iequals(trim(line.substr(0, colon)), name)) {
      return trim(line.substr(colon + 1));
    }
    if (next == std::string_view::npos) break;
    pos = next + 1;
  }
  return std::nullopt;
}

std::optional<std::string_view> find_request_header(std::string_view window,
                                                    std::string_view method,
                                                    std::string_view name) {
  auto block = request_header_block(window, method);
  return block ? header_value(*block, name) : std::nullopt;
}

}  // namespace goinstr::agent
