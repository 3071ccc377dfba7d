// SPDX-License-Identifier: Apache-2.0
// Go's tokens (https://go.dev/ref/spec#Tokens), in the order and with the precedences of go/token.
#pragma once

#include <cstdint>
#include <string_view>

namespace goinstr::gosrc {

// A byte offset into the source. Files over 4 GiB are rejected, so 32 bits are enough and keep
// AST nodes small.
using Pos = uint32_t;
inline constexpr Pos kNoPos = UINT32_MAX;

enum class Tok : uint32_t {  // 32 bits: see Token
  kIllegal,
  kEof,
  kComment,  // never returned by Lexer::next(); the kind of the tokens in Lexer::comments()
  // literals
  kIdent,
  kInt,
  kFloat,
  kImag,
  kChar,
  kString,
  // operators and punctuation
  kAdd,           // +
  kSub,           // -
  kMul,           // *
  kQuo,           // /
  kRem,           // %
  kAnd,           // &
  kOr,            // |
  kXor,           // ^
  kShl,           // <<
  kShr,           // >>
  kAndNot,        // &^
  kAddAssign,     // +=
  kSubAssign,     // -=
  kMulAssign,     // *=
  kQuoAssign,     // /=
  kRemAssign,     // %=
  kAndAssign,     // &=
  kOrAssign,      // |=
  kXorAssign,     // ^=
  kShlAssign,     // <<=
  kShrAssign,     // >>=
  kAndNotAssign,  // &^=
  kLand,          // &&
  kLor,           // ||
  kArrow,         // <-
  kInc,           // ++
  kDec,           // --
  kEql,           // ==
  kLss,           // <
  kGtr,           // >
  kAssign,        // =
  kNot,           // !
  kNeq,           // !=
  kLeq,           // <=
  kGeq,           // >=
  kDefine,        // :=
  kEllipsis,      // ...
  kLparen,        // (
  kLbrack,        // [
  kLbrace,        // {
  kComma,         // ,
  kPeriod,        // .
  kRparen,        // )
  kRbrack,        // ]
  kRbrace,        // }
  kSemicolon,     // ; (explicit, or inserted at a newline / EOF)
  kColon,         // :
  kTilde,         // ~
  // keywords
  kBreak,
  kCase,
  kChan,
  kConst,
  kContinue,
  kDefault,
  kDefer,
  kElse,
  kFallthrough,
  kFor,
  kFunc,
  kGo,
  kGoto,
  kIf,
  kImport,
  kInterface,
  kMap,
  kPackage,
  kRange,
  kReturn,
  kSelect,
  kStruct,
  kSwitch,
  kType,
  kVar,
};

// Spelling of operators and keywords ("+", "func"); a class name for the rest ("IDENT", "EOF").
std::string_view tok_string(Tok t);

// Binary operator precedence (5 = * / % << >> & &^ ... 1 = ||); 0 for non-binary tokens.
int binary_precedence(Tok t);

// The keyword `word` spells, or Tok::kIdent.
Tok lookup_keyword(std::string_view word);

inline bool is_literal(Tok t) {
  return t >= Tok::kIdent && t <= Tok::kString;
}
inline bool is_keyword(Tok t) {
  return t >= Tok::kBreak;
}

// One lexical token. Text is source[begin, end); an inserted semicolon is empty (begin == end, at
// the newline or end of file that caused it). The kind comes last so that a Token returns in two
// registers built without partial writes (the other order cost the lexer a third of its time in
// store-forwarding stalls).
struct Token {
  Pos begin = 0;
  Pos end = 0;
  Tok kind = Tok::kIllegal;

  constexpr Token() = default;
  constexpr Token(Tok k, Pos b, Pos e) : begin(b), end(e), kind(k) {}
  bool implicit() const { return kind == Tok::kSemicolon && begin == end; }
};

}  // namespace goinstr::gosrc
