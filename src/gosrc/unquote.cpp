// SPDX-License-Identifier: Apache-2.0
// strconv.Unquote for string literals: import paths and struct tags are what a rewriter reads.
#include <optional>
#include <string>
#include <string_view>

#include "gosrc/parser.hpp"
#include "gosrc/unicode.hpp"

namespace goinstr::gosrc {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes the escape at s[i] (just after the backslash); advances i. False if malformed.
bool unescape(std::string_view s, size_t& i, std::string& out) {
  if (i >= s.size()) return false;
  const char c = s[i++];
  switch (c) {
    case 'a':
      out += '\a';
      return true;
    case 'b':
      out += '\b';
      return true;
    case 'f':
      out += '\f';
      return true;
    case 'n':
      out += '\n';
      return true;
    case 'r':
      out += '\r';
      return true;
    case 't':
      out += '\t';
      return true;
    case 'v':
      out += '\v';
      return true;
    case '\\':
      out += '\\';
      return true;
    case '"':
      out += '"';
      return true;
    default:
      break;
  }
  if (c >= '0' && c <= '7') {  // \ooo: one byte
    if (i + 2 > s.size()) return false;
    int v = c - '0';
    for (int k = 0; k < 2; ++k) {
      const char d = s[i++];
      if (d < '0' || d > '7') return false;
      v = v * 8 + (d - '0');
    }
    if (v > 255) return false;
    out += static_cast<char>(v);
    return true;
  }
  const int digits = c == 'x' ? 2 : c == 'u' ? 4 : c == 'U' ? 8 : 0;
  if (digits == 0 || i + static_cast<size_t>(digits) > s.size()) return false;
  char32_t v = 0;
  for (int k = 0; k < digits; ++k) {
    const int d = hex_value(s[i++]);
    if (d < 0) return false;
    v = v * 16 + static_cast<char32_t>(d);
  }
  if (c == 'x') {  // \xhh: one byte, not a code point
    out += static_cast<char>(v);
    return true;
  }
  if (v > 0x10FFFF || (v >= 0xD800 && v < 0xE000)) return false;
  append_utf8(out, v);
  return true;
}

}  // namespace

std::optional<std::string> unquote(std::string_view lit) {
  if (lit.size() < 2 || lit.front() != lit.back()) return std::nullopt;
  std::string_view body = lit.substr(1, lit.size() - 2);
  std::string out;
  out.reserve(body.size());
  if (lit.front() == '`') {
    for (char c : body) {
      if (c == '`') return std::nullopt;
      if (c != '\r') out += c;  // raw strings drop carriage returns
    }
    return out;
  }
  if (lit.front() != '"') return std::nullopt;
  for (size_t i = 0; i < body.size();) {
    const char c = body[i++];
    if (c == '"' || c == '\n') return std::nullopt;
    if (c != '\\') {
      out += c;
    } else if (!unescape(body, i, out)) {
      return std::nullopt;
    }
  }
  return out;
}

}  // namespace goinstr::gosrc
