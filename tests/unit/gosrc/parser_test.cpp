// SPDX-License-Identifier: Apache-2.0
// The parser on snippets: generics and their ambiguities, composite literals in statement
// headers, switches, labels, the rest of the statement and type grammar, positions, comments,
// and the API a rewriter uses (imports, walk, text of a node).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "gosrc/dump.hpp"
#include "gosrc/parser.hpp"
#include "gosrc/walk.hpp"
#include "test_util.hpp"

namespace goinstr::gosrc::testing {
namespace {

// The type of the single type declaration in `decl`, with its type parameters.
std::string dump_type_decl(const std::string& decl) {
  auto f = parse_source("t.go", "package p; " + decl);
  if (!f) return "ERROR: " + f.error().message;
  return ast_dump(static_cast<GenDecl*>(f->decls.back())->specs[0]);
}

TEST(ParserGenerics, IndexThenCallIsInstantiationOrIndexing) {
  // a[b](c) is one syntax for both "index a, call the result" and "instantiate a with b, call".
  EXPECT_EQ(dump_expr("a[b](c)"), "(CallExpr (IndexExpr a b) c)");
  EXPECT_EQ(dump_expr("f[int, string](x)"), "(CallExpr (IndexExpr f int string) x)");
  EXPECT_EQ(dump_expr("f[[]int, map[K]V](x)"),
            "(CallExpr (IndexExpr f (ArrayType int) (MapType K V)) x)");
  EXPECT_EQ(dump_expr("pkg.F[*T](x)"),
            "(CallExpr (IndexExpr (SelectorExpr pkg F) (StarExpr T)) x)");
  EXPECT_EQ(dump_expr("List[int]{1, 2}"), "(CompositeLit type=(IndexExpr List int) 1 2)");
  EXPECT_EQ(dump_expr("Pair[K, V]{k, v}"), "(CompositeLit type=(IndexExpr Pair K V) k v)");
  EXPECT_EQ(dump_expr("(*T[int]).M"), "(SelectorExpr (ParenExpr (StarExpr (IndexExpr T int))) M)");
  EXPECT_EQ(dump_expr("a < b || c > (d)"),  // not a type argument list: Go uses [ ]
            "(BinaryExpr || (BinaryExpr < a b) (BinaryExpr > c (ParenExpr d)))");
}

TEST(ParserGenerics, TypeParameterListOrArrayLength) {
  EXPECT_EQ(dump_type_decl("type T[P any] struct{}"),
            "(TypeSpec T tparams=(FieldList (Field (names P) any)) (StructType))");
  EXPECT_EQ(dump_type_decl("type T [N]int"), "(TypeSpec T (ArrayType len=N int))");
  EXPECT_EQ(dump_type_decl("type T [N * M]int"),
            "(TypeSpec T (ArrayType len=(BinaryExpr * N M) int))");
  // `P *C` could be the array length P*C; go/parser reads it as one, unless the constraint is
  // certainly a type or a comma follows.
  EXPECT_EQ(dump_type_decl("type T [P *C]int"),
            "(TypeSpec T (ArrayType len=(BinaryExpr * P C) int))");
  EXPECT_EQ(dump_type_decl("type T[P *C,] int"),
            "(TypeSpec T tparams=(FieldList (Field (names P) (StarExpr C))) int)");
  EXPECT_EQ(dump_type_decl("type T[P *struct{}] int"),
            "(TypeSpec T tparams=(FieldList (Field (names P) (StarExpr (StructType)))) int)");
  EXPECT_EQ(dump_type_decl("type T[P (C)] int"), "(TypeSpec T (ArrayType len=(CallExpr P C) int))");
  EXPECT_EQ(dump_type_decl("type T[P ~int | string] int"),
            "(TypeSpec T tparams=(FieldList (Field (names P) (BinaryExpr | (UnaryExpr ~ int) "
            "string))) int)");
  EXPECT_EQ(
      dump_type_decl("type T[P []E, E any] int"),
      "(TypeSpec T tparams=(FieldList (Field (names P) (ArrayType E)) (Field (names E) any)) int)");
  EXPECT_EQ(dump_type_decl("type A[T any] = Pair[T, T]"),
            "(TypeSpec A tparams=(FieldList (Field (names T) any)) = (IndexExpr Pair T T))");
}

TEST(ParserGenerics, FunctionsAndMethods) {
  auto f = parse_ok(
      "package p\n"
      "func Map[S ~[]E, E, R any](s S, f func(E) R) []R { return nil }\n"
      "func (l *List[T]) Push(v T) {}\n"
      "func (List[_]) Len() int { return 0 }\n");
  ASSERT_TRUE(f);
  auto* map = dyn_cast<FuncDecl>(f->decls[0]);
  ASSERT_NE(map->type->type_params, nullptr);
  EXPECT_EQ(map->type->type_params->num_fields(), 3U);
  EXPECT_EQ(ast_dump(map->type->type_params),
            "(FieldList (Field (names S) (UnaryExpr ~ (ArrayType E))) (Field (names E R) any))");
  auto* push = dyn_cast<FuncDecl>(f->decls[1]);
  EXPECT_EQ(ast_dump(push->recv), "(FieldList (Field (names l) (StarExpr (IndexExpr List T))))");
  EXPECT_EQ(ast_dump(dyn_cast<FuncDecl>(f->decls[2])->recv),
            "(FieldList (Field (IndexExpr List _)))");
}

TEST(ParserGenerics, MethodTypeParametersAreAccepted) {
  // Go 1.27 allows generic methods; the compiler decides per language version.
  auto f = parse_ok("package p\nfunc (r R) Map[T any](f func(T)) {}\n");
  ASSERT_TRUE(f);
  EXPECT_NE(dyn_cast<FuncDecl>(f->decls[0])->type->type_params, nullptr);
}

TEST(ParserGenerics, InterfaceTypeSets) {
  EXPECT_EQ(dump_type_decl(
                "type C interface { ~int | ~string; M(); io.Reader; comparable; []byte | string }"),
            "(TypeSpec\n"
            "  C\n"
            "  (InterfaceType\n"
            "    (Field (BinaryExpr | (UnaryExpr ~ int) (UnaryExpr ~ string)))\n"
            "    (Field (names M) (FuncType (FieldList)))\n"
            "    (Field (SelectorExpr io Reader))\n"
            "    (Field comparable)\n"
            "    (Field (BinaryExpr | (ArrayType byte) string))))");
  EXPECT_EQ(dump_type_decl("type I interface{ Base[int]; p.Base[K, V] }"),
            "(TypeSpec\n"
            "  I\n"
            "  (InterfaceType (Field (IndexExpr Base int)) (Field (IndexExpr (SelectorExpr p Base) "
            "K V))))");
}

TEST(ParserHeaders, CompositeLiteralsInControlClauses) {
  // In an if/for/switch header, `T{` opens the block unless the literal is parenthesized or
  // its type is an explicit array, slice, map or struct type.
  EXPECT_EQ(dump_stmt("if x == (T{}) {}"),
            "(IfStmt (BinaryExpr == x (ParenExpr (CompositeLit type=T))) (BlockStmt))");
  EXPECT_EQ(dump_stmt("if v := []int{1}; len(v) > 0 {}"),
            "(IfStmt\n"
            "  init=(AssignStmt := (lhs v) (rhs (CompositeLit type=(ArrayType int) 1)))\n"
            "  (BinaryExpr > (CallExpr len v) 0)\n"
            "  (BlockStmt))");
  EXPECT_EQ(dump_stmt("for _, x := range []T{a, b} {}"),
            "(RangeStmt := key=_ value=x (CompositeLit type=(ArrayType T) a b) (BlockStmt))");
  EXPECT_EQ(dump_stmt("if f(T{}) {}"), "(IfStmt (CallExpr f (CompositeLit type=T)) (BlockStmt))");
  EXPECT_EQ(dump_stmt("switch s := (S{}); s.x {}"),
            "(SwitchStmt\n"
            "  init=(AssignStmt := (lhs s) (rhs (ParenExpr (CompositeLit type=S))))\n"
            "  tag=(SelectorExpr s x)\n"
            "  (BlockStmt))");
  EXPECT_EQ(dump_stmt("if m := map[string]int{}; m != nil {}"),
            "(IfStmt\n"
            "  init=(AssignStmt := (lhs m) (rhs (CompositeLit type=(MapType string int))))\n"
            "  (BinaryExpr != m nil)\n"
            "  (BlockStmt))");
  EXPECT_EQ(dump_stmt("for x := range T {}"), "(RangeStmt := key=x T (BlockStmt))");
  // In the body, a plain T{} is a literal again.
  EXPECT_EQ(dump_stmt("if ok { x = T{} }"),
            "(IfStmt ok (BlockStmt (AssignStmt = (lhs x) (rhs (CompositeLit type=T)))))");
  EXPECT_EQ(dump_stmt("if f := func() bool { return T{} == x }; f() {}"),
            "(IfStmt\n"
            "  init=(AssignStmt\n"
            "    :=\n"
            "    (lhs f)\n"
            "    (rhs\n"
            "      (FuncLit\n"
            "        (FuncType (FieldList) results=(FieldList (Field bool)))\n"
            "        (BlockStmt (ReturnStmt (BinaryExpr == (CompositeLit type=T) x))))))\n"
            "  (CallExpr f)\n"
            "  (BlockStmt))");
}

TEST(ParserStatements, TypeSwitches) {
  EXPECT_EQ(
      dump_stmt("switch x := y.(type) { case int, string: case nil: default: }"),
      "(TypeSwitchStmt\n"
      "  (AssignStmt := (lhs x) (rhs (TypeAssertExpr y type)))\n"
      "  (BlockStmt (CaseClause (list int string)) (CaseClause (list nil)) (CaseClause default)))");
  EXPECT_EQ(
      dump_stmt("switch y.(type) { case []int, map[K]V, func(): }"),
      "(TypeSwitchStmt\n"
      "  (ExprStmt (TypeAssertExpr y type))\n"
      "  (BlockStmt (CaseClause (list (ArrayType int) (MapType K V) (FuncType (FieldList))))))");
  EXPECT_EQ(dump_stmt("switch a := 1; b := x.(type) {}"),
            "(TypeSwitchStmt\n"
            "  init=(AssignStmt := (lhs a) (rhs 1))\n"
            "  (AssignStmt := (lhs b) (rhs (TypeAssertExpr x type)))\n"
            "  (BlockStmt))");
  EXPECT_EQ(
      dump_stmt("switch { case a > b: f() }"),
      "(SwitchStmt (BlockStmt (CaseClause (list (BinaryExpr > a b)) (ExprStmt (CallExpr f)))))");
}

TEST(ParserStatements, LabelsAndBranches) {
  EXPECT_EQ(dump_stmt("{ L: for { break L; continue L }; goto L }"),
            "(BlockStmt\n"
            "  (LabeledStmt L (ForStmt (BlockStmt (BranchStmt break L) (BranchStmt continue L))))\n"
            "  (BranchStmt goto L))");
  // A label at the end of a block labels an (implicit) empty statement.
  EXPECT_EQ(dump_stmt("{ goto end; end: }"),
            "(BlockStmt (BranchStmt goto end) (LabeledStmt end (EmptyStmt implicit)))");
  EXPECT_EQ(dump_stmt("switch { case true: fallthrough; default: }"),
            "(SwitchStmt (BlockStmt (CaseClause (list true) (BranchStmt fallthrough)) (CaseClause "
            "default)))");
}

TEST(ParserStatements, SelectAndChannels) {
  EXPECT_EQ(dump_stmt("select { case v, ok := <-c: case c <- 1: case <-d: default: }"),
            "(SelectStmt\n"
            "  (BlockStmt\n"
            "    (CommClause (AssignStmt := (lhs v ok) (rhs (UnaryExpr <- c))))\n"
            "    (CommClause (SendStmt c 1))\n"
            "    (CommClause (ExprStmt (UnaryExpr <- d)))\n"
            "    (CommClause default)))");
  EXPECT_EQ(dump_expr("make(<-chan <-chan int)"),
            "(CallExpr make (ChanType <-chan (ChanType <-chan int)))");
  EXPECT_EQ(dump_expr("make(chan<- chan int)"),
            "(CallExpr make (ChanType chan<- (ChanType chan int)))");
  EXPECT_EQ(dump_expr("make(chan (<-chan int))"),
            "(CallExpr make (ChanType chan (ParenExpr (ChanType <-chan int))))");
  EXPECT_EQ(dump_expr("<-chan int(nil)"), "(UnaryExpr <- (CallExpr (ChanType chan int) nil))");
}

TEST(ParserStatements, ForAndRangeForms) {
  EXPECT_EQ(dump_stmt("for {}"), "(ForStmt (BlockStmt))");
  EXPECT_EQ(dump_stmt("for ok {}"), "(ForStmt cond=ok (BlockStmt))");
  EXPECT_EQ(dump_stmt("for ;; {}"), "(ForStmt (BlockStmt))");
  EXPECT_EQ(dump_stmt("for i := 0; i < n; {}"),
            "(ForStmt init=(AssignStmt := (lhs i) (rhs 0)) cond=(BinaryExpr < i n) (BlockStmt))");
  EXPECT_EQ(dump_stmt("for range 10 {}"), "(RangeStmt 10 (BlockStmt))");  // Go 1.22
  EXPECT_EQ(dump_stmt("for i := range n {}"), "(RangeStmt := key=i n (BlockStmt))");
  EXPECT_EQ(dump_stmt("for k, v = range m {}"), "(RangeStmt = key=k value=v m (BlockStmt))");
  // Range over a function (Go 1.23) is the same syntax; which it is, is the type checker's call.
  EXPECT_EQ(dump_stmt("for x := range seq.All() {}"),
            "(RangeStmt := key=x (CallExpr (SelectorExpr seq All)) (BlockStmt))");
  EXPECT_EQ(dump_stmt("for range func(yield func() bool) {} {}"),
            "(RangeStmt\n"
            "  (FuncLit\n"
            "    (FuncType\n"
            "      (FieldList (Field (names yield) (FuncType (FieldList) results=(FieldList (Field "
            "bool))))))\n"
            "    (BlockStmt))\n"
            "  (BlockStmt))");
}

TEST(ParserStatements, SimpleStatements) {
  EXPECT_EQ(dump_stmt("a, b = b, a"), "(AssignStmt = (lhs a b) (rhs b a))");
  EXPECT_EQ(dump_stmt("x <<= 2"), "(AssignStmt <<= (lhs x) (rhs 2))");
  EXPECT_EQ(dump_stmt("m[k]++"), "(IncDecStmt ++ (IndexExpr m k))");
  EXPECT_EQ(dump_stmt("ch <- v"), "(SendStmt ch v)");
  EXPECT_EQ(dump_stmt("defer mu.Unlock()"), "(DeferStmt (CallExpr (SelectorExpr mu Unlock)))");
  EXPECT_EQ(dump_stmt("go func() {}()"),
            "(GoStmt (CallExpr (FuncLit (FuncType (FieldList)) (BlockStmt))))");
  EXPECT_EQ(dump_stmt("var x, y int = 1, 2"),
            "(DeclStmt (GenDecl var (ValueSpec (names x y) type=int (values 1 2))))");
  EXPECT_EQ(dump_stmt("const c = iota"),
            "(DeclStmt (GenDecl const (ValueSpec (names c) (values iota))))");
  EXPECT_EQ(dump_stmt("type t struct{}"), "(DeclStmt (GenDecl type (TypeSpec t (StructType))))");
  EXPECT_EQ(dump_stmt(";"), "(EmptyStmt)");
}

TEST(ParserExpressions, PrecedenceAndUnary) {
  EXPECT_EQ(
      dump_expr("a + b*c == d && e || f"),
      "(BinaryExpr || (BinaryExpr && (BinaryExpr == (BinaryExpr + a (BinaryExpr * b c)) d) e) f)");
  EXPECT_EQ(dump_expr("a - b - c"), "(BinaryExpr - (BinaryExpr - a b) c)");  // left-associative
  EXPECT_EQ(dump_expr("x << 1 | y &^ z"), "(BinaryExpr | (BinaryExpr << x 1) (BinaryExpr &^ y z))");
  EXPECT_EQ(dump_expr("-x + !b + ^y + *p + &T{}"),
            "(BinaryExpr\n"
            "  +\n"
            "  (BinaryExpr\n"
            "    +\n"
            "    (BinaryExpr + (BinaryExpr + (UnaryExpr - x) (UnaryExpr ! b)) (UnaryExpr ^ y))\n"
            "    (StarExpr p))\n"
            "  (UnaryExpr & (CompositeLit type=T)))");
}

TEST(ParserExpressions, PrimaryExpressions) {
  EXPECT_EQ(dump_expr("a[1:2]"), "(SliceExpr a low=1 high=2)");
  EXPECT_EQ(dump_expr("a[:]"), "(SliceExpr a)");
  EXPECT_EQ(dump_expr("a[i:j:k]"), "(SliceExpr a low=i high=j max=k)");
  EXPECT_EQ(dump_expr("x.(*T).f"), "(SelectorExpr (TypeAssertExpr x (StarExpr T)) f)");
  EXPECT_EQ(dump_expr("f(xs...)"), "(CallExpr f xs ...)");
  EXPECT_EQ(dump_expr("[]byte(\"x\")"), "(CallExpr (ArrayType byte) \"x\")");
  EXPECT_EQ(dump_expr("(*T)(p)"), "(CallExpr (ParenExpr (StarExpr T)) p)");
  EXPECT_EQ(dump_expr("T.Method"), "(SelectorExpr T Method)");  // method expression
  EXPECT_EQ(dump_expr("(*T).Method"), "(SelectorExpr (ParenExpr (StarExpr T)) Method)");
  EXPECT_EQ(dump_expr("func(x int) int { return x }(1)"),
            "(CallExpr\n"
            "  (FuncLit\n"
            "    (FuncType (FieldList (Field (names x) int)) results=(FieldList (Field int)))\n"
            "    (BlockStmt (ReturnStmt x)))\n"
            "  1)");
  EXPECT_EQ(dump_expr("[...]string{2: \"b\", 0: \"a\"}"),
            "(CompositeLit type=(ArrayType len=(Ellipsis) string) (KeyValueExpr 2 \"b\") "
            "(KeyValueExpr 0 \"a\"))");
  EXPECT_EQ(dump_expr("map[string][]int{\"a\": {1}, \"b\": nil}"),
            "(CompositeLit\n"
            "  type=(MapType string (ArrayType int))\n"
            "  (KeyValueExpr \"a\" (CompositeLit 1))\n"
            "  (KeyValueExpr \"b\" nil))");
  EXPECT_EQ(dump_expr("struct{ a int }{1}"),
            "(CompositeLit type=(StructType (Field (names a) int)) 1)");
}

TEST(ParserTypes, StructFieldsTagsAndEmbedding) {
  EXPECT_EQ(dump_type_decl("type S struct { io.Reader; *Buf; T[int]; p.G[K, V]; a, b int "
                           "`json:\"a\"`; c []E; d [4]E }"),
            "(TypeSpec\n"
            "  S\n"
            "  (StructType\n"
            "    (Field (SelectorExpr io Reader))\n"
            "    (Field (StarExpr Buf))\n"
            "    (Field (IndexExpr T int))\n"
            "    (Field (IndexExpr (SelectorExpr p G) K V))\n"
            "    (Field (names a b) int tag=`json:\"a\"`)\n"
            "    (Field (names c) (ArrayType E))\n"
            "    (Field (names d) (ArrayType len=4 E))))");
  EXPECT_EQ(dump_type_decl("type F func(a, b int, c ...string) (n int, err error)"),
            "(TypeSpec\n"
            "  F\n"
            "  (FuncType\n"
            "    (FieldList (Field (names a b) int) (Field (names c) (Ellipsis string)))\n"
            "    results=(FieldList (Field (names n) int) (Field (names err) error))))");
  EXPECT_EQ(dump_type_decl("type F func(int, string) error"),
            "(TypeSpec F (FuncType (FieldList (Field int) (Field string)) results=(FieldList "
            "(Field error))))");
}

TEST(ParserFile, ImportsAndTheirOffsets) {
  const std::string src =
      "package main\n\nimport (\n\t\"fmt\"\n\tnethttp \"net/http\"\n\t_ \"embed\"\n\t. "
      "`strings`\n)\n";
  auto f = parse_ok(src);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->name->name, "main");
  ASSERT_EQ(f->imports.size(), 4U);
  std::vector<std::string> seen;
  for (const ImportSpec* imp : f->imports) {
    seen.push_back((imp->name != nullptr ? std::string(imp->name->name) + " " : "") +
                   unquote(imp->path->value).value_or("?"));
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"fmt", "nethttp net/http", "_ embed", ". strings"}));
  const ImportSpec* http = f->imports[1];
  EXPECT_EQ(f->text(*http), "nethttp \"net/http\"");
  EXPECT_EQ(f->position(http->path->begin).line, 5U);
  auto* decl = dyn_cast<GenDecl>(f->decls[0]);
  EXPECT_EQ(f->text(*decl).substr(0, 8), "import (");
  EXPECT_EQ(src[decl->rparen], ')');
}

TEST(ParserFile, FuncDeclOffsetsForRewriting) {
  const std::string src =
      "package p\n\n// Handle serves.\nfunc (s *S) Handle(w W, r *R) (int, error) {\n\treturn 0, "
      "nil\n}\n";
  auto f = parse_ok(src);
  ASSERT_TRUE(f);
  auto* fn = dyn_cast<FuncDecl>(f->decls[0]);
  ASSERT_NE(fn, nullptr);
  EXPECT_EQ(fn->name->name, "Handle");
  EXPECT_EQ(src[fn->body->lbrace], '{');
  EXPECT_EQ(src[fn->body->rbrace], '}');
  EXPECT_EQ(fn->body->rbrace + 1, fn->end);
  EXPECT_EQ(f->text(*fn->recv), "(s *S)");
  EXPECT_EQ(f->text(*fn->type->params), "(w W, r *R)");
  EXPECT_EQ(f->text(*fn->type->results), "(int, error)");
  EXPECT_EQ(f->text(*fn->recv->list[0]->type), "*S");
  ASSERT_NE(fn->doc, nullptr);
  EXPECT_EQ(fn->doc->list[0]->text, "// Handle serves.");
  auto* ret = dyn_cast<ReturnStmt>(fn->body->list[0]);
  ASSERT_NE(ret, nullptr);
  EXPECT_EQ(f->text(*ret), "return 0, nil");
  EXPECT_EQ(f->position(ret->begin).line, 5U);
  EXPECT_EQ(f->position(ret->begin).column, 2U);  // after a tab: columns count bytes
}

TEST(ParserFile, WalkFindsHandlerRegistrationsAndReturns) {
  const std::string src =
      "package main\n"
      "import \"net/http\"\n"
      "func main() {\n"
      "\thttp.HandleFunc(\"/a\", a)\n"
      "\tif true {\n"
      "\t\thttp.HandleFunc(\"/b\", func(w http.ResponseWriter, r *http.Request) { return })\n"
      "\t}\n"
      "\treturn\n"
      "}\n";
  auto f = parse_ok(src);
  ASSERT_TRUE(f);
  std::vector<std::string> routes;
  int returns = 0;
  walk(*f, [&](Node* n) {
    if (n->kind == NodeKind::kFuncLit) return false;  // returns of closures are not main's
    if (n->kind == NodeKind::kReturnStmt) ++returns;
    auto* call = dyn_cast<CallExpr>(n);
    auto* sel = call != nullptr ? dyn_cast<SelectorExpr>(call->fun) : nullptr;
    auto* pkg = sel != nullptr ? dyn_cast<Ident>(sel->x) : nullptr;
    if (pkg != nullptr && pkg->name == "http" && sel->sel->name == "HandleFunc") {
      routes.push_back(
          f->text(*call->args[0]).data() == nullptr ? "" : std::string(f->text(*call->args[0])));
    }
    return true;
  });
  EXPECT_EQ(routes, (std::vector<std::string>{"\"/a\"", "\"/b\""}));
  EXPECT_EQ(returns, 1);
}

TEST(ParserFile, CommentsDocsAndDirectives) {
  const std::string src =
      "// Package p is documented.\n"
      "package p\n\n"
      "//go:build linux\n\n"
      "//go:noinline\n"
      "//line x.go:10\n"
      "func f() {} // trailing\n\n"
      "/* detached */\n\n"
      "var v int\n";
  auto f = parse_ok(src);
  ASSERT_TRUE(f);
  ASSERT_NE(f->doc, nullptr);
  EXPECT_EQ(f->doc->list[0]->text, "// Package p is documented.");
  ASSERT_EQ(f->comments.size(), 5U);  // doc, go:build, the directive pair, trailing, detached
  auto* fn = dyn_cast<FuncDecl>(f->decls[0]);
  ASSERT_NE(fn->doc, nullptr);
  ASSERT_EQ(fn->doc->list.size(), 2U);
  EXPECT_TRUE(fn->doc->list[0]->is_directive());
  EXPECT_TRUE(fn->doc->list[1]->is_directive());
  EXPECT_EQ(f->position(fn->doc->list[1]->begin).line, 7U);
  EXPECT_TRUE(f->comments[1]->list[0]->is_directive());
  EXPECT_FALSE(f->comments[0]->list[0]->is_directive());
  EXPECT_EQ(dyn_cast<GenDecl>(f->decls[1])->doc, nullptr);  // a blank line separates them
}

TEST(ParserFile, DirectiveRecognition) {
  auto is_directive = [](std::string_view text) {
    Comment c;
    c.text = text;
    return c.is_directive();
  };
  EXPECT_TRUE(is_directive("//go:embed x"));
  EXPECT_TRUE(is_directive("//go:linkname a b"));
  EXPECT_TRUE(is_directive("//line :10"));
  EXPECT_TRUE(is_directive("/*line x.go:1:1*/"));
  EXPECT_TRUE(is_directive("//export F"));
  EXPECT_FALSE(is_directive("// go:embed x"));
  EXPECT_FALSE(is_directive("//TODO: later"));
  EXPECT_FALSE(is_directive("//go:"));
}

TEST(ParserFile, FileStaysValidWhenMoved) {
  std::vector<File> files;
  for (const char* src : {"package a", "package b\nfunc f() {}"}) {
    auto f = parse_source("x.go", src);
    ASSERT_TRUE(f);
    files.push_back(std::move(*f));
  }
  EXPECT_EQ(files[0].name->name, "a");
  EXPECT_EQ(files[1].name->name, "b");
  EXPECT_EQ(files[1].text(*files[1].decls[0]), "func f() {}");
}

TEST(ParserFile, DumpWithPositions) {
  EXPECT_EQ(dump_of("package p\nvar x = f(1)\n", true),
            "(File\n"
            "  p@8-9\n"
            "  (GenDecl@10-22 var (ValueSpec@14-22 (names x@14-15) (values (CallExpr@18-22 f@18-19 "
            "1@20-21)))))");
}

TEST(ParserFile, ReadsFilesFromDisk) {
  auto missing = parse_file("/nonexistent/x.go");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("/nonexistent/x.go"), std::string::npos);
}

TEST(LineTable, OffsetsToLineAndColumn) {
  const LineTable t("ab\ncd\n\nef");
  EXPECT_EQ(t.at(0).line, 1U);
  EXPECT_EQ(t.at(0).column, 1U);
  EXPECT_EQ(t.at(2).column, 3U);  // the newline itself belongs to its line
  EXPECT_EQ(t.at(3).line, 2U);
  EXPECT_EQ(t.at(6).line, 3U);
  EXPECT_EQ(t.at(8).line, 4U);
  EXPECT_EQ(t.at(8).column, 2U);
  EXPECT_EQ(t.line_count(), 4U);
  EXPECT_EQ(t.line_start(4), 7U);
  EXPECT_EQ(t.line_start(5), kNoPos);
  uint32_t hint = 1;
  EXPECT_EQ(t.line(8, hint), 4U);
  EXPECT_EQ(t.line(0, hint), 1U);  // a stale hint still gives the right answer
}

TEST(Unquote, InterpretedAndRawStrings) {
  EXPECT_EQ(unquote("\"net/http\""), "net/http");
  EXPECT_EQ(unquote("`json:\"a,omitempty\"`"), "json:\"a,omitempty\"");
  EXPECT_EQ(unquote(R"("a\tb\n\"\\\x41\101\u00e9\U0001F600")"),
            "a\tb\n\"\\AA\xC3\xA9\xF0\x9F\x98\x80");
  EXPECT_EQ(unquote("`a\r\nb`"), "a\nb");
  EXPECT_EQ(unquote("\"\\q\""), std::nullopt);
  EXPECT_EQ(unquote("\"abc"), std::nullopt);
  EXPECT_EQ(unquote("'a'"), std::nullopt);
}

}  // namespace
}  // namespace goinstr::gosrc::testing
