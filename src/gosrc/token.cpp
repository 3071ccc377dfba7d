// SPDX-License-Identifier: Apache-2.0
#include "gosrc/token.hpp"

#include <algorithm>
#include <array>

namespace goinstr::gosrc {
namespace {

constexpr std::array<std::string_view, static_cast<size_t>(Tok::kVar) + 1> kNames = {
    "ILLEGAL",   "EOF",         "COMMENT", "IDENT", "INT",    "FLOAT",    "IMAG",    "CHAR",
    "STRING",    "+",           "-",       "*",     "/",      "%",        "&",       "|",
    "^",         "<<",          ">>",      "&^",    "+=",     "-=",       "*=",      "/=",
    "%=",        "&=",          "|=",      "^=",    "<<=",    ">>=",      "&^=",     "&&",
    "||",        "<-",          "++",      "--",    "==",     "<",        ">",       "=",
    "!",         "!=",          "<=",      ">=",    ":=",     "...",      "(",       "[",
    "{",         ",",           ".",       ")",     "]",      "}",        ";",       ":",
    "~",         "break",       "case",    "chan",  "const",  "continue", "default", "defer",
    "else",      "fallthrough", "for",     "func",  "go",     "goto",     "if",      "import",
    "interface", "map",         "package", "range", "return", "select",   "struct",  "switch",
    "type",      "var",
};

// Catches a Tok added without its spelling (the array would pad with empty names).
static_assert(kNames.back() == "var" && kNames[static_cast<size_t>(Tok::kTilde)] == "~");

}  // namespace

std::string_view tok_string(Tok t) {
  return kNames[static_cast<size_t>(t)];
}

int binary_precedence(Tok t) {
  switch (t) {
    case Tok::kLor:
      return 1;
    case Tok::kLand:
      return 2;
    case Tok::kEql:
    case Tok::kNeq:
    case Tok::kLss:
    case Tok::kLeq:
    case Tok::kGtr:
    case Tok::kGeq:
      return 3;
    case Tok::kAdd:
    case Tok::kSub:
    case Tok::kOr:
    case Tok::kXor:
      return 4;
    case Tok::kMul:
    case Tok::kQuo:
    case Tok::kRem:
    case Tok::kShl:
    case Tok::kShr:
    case Tok::kAnd:
    case Tok::kAndNot:
      return 5;
    default:
      return 0;
  }
}

Tok lookup_keyword(std::string_view word) {
  // Keywords are 2..11 lowercase ASCII letters; candidates are bucketed by (first letter, length)
  // so an identifier costs at most three comparisons.
  static const auto kBuckets = [] {
    std::array<std::array<Tok, 3>, 26 * 12> b{};  // select/struct/switch share a bucket
    for (auto k = static_cast<size_t>(Tok::kBreak); k <= static_cast<size_t>(Tok::kVar); ++k) {
      std::string_view w = kNames[k];
      auto& slot = b[static_cast<size_t>(w[0] - 'a') * 12 + w.size()];
      *std::find(slot.begin(), slot.end(), Tok::kIllegal) = static_cast<Tok>(k);
    }
    return b;
  }();
  if (word.size() < 2 || word.size() > 11 || word[0] < 'a' || word[0] > 'z') return Tok::kIdent;
  for (Tok t : kBuckets[static_cast<size_t>(word[0] - 'a') * 12 + word.size()]) {
    if (t != Tok::kIllegal && kNames[static_cast<size_t>(t)] == word) return t;
  }
  return Tok::kIdent;
}

}  // namespace goinstr::gosrc
