// SPDX-License-Identifier: Apache-2.0
// UTF-8 decoding and the two Unicode classes Go identifiers use (letters and decimal digits).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace goinstr::gosrc {

inline constexpr char32_t kRuneError = 0xFFFD;

struct DecodedRune {
  char32_t rune = kRuneError;
  uint32_t size = 0;  // bytes consumed; 1 with rune == kRuneError marks an invalid encoding
  bool valid = false;
};

// Decodes the rune at s[i] (s.size() > i) per RFC 3629: no overlongs, no surrogates, <= U+10FFFF.
DecodedRune decode_rune(std::string_view s, size_t i);

// Appends the UTF-8 encoding of r (a valid code point).
void append_utf8(std::string& out, char32_t r);

// unicode.IsLetter / unicode.IsDigit for non-ASCII runes (the lexer tests ASCII itself).
bool is_unicode_letter(char32_t r);
bool is_unicode_digit(char32_t r);

namespace detail {
struct CodeRange {
  char32_t lo, hi;
};
extern const std::span<const CodeRange> kLetters;
extern const std::span<const CodeRange> kDigits;
}  // namespace detail

}  // namespace goinstr::gosrc
