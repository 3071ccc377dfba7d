// SPDX-License-Identifier: Apache-2.0
#include "gosrc/lexer.hpp"

#include <fmt/format.h>

#include <cstring>

#include "gosrc/line_table.hpp"
#include "gosrc/unicode.hpp"

namespace goinstr::gosrc {
namespace {

bool is_ascii_letter(int c) {
  return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}
bool is_ascii_ident(int c) {
  return is_ascii_letter(c) || c == '_' || (c >= '0' && c <= '9');
}

// Tokens after which a newline ends the statement (spec "Semicolons", rule 1).
bool ends_statement(Tok t) {
  switch (t) {
    case Tok::kIdent:
    case Tok::kInt:
    case Tok::kFloat:
    case Tok::kImag:
    case Tok::kChar:
    case Tok::kString:
    case Tok::kBreak:
    case Tok::kContinue:
    case Tok::kFallthrough:
    case Tok::kReturn:
    case Tok::kInc:
    case Tok::kDec:
    case Tok::kRparen:
    case Tok::kRbrack:
    case Tok::kRbrace:
      return true;
    default:
      return false;
  }
}

constexpr char32_t kBom = 0xFEFF;

}  // namespace

std::string illegal_character(char32_t r) {
  if (r == kBom) return "illegal byte order mark";
  if (r == 0x201C || r == 0x201D) {  // pasted from a word processor
    std::string quote;
    append_utf8(quote, r);
    return fmt::format("curly quotation mark '{}' (use neutral '\"')", quote);
  }
  return "illegal character " + describe_rune(r);
}

std::string describe_rune(char32_t r) {
  // Like Go's %#U: the character is shown when it is printable (approximated: no controls).
  const bool printable = r >= 0x20 && r != 0x7F && !(r >= 0x80 && r < 0xA0) && r != kBom;
  if (!printable) return fmt::format("U+{:04X}", static_cast<uint32_t>(r));
  std::string utf8;
  append_utf8(utf8, r);
  return fmt::format("U+{:04X} '{}'", static_cast<uint32_t>(r), utf8);
}

Lexer::Lexer(std::string_view source) : src_(source) {
  // A byte order mark is ignored at the very start of a file only (as go/scanner does).
  if (src_.starts_with("\xEF\xBB\xBF")) pos_ = 3;
}

int Lexer::peek(size_t ahead) const {
  size_t i = pos_ + ahead;
  return i < src_.size() ? static_cast<unsigned char>(src_[i]) : -1;
}

Token Lexer::make(Tok kind, Pos begin) {
  insert_semi_ = ends_statement(kind);
  return Token{kind, begin, static_cast<Pos>(pos_)};
}

Token Lexer::fail(Pos pos, std::string message) {
  if (!error_) error_ = LexError{pos, std::move(message)};
  pos_ = src_.size();  // nothing after the first error is trusted
  return Token{Tok::kIllegal, pos, pos};
}

bool Lexer::check_char() {
  auto c = static_cast<unsigned char>(src_[pos_]);
  if (c < 0x80) {
    if (c == 0) {
      fail(static_cast<Pos>(pos_), "illegal character NUL");
      return false;
    }
    ++pos_;
    return true;
  }
  DecodedRune d = decode_rune(src_, pos_);
  if (!d.valid || d.rune == kBom) {
    fail(static_cast<Pos>(pos_), d.valid ? "illegal byte order mark" : "illegal UTF-8 encoding");
    return false;
  }
  pos_ += d.size;
  return true;
}

// Validates the text of a comment or string literal: no NUL, valid UTF-8, no byte order mark.
// ASCII is the common case and costs one comparison per byte.
bool Lexer::check_text(size_t from, size_t to) {
  for (size_t i = from; i < to;) {
    const auto c = static_cast<unsigned char>(src_[i]);
    if (c != 0 && c < 0x80) {
      ++i;
      continue;
    }
    pos_ = i;
    if (!check_char()) return false;
    i = pos_;
  }
  return true;
}

// Skips a comment starting at pos_ ("//" or "/*") and records it. A general comment containing
// a newline acts like a newline for semicolon insertion: *newline is set to the first one's
// offset (kNoPos when there is none).
bool Lexer::skip_comment(Pos* newline) {
  const size_t begin = pos_;
  const char* data = src_.data();
  *newline = kNoPos;
  if (src_[pos_ + 1] == '/') {
    const void* nl = std::memchr(data + begin + 2, '\n', src_.size() - begin - 2);
    const size_t stop = nl != nullptr ? static_cast<const char*>(nl) - data : src_.size();
    if (!check_text(begin + 2, stop)) return false;
    pos_ = stop;
    size_t end = stop;
    if (end > begin + 2 && src_[end - 1] == '\r') --end;  // CRLF files: the '\r' is not text
    comments_.emplace_back(Tok::kComment, static_cast<Pos>(begin), static_cast<Pos>(end));
    return true;
  }
  const size_t close = src_.find("*/", begin + 2);
  const size_t stop = close == std::string_view::npos ? src_.size() : close;
  if (!check_text(begin + 2, stop)) return false;
  if (close == std::string_view::npos) {
    fail(static_cast<Pos>(begin), "comment not terminated");
    return false;
  }
  if (const void* nl = std::memchr(data + begin + 2, '\n', close - begin - 2)) {
    *newline = static_cast<Pos>(static_cast<const char*>(nl) - data);
  }
  pos_ = close + 2;
  comments_.emplace_back(Tok::kComment, static_cast<Pos>(begin), static_cast<Pos>(pos_));
  return true;
}

// Skips whitespace and comments. Returns true with `out` set when the lexer must return
// something other than a token starting at pos_: an inserted semicolon (at a newline, a general
// comment containing one, or the end of input, after a statement-ending token) or an error.
bool Lexer::skip_space_and_comments(Token& out) {
  auto semicolon_at = [&](size_t at) {
    insert_semi_ = false;
    out = Token{Tok::kSemicolon, static_cast<Pos>(at), static_cast<Pos>(at)};
    return true;
  };
  while (pos_ < src_.size()) {
    const char c = src_[pos_];
    if (c == ' ' || c == '\t' || c == '\r') {
      ++pos_;
    } else if (c == '\n') {
      ++pos_;
      if (insert_semi_) return semicolon_at(pos_ - 1);
    } else if (c == '/' && (peek(1) == '/' || peek(1) == '*')) {
      Pos newline = kNoPos;
      if (!skip_comment(&newline)) {
        out = failed();
        return true;
      }
      if (newline != kNoPos && insert_semi_) return semicolon_at(newline);
    } else {
      return false;
    }
  }
  return insert_semi_ && semicolon_at(pos_);  // the file's last line ends a statement too
}

Token Lexer::next() {
  if (error_) return failed();
  Token out;
  if (skip_space_and_comments(out)) return out;
  const auto begin = static_cast<Pos>(pos_);
  if (pos_ >= src_.size()) return Token{Tok::kEof, begin, begin};
  const int c = peek();
  if (is_ascii_letter(c) || c == '_' || c >= 0x80) return scan_identifier(begin);
  if ((c >= '0' && c <= '9') || (c == '.' && peek(1) >= '0' && peek(1) <= '9')) {
    return scan_number(begin);
  }
  switch (c) {
    case '"':
      return scan_string(begin);
    case '`':
      return scan_raw_string(begin);
    case '\'':
      return scan_rune(begin);
    default:
      return scan_operator(begin);
  }
}

Token Lexer::scan_identifier(Pos begin) {
  while (pos_ < src_.size()) {
    const int c = peek();
    if (is_ascii_ident(c)) {
      ++pos_;
      continue;
    }
    if (c < 0x80) break;
    DecodedRune d = decode_rune(src_, pos_);
    if (!d.valid) return fail(static_cast<Pos>(pos_), "illegal UTF-8 encoding");
    const bool first = pos_ == begin;
    if (!is_unicode_letter(d.rune) && (first || !is_unicode_digit(d.rune))) {
      if (first) return fail(begin, illegal_character(d.rune));
      break;
    }
    pos_ += d.size;
  }
  return make(lookup_keyword(src_.substr(begin, pos_ - begin)), begin);
}

namespace {

// Operators and punctuation, grouped by first character and longest first within a group, so
// that the first match is the longest sequence forming a token (the spec's rule).
struct Operator {
  std::string_view text;
  Tok tok;
};
constexpr Operator kOperators[] = {
    {"!=", Tok::kNeq},
    {"!", Tok::kNot},
    {"%=", Tok::kRemAssign},
    {"%", Tok::kRem},
    {"&^=", Tok::kAndNotAssign},
    {"&&", Tok::kLand},
    {"&=", Tok::kAndAssign},
    {"&^", Tok::kAndNot},
    {"&", Tok::kAnd},
    {"(", Tok::kLparen},
    {")", Tok::kRparen},
    {"*=", Tok::kMulAssign},
    {"*", Tok::kMul},
    {"++", Tok::kInc},
    {"+=", Tok::kAddAssign},
    {"+", Tok::kAdd},
    {",", Tok::kComma},
    {"--", Tok::kDec},
    {"-=", Tok::kSubAssign},
    {"-", Tok::kSub},
    {"...", Tok::kEllipsis},
    {".", Tok::kPeriod},
    {"/=", Tok::kQuoAssign},
    {"/", Tok::kQuo},
    {":=", Tok::kDefine},
    {":", Tok::kColon},
    {";", Tok::kSemicolon},
    {"<<=", Tok::kShlAssign},
    {"<-", Tok::kArrow},
    {"<<", Tok::kShl},
    {"<=", Tok::kLeq},
    {"<", Tok::kLss},
    {"==", Tok::kEql},
    {"=", Tok::kAssign},
    {">>=", Tok::kShrAssign},
    {">>", Tok::kShr},
    {">=", Tok::kGeq},
    {">", Tok::kGtr},
    {"[", Tok::kLbrack},
    {"]", Tok::kRbrack},
    {"^=", Tok::kXorAssign},
    {"^", Tok::kXor},
    {"{", Tok::kLbrace},
    {"||", Tok::kLor},
    {"|=", Tok::kOrAssign},
    {"|", Tok::kOr},
    {"}", Tok::kRbrace},
    {"~", Tok::kTilde},
};

// For each ASCII character, the [first, last) range of kOperators starting with it.
struct OperatorIndex {
  uint8_t first[128] = {};
  uint8_t last[128] = {};
  constexpr OperatorIndex() {
    for (size_t i = std::size(kOperators); i-- > 0;) {
      const auto c = static_cast<unsigned char>(kOperators[i].text[0]);
      if (last[c] == 0) last[c] = static_cast<uint8_t>(i + 1);
      first[c] = static_cast<uint8_t>(i);
    }
  }
};
constexpr OperatorIndex kOperatorIndex;

}  // namespace

Token Lexer::scan_operator(Pos begin) {
  const int c = peek();
  if (c > 0 && c < 128) {
    const std::string_view rest = src_.substr(pos_);
    for (size_t i = kOperatorIndex.first[c]; i < kOperatorIndex.last[c]; ++i) {
      if (rest.starts_with(kOperators[i].text)) {
        pos_ += kOperators[i].text.size();
        return make(kOperators[i].tok, begin);
      }
    }
  }
  if (c == 0) return fail(begin, "illegal character NUL");
  return fail(begin, illegal_character(static_cast<char32_t>(c)));
}

Result<std::vector<Token>> tokenize(std::string_view source) {
  Lexer lx(source);
  std::vector<Token> out;
  for (;;) {
    Token t = lx.next();
    if (t.kind == Tok::kIllegal) {
      LineCol lc = LineTable(source).at(lx.error()->pos);
      return fail(fmt::format("{}:{}: {}", lc.line, lc.column, lx.error()->message));
    }
    out.push_back(t);
    if (t.kind == Tok::kEof) return out;
  }
}

}  // namespace goinstr::gosrc
