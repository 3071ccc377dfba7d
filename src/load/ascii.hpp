// SPDX-License-Identifier: Apache-2.0
// ASCII-only case folding for HTTP field names and tokens: std::tolower would consult the locale
// per byte.
#pragma once

#include <algorithm>
#include <string_view>

namespace goinstr::load {

inline char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
}

inline bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return ascii_lower(x) == ascii_lower(y);
         });
}

}  // namespace goinstr::load
