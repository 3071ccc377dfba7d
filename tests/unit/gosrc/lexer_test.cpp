// SPDX-License-Identifier: Apache-2.0
// The lexer: semicolon insertion, literals, comments, Unicode, and its errors (go/scanner's
// messages, at go/scanner's positions).
#include <gtest/gtest.h>

#include <string>

#include "gosrc/lexer.hpp"

namespace goinstr::gosrc {
namespace {

// Token kinds, space separated; an inserted semicolon prints as NL, an explicit one as ';'.
std::string kinds(std::string_view src) {
  auto toks = tokenize(src);
  if (!toks) return "ERROR " + toks.error().message;
  std::string out;
  for (const Token& t : *toks) {
    if (!out.empty()) out += ' ';
    out += t.implicit() ? "NL" : std::string(tok_string(t.kind));
  }
  return out;
}

// The source text of each token, '|'-separated (inserted semicolons are empty).
std::string texts(std::string_view src) {
  auto toks = tokenize(src);
  if (!toks) return "ERROR " + toks.error().message;
  std::string out;
  for (const Token& t : *toks) {
    if (t.kind == Tok::kEof) break;
    if (!out.empty()) out += '|';
    out += src.substr(t.begin, t.end - t.begin);
  }
  return out;
}

std::string error_of(std::string_view src) {
  auto toks = tokenize(src);
  return toks ? "no error" : toks.error().message;
}

TEST(Lexer, SemicolonAfterLineEndingTokens) {
  EXPECT_EQ(kinds("x\n"), "IDENT NL EOF");
  EXPECT_EQ(kinds("1\n2.5\n3i\n'a'\n\"s\"\n`r`\n"),
            "INT NL FLOAT NL IMAG NL CHAR NL STRING NL STRING NL EOF");
  EXPECT_EQ(kinds("break\ncontinue\nfallthrough\nreturn\n"),
            "break NL continue NL fallthrough NL return NL EOF");
  EXPECT_EQ(kinds("i++\ni--\n)\n]\n}\n"), "IDENT ++ NL IDENT -- NL ) NL ] NL } NL EOF");
}

TEST(Lexer, NoSemicolonAfterOtherTokens) {
  EXPECT_EQ(kinds("a +\nb"), "IDENT + IDENT NL EOF");
  EXPECT_EQ(kinds("f(a,\nb)"), "IDENT ( IDENT , IDENT ) NL EOF");
  EXPECT_EQ(kinds("if x {\n}"), "if IDENT { } NL EOF");
  EXPECT_EQ(kinds("func\ngo\n"), "func go EOF");
  EXPECT_EQ(kinds("\n\n\n"), "EOF");
}

TEST(Lexer, SemicolonAtEndOfFileAndBeforeComments) {
  EXPECT_EQ(kinds("x"), "IDENT NL EOF");
  EXPECT_EQ(kinds("x // c\ny"), "IDENT NL IDENT NL EOF");
  EXPECT_EQ(kinds("x /* c */ y"), "IDENT IDENT NL EOF");
  // A general comment containing a newline acts like a newline.
  EXPECT_EQ(kinds("x /* a\nb */ y"), "IDENT NL IDENT NL EOF");
  EXPECT_EQ(kinds("x; y;"), "IDENT ; IDENT ; EOF");
}

TEST(Lexer, InsertedSemicolonSitsAtTheNewline) {
  auto toks = tokenize("ab  \ncd");
  ASSERT_TRUE(toks);
  ASSERT_EQ((*toks)[1].kind, Tok::kSemicolon);
  EXPECT_EQ((*toks)[1].begin, 4U);
  EXPECT_EQ((*toks)[1].end, 4U);
  EXPECT_EQ((*toks)[3].begin, 7U);  // at end of file
  auto comment = tokenize("x /* a\nb */ y");
  ASSERT_TRUE(comment);
  EXPECT_EQ((*comment)[1].begin, 6U);  // at the comment's first newline, as go/scanner
}

TEST(Lexer, OperatorsAreMaximalMunch) {
  EXPECT_EQ(texts("a<<=b>>=c&^=d&^e&&f||g<-h:=i...j!=k<=l>=m==n"),
            "a|<<=|b|>>=|c|&^=|d|&^|e|&&|f||||g|<-|h|:=|i|...|j|!=|k|<=|l|>=|m|==|n|");
  EXPECT_EQ(kinds("+= -= *= /= %= &= |= ^= ~ ."), "+= -= *= /= %= &= |= ^= ~ . EOF");
  EXPECT_EQ(texts("x.y..z"), "x|.|y|.|.|z|");
}

TEST(Lexer, IntegerLiterals) {
  EXPECT_EQ(kinds("42 4_2 0600 0_600 0o600 0O600 0xBadFace 0xBad_Face 0x_67_7a_2f_cc_40_c6 0b1011"),
            "INT INT INT INT INT INT INT INT INT INT NL EOF");
  EXPECT_EQ(kinds("170141183460469231731687303715884105727 170_141183_460469_231731_687303"),
            "INT INT NL EOF");
}

TEST(Lexer, FloatLiterals) {
  EXPECT_EQ(kinds("0. 72.40 072.40 2.71828 1.e+0 6.67428e-11 1E6 .25 .12345E+5 1_5. 0.15e+0_2"),
            "FLOAT FLOAT FLOAT FLOAT FLOAT FLOAT FLOAT FLOAT FLOAT FLOAT FLOAT NL EOF");
  EXPECT_EQ(kinds("0x1p-2 0x2.p10 0x1.Fp+0 0X.8p-0 0X_1FFFP-16 0x15e-2"),
            "FLOAT FLOAT FLOAT FLOAT FLOAT INT - INT NL EOF");  // 0x15e is hex, then -2
}

TEST(Lexer, ImaginaryLiterals) {
  EXPECT_EQ(kinds("0i 0123i 0o123i 0xabci 0.i 2.71828i 1.e+0i 6.67428e-11i 1E6i .25i 0x1p-2i"),
            "IMAG IMAG IMAG IMAG IMAG IMAG IMAG IMAG IMAG IMAG IMAG NL EOF");
  EXPECT_EQ(kinds("09i 09.5 08e1"), "IMAG FLOAT FLOAT NL EOF");  // legacy octal 8/9 are fine here
}

TEST(Lexer, RuneLiterals) {
  EXPECT_EQ(
      texts(R"('a' 'ä' '本' '\t' '\000' '\007' '\377' '\x07' '\xff' '\u12e4' '\U00101234' '\'')"),
      R"('a'|'ä'|'本'|'\t'|'\000'|'\007'|'\377'|'\x07'|'\xff'|'\u12e4'|'\U00101234'|'\''|)");
}

TEST(Lexer, StringLiterals) {
  EXPECT_EQ(kinds(R"("abc" "\n" "\"" "日本語" "\u65e5本\U00008a9e" "\xff\u00FF" "")"),
            "STRING STRING STRING STRING STRING STRING STRING NL EOF");
  EXPECT_EQ(texts("`raw\n\\n \"x\"\n` x"), "`raw\n\\n \"x\"\n`|x|");
}

TEST(Lexer, UnicodeIdentifiers) {
  EXPECT_EQ(texts("π := 日本語 + _x9 + ThisVariableIsExported + αβ + a٣"),
            "π|:=|日本語|+|_x9|+|ThisVariableIsExported|+|αβ|+|a٣|");
  EXPECT_EQ(error_of("x²"), "1:2: illegal character U+00B2 '²'");  // ² is not a decimal digit (Nd)
  EXPECT_EQ(error_of("٣a"), "1:1: illegal character U+0663 '٣'");  // digits cannot start a name
}

TEST(Lexer, KeywordsAreNotIdentifiers) {
  EXPECT_EQ(kinds("select struct switch selects case chan"),
            "select struct switch IDENT case chan EOF");
}

TEST(Lexer, CommentsAreKeptWithOffsets) {
  const std::string src =
      "//go:build linux\n\npackage p // trailing\n/* block\n */\n//line a.go:1\r\n";
  Lexer lx(src);
  while (lx.next().kind != Tok::kEof) {
  }
  ASSERT_EQ(lx.comments().size(), 4U);
  auto text = [&](size_t i) {
    const Token& t = lx.comments()[i];
    return src.substr(t.begin, t.end - t.begin);
  };
  EXPECT_EQ(text(0), "//go:build linux");
  EXPECT_EQ(text(1), "// trailing");
  EXPECT_EQ(text(2), "/* block\n */");
  EXPECT_EQ(text(3), "//line a.go:1");  // without the '\r' of CRLF
}

TEST(Lexer, ByteOrderMarkOnlyAtStart) {
  EXPECT_EQ(kinds("\xEF\xBB\xBFx"), "IDENT NL EOF");
  EXPECT_EQ(error_of("x \xEF\xBB\xBF"), "1:3: illegal byte order mark");
  EXPECT_EQ(error_of("// \xEF\xBB\xBF"), "1:4: illegal byte order mark");
}

TEST(Lexer, NumberErrors) {
  EXPECT_EQ(error_of("0x"), "1:3: hexadecimal literal has no digits");
  EXPECT_EQ(error_of("0b"), "1:3: binary literal has no digits");
  EXPECT_EQ(error_of("0b102"), "1:5: invalid digit '2' in binary literal");
  EXPECT_EQ(error_of("x := 0o78"), "1:9: invalid digit '8' in octal literal");
  EXPECT_EQ(error_of("089"), "1:2: invalid digit '8' in octal literal");
  EXPECT_EQ(error_of("1__0"), "1:3: '_' must separate successive digits");
  EXPECT_EQ(error_of("10_"), "1:3: '_' must separate successive digits");
  EXPECT_EQ(error_of("0_x1"), "1:2: '_' must separate successive digits");
  EXPECT_EQ(error_of("0x1.5"), "1:6: hexadecimal mantissa requires a 'p' exponent");
  EXPECT_EQ(error_of("1e"), "1:3: exponent has no digits");
  EXPECT_EQ(error_of("0x1p"), "1:5: exponent has no digits");
  EXPECT_EQ(error_of("0b1.0"), "1:4: invalid radix point in binary literal");
  EXPECT_EQ(error_of("0o1e3"), "1:4: 'e' exponent requires decimal mantissa");
  EXPECT_EQ(error_of("1p3"), "1:2: 'p' exponent requires hexadecimal mantissa");
}

TEST(Lexer, RuneAndStringErrors) {
  EXPECT_EQ(error_of("'ab'"), "1:1: illegal rune literal");
  EXPECT_EQ(error_of("''"), "1:1: illegal rune literal");
  EXPECT_EQ(error_of("x = 'a"), "1:5: rune literal not terminated");
  EXPECT_EQ(error_of("\"abc\ndef\""), "1:1: string literal not terminated");
  EXPECT_EQ(error_of("x `abc"), "1:3: raw string literal not terminated");
  EXPECT_EQ(error_of("/* abc"), "1:1: comment not terminated");
  EXPECT_EQ(error_of(R"("\q")"), "1:3: unknown escape sequence");
  EXPECT_EQ(error_of(R"('\'' "\'")"), "1:8: unknown escape sequence");  // \' only in runes
  EXPECT_EQ(error_of(R"("\xZZ")"), "1:4: illegal character U+005A 'Z' in escape sequence");
  EXPECT_EQ(error_of(R"('\uD800')"), "1:3: escape sequence is invalid Unicode code point");
  EXPECT_EQ(error_of(R"('\U00110000')"), "1:3: escape sequence is invalid Unicode code point");
  EXPECT_EQ(error_of(R"("\400")"), "1:3: escape sequence is invalid Unicode code point");
}

TEST(Lexer, IllegalCharacters) {
  EXPECT_EQ(error_of("a @ b"), "1:3: illegal character U+0040 '@'");
  EXPECT_EQ(error_of("\n  #"), "2:3: illegal character U+0023 '#'");
  EXPECT_EQ(error_of("x := \xe2\x80\x9dq"),
            "1:6: curly quotation mark '\xe2\x80\x9d' (use neutral '\"')");
  EXPECT_EQ(error_of(std::string("x\0y", 3)), "1:2: illegal character NUL");
  EXPECT_EQ(error_of(std::string("\"a\0\"", 4)), "1:3: illegal character NUL");
  EXPECT_EQ(error_of("x := \"\xff\""), "1:7: illegal UTF-8 encoding");
  EXPECT_EQ(error_of("// \xC0\x80 overlong"), "1:4: illegal UTF-8 encoding");
  EXPECT_EQ(error_of("a\xe2\x80"), "1:2: illegal UTF-8 encoding");  // truncated sequence
}

}  // namespace
}  // namespace goinstr::gosrc
