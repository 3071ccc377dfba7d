// SPDX-License-Identifier: Apache-2.0
// Go lexer (https://go.dev/ref/spec#Lexical_elements). Works on a string_view of the source and
// produces tokens as byte ranges, so nothing is copied. Semicolons are inserted as the spec says
// (after a line's final identifier, literal, break/continue/fallthrough/return, ++ -- ) ] }),
// comments go to a side list instead of the token stream, and the first error stops the lexer.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "gosrc/token.hpp"

namespace goinstr::gosrc {

struct LexError {
  Pos pos = 0;
  std::string message;  // go/scanner's wording, e.g. "rune literal not terminated"
};

class Lexer {
 public:
  explicit Lexer(std::string_view source);

  // The next token; kEof at the end (repeatedly), kIllegal after an error (see error()).
  Token next();

  const std::optional<LexError>& error() const { return error_; }
  // Every comment skipped so far, in source order (kind kComment). A `//` comment ends before its
  // newline (and before a '\r' preceding it); a `/*` comment includes the `*/`.
  const std::vector<Token>& comments() const { return comments_; }
  std::string_view source() const { return src_; }

 private:
  // A number literal being scanned (go/scanner's scanNumber state).
  struct Number {
    Tok tok = Tok::kIllegal;
    int base = 10;
    int prefix = 0;        // 0 (decimal), '0' (legacy octal), 'x', 'o' or 'b'
    int digsep = 0;        // bit 0: a digit was seen; bit 1: a '_' was
    Pos invalid = kNoPos;  // first digit too large for the base
  };

  Token make(Tok kind, Pos begin);
  Token fail(Pos pos, std::string message);  // records the error, returns kIllegal
  Token failed() const { return Token{Tok::kIllegal, error_->pos, error_->pos}; }
  bool skip_space_and_comments(Token& out);
  bool skip_comment(Pos* newline);
  Token scan_operator(Pos begin);
  Token scan_identifier(Pos begin);
  Token scan_number(Pos begin);
  bool scan_mantissa(Number& num);
  bool scan_exponent(Number& num);
  Token scan_string(Pos begin);
  Token scan_raw_string(Pos begin);
  Token scan_rune(Pos begin);
  bool terminated(size_t begin, char quote) const;
  bool scan_escape(char quote);
  int scan_digits(int base, Pos* invalid);
  bool check_char();  // validates the (non-newline) character at pos_ and steps over it
  bool check_text(size_t from, size_t to);
  int peek(size_t ahead = 0) const;

  std::string_view src_;
  size_t pos_ = 0;
  bool insert_semi_ = false;
  std::optional<LexError> error_;
  std::vector<Token> comments_;
};

// Lexes all of `source` (tests, tools): tokens up to and including kEof, or "line:col: message".
Result<std::vector<Token>> tokenize(std::string_view source);

// The character as go/scanner prints it in errors: U+0040 '@'.
std::string describe_rune(char32_t r);
// go/scanner's message for a character that cannot start a token.
std::string illegal_character(char32_t r);

}  // namespace goinstr::gosrc
