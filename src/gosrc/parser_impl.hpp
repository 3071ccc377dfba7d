// SPDX-License-Identifier: Apache-2.0
// The parser's internals, shared by parser*.cpp. Not installed, not for other libraries.
//
// The structure is go/parser's (function for function where the grammar is subtle), so that a
// Go change to go/parser can be mirrored here. Two differences: the first error ends the parse
// (a ParseError exception, caught in parse_source; it never leaves the library), and lists are
// collected on reusable scratch stacks and copied into the arena once complete.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "gosrc/lexer.hpp"
#include "gosrc/parser.hpp"

namespace goinstr::gosrc::detail {

struct ParseError {
  Pos pos = 0;
  std::string message;
};

// A parameter-list entry before names and types are matched up (go/parser's `field`).
struct ParamEntry {
  Ident* name = nullptr;
  Expr* type = nullptr;
};

// A scratch stack for building lists of T*: note mark(), push, then take(mark) copies the
// entries above the mark into the arena and pops them. Nested lists push above the outer ones.
template <typename T>
class Scratch {
 public:
  size_t mark() const { return items_.size(); }
  void push(T* item) { items_.push_back(item); }
  List<T> take(Arena& arena, size_t mark) {
    std::span<T* const> built(items_.data() + mark, items_.size() - mark);
    auto out = arena.copy<T*>(built);
    items_.resize(mark);
    return out;
  }

 private:
  std::vector<T*> items_;
};

class Parser {
 public:
  explicit Parser(File& file);
  void parse_file();  // throws ParseError

 private:
  friend class DepthGuard;
  // parser.cpp: tokens, errors, comments
  void next();
  void attach_comments(size_t first, Pos prev_begin);
  std::pair<CommentGroup*, uint32_t> take_comment_group(size_t& i, uint32_t max_gap);
  uint32_t line(Pos p) const { return file_.lines.line(p, line_hint_); }
  Pos expect(Tok t);
  Pos expect_closing(Tok t, std::string_view context);
  bool at_comma(std::string_view context, Tok follow);
  CommentGroup* expect_semi();
  [[noreturn]] void error(Pos pos, std::string message) const;
  [[noreturn]] void error_expected(std::string_view what) const;
  std::string describe_token() const;
  std::string_view token_text() const { return src_.substr(tok_.begin, tok_.end - tok_.begin); }
  BasicLit* make_basic_lit();  // from tok_, which must be a literal (not consumed)
  IndexExpr* make_index(Expr* x, Pos lbrack, List<Expr> indices, Pos rbrack);
  FieldList* make_field_list(Pos opening, List<Field> list, Pos closing);
  template <typename T>
  List<T> single(Scratch<T>& scratch, T* item) {
    const size_t mark = scratch.mark();
    scratch.push(item);
    return scratch.take(file_.arena, mark);
  }
  template <typename T>
  T* make(Pos begin, Pos end) {
    T* n = file_.arena.make<T>();
    n->kind = T::kKind;
    n->begin = begin;
    n->end = end;
    return n;
  }

  // parser_type.cpp
  Ident* parse_ident();
  List<Ident> parse_ident_list();
  Expr* parse_type();
  Expr* try_ident_or_type();
  Expr* parse_type_name(Ident* ident);
  Expr* parse_qualified_ident(Ident* ident);
  Expr* parse_type_instance(Expr* type);
  Expr* parse_array_type(Pos lbrack, Expr* len);
  std::pair<Ident*, Expr*> parse_array_field_or_type_instance(Ident* x);
  StructType* parse_struct_type();
  Field* parse_field_decl();
  std::pair<List<Ident>, Expr*> parse_field_names_and_type();
  Expr* parse_pointer_type();
  Ellipsis* parse_dots_type();
  FuncType* parse_func_type();
  InterfaceType* parse_interface_type();
  Field* parse_interface_elem();
  Field* parse_method_spec();
  Expr* embedded_elem(Expr* x);
  Expr* embedded_term();
  MapType* parse_map_type();
  ChanType* parse_chan_type();

  // parser_params.cpp
  FieldList* parse_type_parameters();
  FieldList* parse_parameters(bool result);
  List<Field> parse_parameter_list(Ident* name0, Expr* type0, Tok closing, bool dots_ok);
  ParamEntry parse_param_decl(Ident* name, bool type_sets_ok);
  void check_parameters(size_t mark, size_t named, size_t typed, bool type_params, Pos pos0);
  void check_variadic(size_t mark, bool dots_ok);
  List<Field> group_parameters(size_t mark, size_t named);
  Field* make_field(List<Ident> names, Expr* type);

  // parser_expr.cpp
  Expr* parse_expr();
  Expr* parse_rhs();
  List<Expr> parse_expr_list(bool in_rhs);
  Expr* parse_binary_expr(Expr* x, int prec1);
  Expr* parse_unary_expr();
  Expr* parse_arrow_expr();
  Expr* parse_primary_expr(Expr* x);
  Expr* parse_operand();
  Expr* parse_func_type_or_lit();
  Expr* parse_selector_or_assert(Expr* x);
  Expr* parse_index_or_slice_or_instance(Expr* x);
  CallExpr* parse_call_or_conversion(Expr* fun);
  Expr* parse_literal_value(Expr* type);
  Expr* parse_element();
  Expr* parse_value();
  bool composite_lit_allowed(Expr* x) const;

  // parser_stmt.cpp
  Stmt* parse_stmt();
  List<Stmt> parse_stmt_list();
  BlockStmt* parse_block_stmt();
  Stmt* parse_simple_stmt(int mode, bool* is_range);
  Stmt* parse_assign_stmt(List<Expr> lhs, int mode, bool* is_range);
  Expr* parse_range_clause();
  Stmt* parse_labeled_stmt(Expr* x, int mode);
  Stmt* parse_go_or_defer(Tok keyword);
  Stmt* parse_return_stmt();
  Stmt* parse_branch_stmt(Tok keyword);
  Stmt* parse_if_stmt();
  std::pair<Stmt*, Expr*> parse_if_header();
  Expr* make_expr(Stmt* s, std::string_view want);
  Stmt* parse_switch_stmt();
  Stmt* parse_case_clause();
  bool is_type_switch_guard(Stmt* s) const;
  Stmt* parse_select_stmt();
  Stmt* parse_comm_clause();
  Stmt* parse_comm(List<Expr> lhs);
  struct ForHeader {
    Stmt* init = nullptr;
    Stmt* cond = nullptr;  // the range AssignStmt when is_range
    Stmt* post = nullptr;
    bool is_range = false;
  };
  Stmt* parse_for_stmt();
  ForHeader parse_for_header();
  Stmt* make_range_stmt(Pos for_pos, Stmt* header, BlockStmt* body);
  BlockStmt* parse_clause_block(bool comm);

  // parser_decl.cpp
  Decl* parse_decl();
  GenDecl* parse_gen_decl(Tok keyword);
  Spec* parse_spec(Tok keyword, CommentGroup* doc);
  Spec* parse_import_spec(CommentGroup* doc);
  Spec* parse_value_spec(CommentGroup* doc, Tok keyword);
  Spec* parse_type_spec(CommentGroup* doc);
  std::pair<Ident*, Expr*> extract_name(Expr* x, bool force, int depth = 0);
  void parse_generic_type(TypeSpec* spec, Pos lbrack, Ident* name0, Expr* type0);
  FuncDecl* parse_func_decl();

  File& file_;
  std::string_view src_;
  Lexer lex_;
  Token tok_;
  int expr_lev_ = 0;     // < 0: in a control clause (no composite literals); >= 0: in an expression
  bool in_rhs_ = false;  // parsing a right-hand side (see parse_expr_list)
  int depth_ = 0;        // nesting, bounded so hostile input cannot overflow the stack
  mutable uint32_t line_hint_ = 1;        // for line(): comments are looked up in source order
  CommentGroup* lead_comment_ = nullptr;  // group ending on the line before tok_
  CommentGroup* line_comment_ = nullptr;  // group after the previous token, on its line

  Scratch<Expr> exprs_;
  Scratch<Stmt> stmts_;
  Scratch<Ident> idents_;
  Scratch<Field> fields_;
  Scratch<Spec> specs_;
  Scratch<Decl> decls_;
  Scratch<ImportSpec> imports_;
  Scratch<Comment> comment_items_;
  Scratch<CommentGroup> comment_groups_;
  std::vector<ParamEntry> params_;  // parse_parameter_list's stack; indices, not references
};

// Bounds the parser's recursion (and so the nesting of the tree): every recursive production
// holds one. Nesting deeper than kMaxDepth is an error, as in go/parser (whose limit is 100000;
// ours must fit a thread's stack: the deepest nesting allowed needs under 2 MiB, see the
// ParserErrors.Deep* tests).
// Left-associative chains (a+b+c..., x.f().g()..., unions) are built by loops, not recursion,
// and are not limited: Go 1.19's time/tzdata is one 7,000-term string concatenation.
class DepthGuard {
 public:
  static constexpr int kMaxDepth = 5000;
  explicit DepthGuard(Parser& p) : p_(p) {
    if (++p_.depth_ > kMaxDepth) p_.error(p_.tok_.begin, "exceeded max nesting depth");
  }
  ~DepthGuard() { --p_.depth_; }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;

 private:
  Parser& p_;
};

// Simple-statement modes (go/parser's basic, labelOk, rangeOk).
inline constexpr int kBasic = 0;
inline constexpr int kLabelOk = 1;
inline constexpr int kRangeOk = 2;

// (x) -> x, repeatedly.
Expr* unparen(Expr* x);

}  // namespace goinstr::gosrc::detail
