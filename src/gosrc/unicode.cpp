// SPDX-License-Identifier: Apache-2.0
#include "gosrc/unicode.hpp"

#include <algorithm>

namespace goinstr::gosrc {
namespace {

bool in_ranges(std::span<const detail::CodeRange> ranges, char32_t r) {
  auto it = std::upper_bound(ranges.begin(), ranges.end(), r,
                             [](char32_t v, const detail::CodeRange& c) { return v < c.lo; });
  return it != ranges.begin() && r <= std::prev(it)->hi;
}

bool is_continuation(unsigned char c) {
  return (c & 0xC0) == 0x80;
}

}  // namespace

DecodedRune decode_rune(std::string_view s, size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return {b0, 1, true};
  const DecodedRune bad{kRuneError, 1, false};
  size_t need = 0;
  char32_t r = 0;
  char32_t min = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 1, r = b0 & 0x1F, min = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    need = 2, r = b0 & 0x0F, min = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    need = 3, r = b0 & 0x07, min = 0x10000;
  } else {
    return bad;
  }
  if (s.size() - i <= need) return bad;
  for (size_t k = 1; k <= need; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if (!is_continuation(b)) return bad;
    r = (r << 6) | (b & 0x3F);
  }
  if (r < min || r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) return bad;
  return {r, static_cast<uint32_t>(need + 1), true};
}

void append_utf8(std::string& out, char32_t r) {
  if (r < 0x80) {
    out += static_cast<char>(r);
  } else if (r < 0x800) {
    out += static_cast<char>(0xC0 | (r >> 6));
    out += static_cast<char>(0x80 | (r & 0x3F));
  } else if (r < 0x10000) {
    out += static_cast<char>(0xE0 | (r >> 12));
    out += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (r & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (r >> 18));
    out += static_cast<char>(0x80 | ((r >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (r & 0x3F));
  }
}

bool is_unicode_letter(char32_t r) {
  return in_ranges(detail::kLetters, r);
}
bool is_unicode_digit(char32_t r) {
  return in_ranges(detail::kDigits, r);
}

}  // namespace goinstr::gosrc
