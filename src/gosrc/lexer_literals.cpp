// SPDX-License-Identifier: Apache-2.0
// Literal scanning, following go/scanner so that the same inputs are accepted and rejected with
// the same messages: numbers (https://go.dev/ref/spec#Integer_literals and the float/imaginary
// sections), rune and string literals with their escapes.
#include <fmt/format.h>

#include <string>

#include "gosrc/lexer.hpp"
#include "gosrc/unicode.hpp"

namespace goinstr::gosrc {
namespace {

bool is_decimal(int c) {
  return c >= '0' && c <= '9';
}
bool is_hex(int c) {
  return is_decimal(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}
int lower(int c) {
  return c | 0x20;
}  // only meaningful for letters, as used below

int digit_value(int c) {
  if (is_decimal(c)) return c - '0';
  if (lower(c) >= 'a' && lower(c) <= 'f') return lower(c) - 'a' + 10;
  return 16;  // larger than any base
}

std::string_view literal_name(int prefix) {
  switch (prefix) {
    case 'x':
      return "hexadecimal literal";
    case 'o':
    case '0':
      return "octal literal";
    case 'b':
      return "binary literal";
    default:
      return "decimal literal";
  }
}

// Index of the first '_' that does not separate two digits (or a prefix and a digit), or -1.
// A straight port of go/scanner's invalidSep.
int invalid_separator(std::string_view x) {
  int x1 = ' ';  // prefix char; only 'x' matters
  int d = '.';   // previous class: '_', '0' (a digit) or '.' (anything else)
  size_t i = 0;
  if (x.size() >= 2 && x[0] == '0') {
    x1 = lower(x[1]);
    if (x1 == 'x' || x1 == 'o' || x1 == 'b') {
      d = '0';
      i = 2;
    }
  }
  for (; i < x.size(); ++i) {
    const int p = d;
    d = static_cast<unsigned char>(x[i]);
    if (d == '_') {
      if (p != '0') return static_cast<int>(i);
    } else if (is_decimal(d) || (x1 == 'x' && is_hex(d))) {
      d = '0';
    } else {
      if (p == '_') return static_cast<int>(i) - 1;
      d = '.';
    }
  }
  return d == '_' ? static_cast<int>(x.size()) - 1 : -1;
}

}  // namespace

// Consumes digits of `base` and '_'. Returns bit 0 set if a digit was seen, bit 1 if a '_' was.
// For bases <= 10 a decimal digit too large for the base is consumed but recorded in *invalid.
int Lexer::scan_digits(int base, Pos* invalid) {
  int digsep = 0;
  for (;;) {
    const int c = peek();
    const bool digit = base <= 10 ? is_decimal(c) : is_hex(c);
    if (!digit && c != '_') return digsep;
    if (c == '_') {
      digsep |= 2;
    } else {
      digsep |= 1;
      if (base < 10 && c - '0' >= base && invalid != nullptr && *invalid == kNoPos) {
        *invalid = static_cast<Pos>(pos_);
      }
    }
    ++pos_;
  }
}

// Integer part with its base prefix, then the fractional part (num.tok is kInt or kFloat).
bool Lexer::scan_mantissa(Number& num) {
  if (peek() != '.') {
    num.tok = Tok::kInt;
    if (peek() == '0') {
      ++pos_;
      const int c = lower(peek());
      if (c == 'x' || c == 'o' || c == 'b') {
        ++pos_;
        num.prefix = c;
        num.base = c == 'x' ? 16 : c == 'o' ? 8 : 2;
      } else {
        num.prefix = '0';  // legacy octal, 0777; the leading 0 is a digit
        num.base = 8;
        num.digsep = 1;
      }
    }
    num.digsep |= scan_digits(num.base, &num.invalid);
  }
  if (peek() == '.') {
    num.tok = Tok::kFloat;
    if (num.prefix == 'o' || num.prefix == 'b') {
      fail(static_cast<Pos>(pos_),
           fmt::format("invalid radix point in {}", literal_name(num.prefix)));
      return false;
    }
    ++pos_;
    num.digsep |= scan_digits(num.base, &num.invalid);
  }
  if ((num.digsep & 1) == 0) {
    fail(static_cast<Pos>(pos_), fmt::format("{} has no digits", literal_name(num.prefix)));
    return false;
  }
  return true;
}

// e/E exponent (decimal mantissa) or p/P exponent (hexadecimal mantissa, where it is required
// for a float).
bool Lexer::scan_exponent(Number& num) {
  const int e = lower(peek());
  if (e != 'e' && e != 'p') {
    if (num.prefix == 'x' && num.tok == Tok::kFloat) {
      fail(static_cast<Pos>(pos_), "hexadecimal mantissa requires a 'p' exponent");
      return false;
    }
    return true;
  }
  if (e == 'e' ? (num.prefix != 0 && num.prefix != '0') : num.prefix != 'x') {
    fail(static_cast<Pos>(pos_), fmt::format("'{}' exponent requires {} mantissa", char(peek()),
                                             e == 'e' ? "decimal" : "hexadecimal"));
    return false;
  }
  ++pos_;
  num.tok = Tok::kFloat;
  if (peek() == '+' || peek() == '-') ++pos_;
  const int ds = scan_digits(10, nullptr);
  num.digsep |= ds;
  if ((ds & 1) == 0) {
    fail(static_cast<Pos>(pos_), "exponent has no digits");
    return false;
  }
  return true;
}

Token Lexer::scan_number(Pos begin) {
  Number num;
  if (!scan_mantissa(num) || !scan_exponent(num)) return failed();
  if (peek() == 'i') {
    num.tok = Tok::kImag;
    ++pos_;
  }
  // Legacy octal digits 8 and 9 are fine in floats and imaginaries ("09.5", "09i").
  if (num.tok == Tok::kInt && num.invalid != kNoPos) {
    return fail(num.invalid, fmt::format("invalid digit '{}' in {}", src_[num.invalid],
                                         literal_name(num.prefix)));
  }
  if ((num.digsep & 2) != 0) {
    const int i = invalid_separator(src_.substr(begin, pos_ - begin));
    if (i >= 0) return fail(begin + static_cast<Pos>(i), "'_' must separate successive digits");
  }
  return make(num.tok, begin);
}

// After a backslash (pos_ is on the character following it). Per go/scanner: simple escapes,
// the quote, 3 octal digits, \x with 2, \u with 4, \U with 8 hex digits; values must be valid
// code points (octal and \x are bytes and may be anything up to 255).
bool Lexer::scan_escape(char quote) {
  const auto at = static_cast<Pos>(pos_);  // go/scanner reports escape errors after the '\\'

  int n = 0;
  uint32_t base = 0;
  uint32_t max = 0;
  const int c = peek();
  switch (c) {
    case 'a':
    case 'b':
    case 'f':
    case 'n':
    case 'r':
    case 't':
    case 'v':
    case '\\':
      ++pos_;
      return true;
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
      n = 3, base = 8, max = 255;
      break;
    case 'x':
      ++pos_, n = 2, base = 16, max = 255;
      break;
    case 'u':
      ++pos_, n = 4, base = 16, max = 0x10FFFF;
      break;
    case 'U':
      ++pos_, n = 8, base = 16, max = 0x10FFFF;
      break;
    default:
      if (c == quote) {
        ++pos_;
        return true;
      }
      fail(at, c < 0 ? "escape sequence not terminated" : "unknown escape sequence");
      return false;
  }
  uint32_t x = 0;
  for (; n > 0; --n) {
    const int ch = peek();
    const auto d = static_cast<uint32_t>(digit_value(ch));
    if (d >= base) {
      if (ch < 0) {
        fail(static_cast<Pos>(pos_), "escape sequence not terminated");
      } else {
        char32_t r = ch < 0x80 ? static_cast<char32_t>(ch) : decode_rune(src_, pos_).rune;
        fail(static_cast<Pos>(pos_),
             fmt::format("illegal character {} in escape sequence", describe_rune(r)));
      }
      return false;
    }
    x = x * base + d;
    ++pos_;
  }
  if (x > max || (x >= 0xD800 && x < 0xE000)) {
    fail(at, "escape sequence is invalid Unicode code point");
    return false;
  }
  return true;
}

// Does the quoted literal starting at `begin` close on its line? For strings this is checked
// before the contents, so that an unterminated string is reported at its start even when it
// also holds a bad escape or character further on (go/scanner reports both; the start sorts
// first).
bool Lexer::terminated(size_t begin, char quote) const {
  for (size_t i = begin + 1; i < src_.size(); ++i) {
    const char c = src_[i];
    if (c == quote) return true;
    if (c == '\n') return false;
    if (c == '\\' && i + 1 < src_.size() && src_[i + 1] != '\n') ++i;
  }
  return false;
}

// go/scanner's order of errors: a bad escape is the only error reported for its rune literal;
// after a bad character, an unterminated literal is reported at its (earlier) start.
Token Lexer::scan_rune(Pos begin) {
  ++pos_;  // opening '
  int n = 0;
  for (;;) {
    const int c = peek();
    if (c == '\n' || c < 0) return fail(begin, "rune literal not terminated");
    if (c == '\'') {
      ++pos_;
      break;
    }
    ++n;
    if (c == '\\') {
      ++pos_;
      if (!scan_escape('\'')) return failed();
    } else if (!check_char()) {
      if (terminated(begin, '\'')) return failed();
      error_.reset();
      return fail(begin, "rune literal not terminated");
    }
  }
  if (n != 1) return fail(begin, "illegal rune literal");
  return make(Tok::kChar, begin);
}

Token Lexer::scan_string(Pos begin) {
  if (!terminated(begin, '"')) return fail(begin, "string literal not terminated");
  ++pos_;  // opening "
  for (;;) {
    const int c = peek();
    if (c == '\n' || c < 0) return fail(begin, "string literal not terminated");
    if (c == '"') {
      ++pos_;
      return make(Tok::kString, begin);
    }
    if (c == '\\') {
      ++pos_;
      if (!scan_escape('"')) return failed();
    } else if (!check_char()) {
      return failed();
    }
  }
}

Token Lexer::scan_raw_string(Pos begin) {
  ++pos_;  // opening `
  for (;;) {
    const int c = peek();
    if (c < 0) return fail(begin, "raw string literal not terminated");
    if (c == '`') {
      ++pos_;
      return make(Tok::kString, begin);
    }
    if (c == '\n') {
      ++pos_;
    } else if (!check_char()) {
      return failed();
    }
  }
}

}  // namespace goinstr::gosrc
