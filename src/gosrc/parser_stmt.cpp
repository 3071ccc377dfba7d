// SPDX-License-Identifier: Apache-2.0
// Statements (https://go.dev/ref/spec#Statements).
#include <fmt/format.h>

#include "gosrc/parser_impl.hpp"

namespace goinstr::gosrc::detail {
namespace {

bool is_assign_op(Tok t) {
  switch (t) {
    case Tok::kDefine:
    case Tok::kAssign:
    case Tok::kAddAssign:
    case Tok::kSubAssign:
    case Tok::kMulAssign:
    case Tok::kQuoAssign:
    case Tok::kRemAssign:
    case Tok::kAndAssign:
    case Tok::kOrAssign:
    case Tok::kXorAssign:
    case Tok::kShlAssign:
    case Tok::kShrAssign:
    case Tok::kAndNotAssign:
      return true;
    default:
      return false;
  }
}

bool is_type_switch_assert(const Expr* x) {
  const auto* a = dyn_cast<TypeAssertExpr>(x);
  return a != nullptr && a->type == nullptr;
}

}  // namespace

List<Stmt> Parser::parse_stmt_list() {
  const size_t mark = stmts_.mark();
  while (tok_.kind != Tok::kCase && tok_.kind != Tok::kDefault && tok_.kind != Tok::kRbrace &&
         tok_.kind != Tok::kEof) {
    stmts_.push(parse_stmt());
  }
  return stmts_.take(file_.arena, mark);
}

BlockStmt* Parser::parse_block_stmt() {
  const Pos lbrace = expect(Tok::kLbrace);
  List<Stmt> list = parse_stmt_list();
  const Pos rbrace = expect(Tok::kRbrace);
  auto* b = make<BlockStmt>(lbrace, rbrace + 1);
  b->lbrace = lbrace;
  b->list = list;
  b->rbrace = rbrace;
  return b;
}

Stmt* Parser::parse_stmt() {
  DepthGuard guard(*this);
  switch (tok_.kind) {
    case Tok::kConst:
    case Tok::kType:
    case Tok::kVar: {
      GenDecl* d = parse_gen_decl(tok_.kind);
      auto* s = make<DeclStmt>(d->begin, d->end);
      s->decl = d;
      return s;
    }
    // tokens that may start an expression
    case Tok::kIdent:
    case Tok::kInt:
    case Tok::kFloat:
    case Tok::kImag:
    case Tok::kChar:
    case Tok::kString:
    case Tok::kFunc:
    case Tok::kLparen:
    case Tok::kLbrack:
    case Tok::kStruct:
    case Tok::kMap:
    case Tok::kChan:
    case Tok::kInterface:
    case Tok::kAdd:
    case Tok::kSub:
    case Tok::kMul:
    case Tok::kAnd:
    case Tok::kXor:
    case Tok::kArrow:
    case Tok::kNot: {
      Stmt* s = parse_simple_stmt(kLabelOk, nullptr);
      // A labeled statement's own statement has consumed its semicolon.
      if (s->kind != NodeKind::kLabeledStmt) expect_semi();
      return s;
    }
    case Tok::kGo:
    case Tok::kDefer:
      return parse_go_or_defer(tok_.kind);
    case Tok::kReturn:
      return parse_return_stmt();
    case Tok::kBreak:
    case Tok::kContinue:
    case Tok::kGoto:
    case Tok::kFallthrough:
      return parse_branch_stmt(tok_.kind);
    case Tok::kLbrace: {
      BlockStmt* b = parse_block_stmt();
      expect_semi();
      return b;
    }
    case Tok::kIf:
      return parse_if_stmt();
    case Tok::kSwitch:
      return parse_switch_stmt();
    case Tok::kSelect:
      return parse_select_stmt();
    case Tok::kFor:
      return parse_for_stmt();
    case Tok::kSemicolon: {
      auto* s = make<EmptyStmt>(tok_.begin, tok_.end);
      s->implicit = tok_.implicit();
      next();
      return s;
    }
    case Tok::kRbrace: {  // `L: }`: the label's statement is empty
      auto* s = make<EmptyStmt>(tok_.begin, tok_.begin);
      s->implicit = true;
      return s;
    }
    default:
      error_expected("statement");
  }
}

// Expression, send, inc/dec, assignment or (mode kLabelOk) labeled statement; with kRangeOk also
// `k, v := range x`, reported through *is_range as an AssignStmt whose only rhs is a kRange
// UnaryExpr (parse_for_stmt turns it into a RangeStmt).
Stmt* Parser::parse_simple_stmt(int mode, bool* is_range) {
  List<Expr> lhs = parse_expr_list(false);
  if (is_assign_op(tok_.kind)) return parse_assign_stmt(lhs, mode, is_range);
  if (lhs.size() > 1) error(lhs[0]->begin, "expected 1 expression");
  Expr* x = lhs[0];
  switch (tok_.kind) {
    case Tok::kColon:
      return parse_labeled_stmt(x, mode);
    case Tok::kArrow: {
      const Pos arrow = expect(Tok::kArrow);
      Expr* value = parse_rhs();
      auto* s = make<SendStmt>(x->begin, value->end);
      s->chan = x;
      s->arrow = arrow;
      s->value = value;
      return s;
    }
    case Tok::kInc:
    case Tok::kDec: {
      auto* s = make<IncDecStmt>(x->begin, tok_.end);
      s->x = x;
      s->tok = tok_.kind;
      s->tok_pos = tok_.begin;
      next();
      return s;
    }
    default: {
      auto* s = make<ExprStmt>(x->begin, x->end);
      s->x = x;
      return s;
    }
  }
}

// lhs op rhs, where op is = := or an op-assignment; see parse_simple_stmt for ranges.
Stmt* Parser::parse_assign_stmt(List<Expr> lhs, int mode, bool* is_range) {
  const Token op = tok_;
  next();
  List<Expr> rhs;
  if (mode == kRangeOk && tok_.kind == Tok::kRange &&
      (op.kind == Tok::kDefine || op.kind == Tok::kAssign)) {
    rhs = single(exprs_, parse_range_clause());
    *is_range = true;
  } else {
    rhs = parse_expr_list(true);
  }
  auto* a = make<AssignStmt>(lhs.front()->begin, rhs.back()->end);
  a->lhs = lhs;
  a->tok = op.kind;
  a->tok_pos = op.begin;
  a->rhs = rhs;
  return a;
}

// `range x`, as the UnaryExpr go/parser uses to carry it to parse_for_stmt.
Expr* Parser::parse_range_clause() {
  const Pos range = expect(Tok::kRange);
  Expr* x = parse_rhs();
  auto* u = make<UnaryExpr>(range, x->end);
  u->op = Tok::kRange;
  u->x = x;
  return u;
}

// label: stmt, after the label expression (which must be an identifier).
Stmt* Parser::parse_labeled_stmt(Expr* x, int mode) {
  const Pos colon = expect(Tok::kColon);
  auto* label = dyn_cast<Ident>(x);
  if (mode != kLabelOk || label == nullptr) error(colon, "illegal label declaration");
  Stmt* stmt = parse_stmt();
  auto* s = make<LabeledStmt>(label->begin, stmt->end);
  s->label = label;
  s->colon = colon;
  s->stmt = stmt;
  return s;
}

Stmt* Parser::parse_go_or_defer(Tok keyword) {
  const Pos pos = expect(keyword);
  const std::string_view what = keyword == Tok::kGo ? "go" : "defer";
  Expr* x = parse_rhs();
  if (unparen(x) != x) {
    error(x->begin, fmt::format("expression in {} must not be parenthesized", what));
  }
  auto* call = dyn_cast<CallExpr>(x);
  if (call == nullptr) error(x->end, fmt::format("expression in {} must be function call", what));
  expect_semi();
  if (keyword == Tok::kGo) {
    auto* s = make<GoStmt>(pos, call->end);
    s->call = call;
    return s;
  }
  auto* s = make<DeferStmt>(pos, call->end);
  s->call = call;
  return s;
}

Stmt* Parser::parse_return_stmt() {
  const Token kw = tok_;
  expect(Tok::kReturn);
  List<Expr> results;
  if (tok_.kind != Tok::kSemicolon && tok_.kind != Tok::kRbrace) results = parse_expr_list(true);
  expect_semi();
  auto* s = make<ReturnStmt>(kw.begin, results.empty() ? kw.end : results.back()->end);
  s->results = results;
  return s;
}

Stmt* Parser::parse_branch_stmt(Tok keyword) {
  const Token kw = tok_;
  expect(keyword);
  Ident* label = nullptr;
  // goto needs its label; break and continue may have one.
  if (keyword == Tok::kGoto ||
      ((keyword == Tok::kBreak || keyword == Tok::kContinue) && tok_.kind == Tok::kIdent)) {
    label = parse_ident();
  }
  expect_semi();
  auto* s = make<BranchStmt>(kw.begin, label != nullptr ? label->end : kw.end);
  s->tok = keyword;
  s->label = label;
  return s;
}

Stmt* Parser::parse_if_stmt() {
  DepthGuard guard(*this);  // else-if chains recurse
  const Pos pos = expect(Tok::kIf);
  auto [init, cond] = parse_if_header();
  BlockStmt* body = parse_block_stmt();
  Stmt* else_stmt = nullptr;
  if (tok_.kind == Tok::kElse) {
    next();
    if (tok_.kind == Tok::kIf) {
      else_stmt = parse_if_stmt();
    } else if (tok_.kind == Tok::kLbrace) {
      else_stmt = parse_block_stmt();
      expect_semi();
    } else {
      error_expected("if statement or block");
    }
  } else {
    expect_semi();
  }
  auto* s = make<IfStmt>(pos, else_stmt != nullptr ? else_stmt->end : body->end);
  s->init = init;
  s->cond = cond;
  s->body = body;
  s->else_stmt = else_stmt;
  return s;
}

// [init;] cond, parsed at expr_lev_ -1 so that `if x == T{} {` is not taken for a literal.
std::pair<Stmt*, Expr*> Parser::parse_if_header() {
  if (tok_.kind == Tok::kLbrace) error(tok_.begin, "missing condition in if statement");
  const int outer_lev = expr_lev_;
  expr_lev_ = -1;
  Stmt* init = nullptr;
  if (tok_.kind != Tok::kSemicolon) {
    if (tok_.kind == Tok::kVar) {
      next();  // go/parser reports it after the keyword
      error(tok_.begin, "var declaration not allowed in if initializer");
    }
    init = parse_simple_stmt(kBasic, nullptr);
  }
  Stmt* cond_stmt = nullptr;
  if (tok_.kind != Tok::kLbrace) {
    const Token semi = tok_;
    expect(Tok::kSemicolon);
    if (tok_.kind == Tok::kLbrace) {
      error(semi.begin, semi.implicit() ? "unexpected newline, expecting { after if clause"
                                        : "missing condition in if statement");
    }
    cond_stmt = parse_simple_stmt(kBasic, nullptr);
  } else {
    cond_stmt = init;
    init = nullptr;
  }
  Expr* cond = make_expr(cond_stmt, "boolean expression");
  expr_lev_ = outer_lev;
  return {init, cond};
}

Expr* Parser::make_expr(Stmt* s, std::string_view want) {
  if (s == nullptr) return nullptr;
  if (auto* e = dyn_cast<ExprStmt>(s)) return e->x;
  const char* found = s->kind == NodeKind::kAssignStmt ? "assignment" : "simple statement";
  error(s->begin,
        fmt::format("expected {}, found {} (missing parentheses around composite literal?)", want,
                    found));
}

Stmt* Parser::parse_switch_stmt() {
  const Pos pos = expect(Tok::kSwitch);
  Stmt* s1 = nullptr;
  Stmt* s2 = nullptr;
  if (tok_.kind != Tok::kLbrace) {
    const int outer_lev = expr_lev_;
    expr_lev_ = -1;
    if (tok_.kind != Tok::kSemicolon) s2 = parse_simple_stmt(kBasic, nullptr);
    if (tok_.kind == Tok::kSemicolon) {
      next();
      s1 = s2;
      s2 = nullptr;
      if (tok_.kind != Tok::kLbrace) s2 = parse_simple_stmt(kBasic, nullptr);
    }
    expr_lev_ = outer_lev;
  }
  const bool type_switch = is_type_switch_guard(s2);
  BlockStmt* body = parse_clause_block(false);
  expect_semi();
  if (type_switch) {
    auto* s = make<TypeSwitchStmt>(pos, body->end);
    s->init = s1;
    s->assign = s2;
    s->body = body;
    return s;
  }
  auto* s = make<SwitchStmt>(pos, body->end);
  s->init = s1;
  s->tag = make_expr(s2, "switch expression");
  s->body = body;
  return s;
}

// x.(type) or v := x.(type).
bool Parser::is_type_switch_guard(Stmt* s) const {
  if (auto* e = dyn_cast<ExprStmt>(s)) return is_type_switch_assert(e->x);
  auto* a = dyn_cast<AssignStmt>(s);
  if (a == nullptr || a->lhs.size() != 1 || a->rhs.size() != 1) return false;
  if (!is_type_switch_assert(a->rhs[0])) return false;
  if (a->tok == Tok::kAssign) error(a->tok_pos, "expected ':=', found '='");
  return a->tok == Tok::kDefine;
}

// { case ...: ... default: ... } of a switch or select.
BlockStmt* Parser::parse_clause_block(bool comm) {
  const Pos lbrace = expect(Tok::kLbrace);
  const size_t mark = stmts_.mark();
  while (tok_.kind == Tok::kCase || tok_.kind == Tok::kDefault) {
    stmts_.push(comm ? parse_comm_clause() : parse_case_clause());
  }
  const Pos rbrace = expect(Tok::kRbrace);
  auto* b = make<BlockStmt>(lbrace, rbrace + 1);
  b->lbrace = lbrace;
  b->list = stmts_.take(file_.arena, mark);
  b->rbrace = rbrace;
  return b;
}

// case list: / default:. In a type switch the list holds types, which parse as expressions
// (as in go/parser since Go 1.23).
Stmt* Parser::parse_case_clause() {
  const Pos pos = tok_.begin;
  List<Expr> list;
  const bool is_default = tok_.kind == Tok::kDefault;
  if (is_default) {
    next();
  } else {
    expect(Tok::kCase);
    list = parse_expr_list(true);
  }
  const Pos colon = expect(Tok::kColon);
  List<Stmt> body = parse_stmt_list();
  auto* c = make<CaseClause>(pos, body.empty() ? colon + 1 : body.back()->end);
  c->is_default = is_default;
  c->list = list;
  c->colon = colon;
  c->body = body;
  return c;
}

Stmt* Parser::parse_select_stmt() {
  const Pos pos = expect(Tok::kSelect);
  BlockStmt* body = parse_clause_block(true);
  expect_semi();
  auto* s = make<SelectStmt>(pos, body->end);
  s->body = body;
  return s;
}

// case c <- v: / case v, ok := <-c: / case <-c: / default:
Stmt* Parser::parse_comm_clause() {
  const Pos pos = tok_.begin;
  Stmt* comm = nullptr;
  if (tok_.kind == Tok::kDefault) {
    next();
  } else {
    expect(Tok::kCase);
    comm = parse_comm(parse_expr_list(false));
  }
  const Pos colon = expect(Tok::kColon);
  List<Stmt> body = parse_stmt_list();
  auto* c = make<CommClause>(pos, body.empty() ? colon + 1 : body.back()->end);
  c->comm = comm;
  c->colon = colon;
  c->body = body;
  return c;
}

// The communication of a select case, after its first expressions.
Stmt* Parser::parse_comm(List<Expr> lhs) {
  if (tok_.kind == Tok::kArrow) {  // send
    if (lhs.size() > 1) error(lhs[0]->begin, "expected 1 expression");
    const Pos arrow = expect(Tok::kArrow);
    Expr* value = parse_rhs();
    auto* s = make<SendStmt>(lhs[0]->begin, value->end);
    s->chan = lhs[0];
    s->arrow = arrow;
    s->value = value;
    return s;
  }
  if (tok_.kind == Tok::kAssign || tok_.kind == Tok::kDefine) {  // receive with assignment
    if (lhs.size() > 2) error(lhs[0]->begin, "expected 1 or 2 expressions");
    const Token op = tok_;
    next();
    Expr* rhs = parse_rhs();
    auto* s = make<AssignStmt>(lhs[0]->begin, rhs->end);
    s->lhs = lhs;
    s->tok = op.kind;
    s->tok_pos = op.begin;
    s->rhs = single(exprs_, rhs);
    return s;
  }
  if (lhs.size() > 1) error(lhs[0]->begin, "expected 1 expression");  // receive
  auto* s = make<ExprStmt>(lhs[0]->begin, lhs[0]->end);
  s->x = lhs[0];
  return s;
}

Stmt* Parser::parse_for_stmt() {
  const Pos pos = expect(Tok::kFor);
  ForHeader h;
  if (tok_.kind != Tok::kLbrace) {
    const int outer_lev = expr_lev_;
    expr_lev_ = -1;
    h = parse_for_header();
    expr_lev_ = outer_lev;
  }
  BlockStmt* body = parse_block_stmt();
  expect_semi();
  if (h.is_range) return make_range_stmt(pos, h.cond, body);
  auto* s = make<ForStmt>(pos, body->end);
  s->init = h.init;
  s->cond = make_expr(h.cond, "boolean or range expression");
  s->post = h.post;
  s->body = body;
  return s;
}

// Between `for` and `{`: cond, init; cond; post, or a range clause (in h.cond, is_range).
Parser::ForHeader Parser::parse_for_header() {
  ForHeader h;
  if (tok_.kind == Tok::kRange) {  // for range x: no iteration variables
    Expr* range = parse_range_clause();
    auto* a = make<AssignStmt>(range->begin, range->end);
    a->tok = Tok::kIllegal;
    a->rhs = single(exprs_, range);
    h.cond = a;
    h.is_range = true;
    return h;
  }
  if (tok_.kind != Tok::kSemicolon) h.cond = parse_simple_stmt(kRangeOk, &h.is_range);
  if (h.is_range || tok_.kind != Tok::kSemicolon) return h;
  next();  // init; cond; post
  h.init = h.cond;
  h.cond = nullptr;
  if (tok_.kind != Tok::kSemicolon) h.cond = parse_simple_stmt(kBasic, nullptr);
  expect_semi();
  if (tok_.kind != Tok::kLbrace) h.post = parse_simple_stmt(kBasic, nullptr);
  return h;
}

Stmt* Parser::make_range_stmt(Pos for_pos, Stmt* header, BlockStmt* body) {
  auto* a = static_cast<AssignStmt*>(header);
  auto* u = static_cast<UnaryExpr*>(a->rhs[0]);
  auto* r = make<RangeStmt>(for_pos, body->end);
  if (!a->lhs.empty()) {
    if (a->lhs.size() > 2) error(a->lhs.back()->begin, "expected at most 2 expressions");
    r->key = a->lhs[0];
    r->value = a->lhs.size() > 1 ? a->lhs[1] : nullptr;
    r->tok = a->tok;
    r->tok_pos = a->tok_pos;
  }
  r->range = u->begin;
  r->x = u->x;
  r->body = body;
  return r;
}

}  // namespace goinstr::gosrc::detail
