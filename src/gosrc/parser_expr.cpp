// SPDX-License-Identifier: Apache-2.0
// Expressions (https://go.dev/ref/spec#Expressions). As in go/parser, an expression may also be a
// type (conversions, composite literal types, make/new arguments, type arguments), so operands
// fall back to types, and whether `{` opens a composite literal depends on expr_lev_: in an
// if/for/switch header (expr_lev_ < 0) `T{` would be the statement's block unless T is an
// explicit array, slice, map or struct type or the literal is parenthesized.
#include "gosrc/parser_impl.hpp"

namespace goinstr::gosrc::detail {

Expr* Parser::parse_expr() {
  return parse_binary_expr(nullptr, 1);
}

// Comma-separated expressions. in_rhs: the list is a right-hand side (or a value list), where
// a stray '=' is more likely a mistyped '==' (go/parser's inRhs, for its error message).
List<Expr> Parser::parse_expr_list(bool in_rhs) {
  const bool outer = in_rhs_;
  in_rhs_ = in_rhs;
  const size_t mark = exprs_.mark();
  exprs_.push(parse_expr());
  while (tok_.kind == Tok::kComma) {
    next();
    exprs_.push(parse_expr());
  }
  in_rhs_ = outer;
  return exprs_.take(file_.arena, mark);
}

Expr* Parser::parse_rhs() {
  const bool outer = in_rhs_;
  in_rhs_ = true;
  Expr* x = parse_expr();
  in_rhs_ = outer;
  return x;
}

// Precedence climbing: operators binding at least as tight as prec1, left-associative.
Expr* Parser::parse_binary_expr(Expr* x, int prec1) {
  if (x == nullptr) x = parse_unary_expr();
  for (;;) {
    // In a right-hand side, '=' binds like '==' so that expect() reports "expected '=='".
    const Tok op = in_rhs_ && tok_.kind == Tok::kAssign ? Tok::kEql : tok_.kind;
    const int prec = binary_precedence(op);
    if (prec < prec1) return x;  // also ends at non-operators (precedence 0)
    const Pos op_pos = expect(op);
    Expr* y = parse_binary_expr(nullptr, prec + 1);
    auto* b = make<BinaryExpr>(x->begin, y->end);
    b->x = x;
    b->op = op;
    b->op_pos = op_pos;
    b->y = y;
    x = b;
  }
}

Expr* Parser::parse_unary_expr() {
  DepthGuard guard(*this);
  switch (tok_.kind) {
    case Tok::kAdd:
    case Tok::kSub:
    case Tok::kNot:
    case Tok::kXor:
    case Tok::kAnd:
    case Tok::kTilde: {
      const Token op = tok_;
      next();
      Expr* x = parse_unary_expr();
      auto* u = make<UnaryExpr>(op.begin, x->end);
      u->op = op.kind;
      u->x = x;
      return u;
    }
    case Tok::kArrow:
      return parse_arrow_expr();
    case Tok::kMul: {  // dereference or pointer type
      const Pos star = expect(Tok::kMul);
      Expr* x = parse_unary_expr();
      auto* s = make<StarExpr>(star, x->end);
      s->x = x;
      return s;
    }
    default:
      return parse_primary_expr(nullptr);
  }
}

// `<-x` is a receive unless x turns out to be a channel type, in which case the arrow belongs to
// that type. The operand was parsed first, so the arrow is moved down the nested channel types
// (as go/parser does):
//   <- (chan T)    =>  (<-chan T)
//   <- (chan<- T)  =>  (<-chan (<-T))
Expr* Parser::parse_arrow_expr() {
  const Pos arrow = expect(Tok::kArrow);
  Expr* x = parse_unary_expr();
  auto* type = dyn_cast<ChanType>(x);
  if (type == nullptr) {
    auto* u = make<UnaryExpr>(arrow, x->end);
    u->op = Tok::kArrow;
    u->x = x;
    return u;
  }
  ChanDir dir = ChanDir::kSend;
  Pos at = arrow;
  while (type != nullptr && dir == ChanDir::kSend) {
    if (type->dir == ChanDir::kRecv) error(type->arrow, "expected 'chan'");  // <-(<-chan T)
    const Pos inner_arrow = type->arrow;
    type->begin = at;
    type->arrow = at;
    at = inner_arrow;
    dir = type->dir;
    type->dir = ChanDir::kRecv;
    type = dyn_cast<ChanType>(type->value);
  }
  if (dir == ChanDir::kSend) error(at, "expected channel type");
  return x;
}

Expr* Parser::parse_operand() {
  switch (tok_.kind) {
    case Tok::kIdent:
      return parse_ident();
    case Tok::kInt:
    case Tok::kFloat:
    case Tok::kImag:
    case Tok::kChar:
    case Tok::kString: {
      BasicLit* lit = make_basic_lit();
      next();
      return lit;
    }
    case Tok::kLparen: {
      const Pos lparen = expect(Tok::kLparen);
      ++expr_lev_;
      Expr* x = parse_rhs();  // may be a type: (*T).Method, ([]int)(x)
      --expr_lev_;
      const Pos rparen = expect(Tok::kRparen);
      auto* p = make<ParenExpr>(lparen, rparen + 1);
      p->x = x;
      return p;
    }
    case Tok::kFunc:
      return parse_func_type_or_lit();
    default:
      break;
  }
  if (Expr* t = try_ident_or_type()) return t;  // a composite literal type or conversion
  error_expected("operand");
}

Expr* Parser::parse_func_type_or_lit() {
  FuncType* type = parse_func_type();
  if (tok_.kind != Tok::kLbrace) return type;
  ++expr_lev_;
  BlockStmt* body = parse_block_stmt();
  --expr_lev_;
  auto* f = make<FuncLit>(type->begin, body->end);
  f->type = type;
  f->body = body;
  return f;
}

// Operand followed by selectors, index/slice/instantiation, calls and composite literal values.
Expr* Parser::parse_primary_expr(Expr* x) {
  if (x == nullptr) x = parse_operand();
  for (;;) {
    switch (tok_.kind) {
      case Tok::kPeriod:
        x = parse_selector_or_assert(x);
        break;
      case Tok::kLbrack:
        x = parse_index_or_slice_or_instance(x);
        break;
      case Tok::kLparen:
        x = parse_call_or_conversion(x);
        break;
      case Tok::kLbrace:
        if (!composite_lit_allowed(x)) return x;
        if (unparen(x) != x) {
          error(unparen(x)->begin, "cannot parenthesize type in composite literal");
        }
        x = parse_literal_value(x);
        break;
      default:
        return x;
    }
  }
}

// Does `{` after x open a composite literal (rather than a block)?
bool Parser::composite_lit_allowed(Expr* x) const {
  switch (unparen(x)->kind) {
    case NodeKind::kIdent:
    case NodeKind::kSelectorExpr:
    case NodeKind::kIndexExpr:  // generic T[int]{...}
      return expr_lev_ >= 0;
    case NodeKind::kArrayType:
    case NodeKind::kStructType:
    case NodeKind::kMapType:
      return true;
    default:
      return false;
  }
}

// After x: .name or .(type) / .(T).
Expr* Parser::parse_selector_or_assert(Expr* x) {
  expect(Tok::kPeriod);
  if (tok_.kind == Tok::kIdent) {
    Ident* sel = parse_ident();
    auto* s = make<SelectorExpr>(x->begin, sel->end);
    s->x = x;
    s->sel = sel;
    return s;
  }
  if (tok_.kind != Tok::kLparen) error_expected("selector or type assertion");
  const Pos lparen = expect(Tok::kLparen);
  Expr* type = nullptr;  // x.(type) in a type switch
  if (tok_.kind == Tok::kType) {
    next();
  } else {
    type = parse_type();
  }
  const Pos rparen = expect(Tok::kRparen);
  auto* a = make<TypeAssertExpr>(x->begin, rparen + 1);
  a->x = x;
  a->lparen = lparen;
  a->type = type;
  a->rparen = rparen;
  return a;
}

// x[i], x[lo:hi], x[lo:hi:max], or an instantiation x[T1, T2]. x[T] is syntactically an index
// expression; only the type checker can tell.
Expr* Parser::parse_index_or_slice_or_instance(Expr* x) {
  const Pos lbrack = expect(Tok::kLbrack);
  if (tok_.kind == Tok::kRbrack) error_expected("operand");
  ++expr_lev_;
  Expr* index[3] = {nullptr, nullptr, nullptr};
  Pos colons[2] = {kNoPos, kNoPos};
  int ncolons = 0;
  const size_t mark = exprs_.mark();
  if (tok_.kind != Tok::kColon) index[0] = parse_rhs();
  if (tok_.kind == Tok::kColon) {
    while (tok_.kind == Tok::kColon && ncolons < 2) {
      colons[ncolons++] = expect(Tok::kColon);
      if (tok_.kind != Tok::kColon && tok_.kind != Tok::kRbrack && tok_.kind != Tok::kEof) {
        index[ncolons] = parse_rhs();
      }
    }
  } else {
    exprs_.push(index[0]);
    while (tok_.kind == Tok::kComma) {  // instantiation; a trailing comma is fine
      next();
      if (tok_.kind != Tok::kRbrack && tok_.kind != Tok::kEof) exprs_.push(parse_type());
    }
  }
  --expr_lev_;
  const Pos rbrack = expect(Tok::kRbrack);
  if (ncolons == 0) return make_index(x, lbrack, exprs_.take(file_.arena, mark), rbrack);
  if (ncolons == 2) {
    if (index[1] == nullptr) error(colons[0], "middle index required in 3-index slice");
    if (index[2] == nullptr) error(colons[1], "final index required in 3-index slice");
  }
  auto* s = make<SliceExpr>(x->begin, rbrack + 1);
  s->x = x;
  s->lbrack = lbrack;
  s->low = index[0];
  s->high = index[1];
  s->max = index[2];
  s->slice3 = ncolons == 2;
  s->rbrack = rbrack;
  return s;
}

CallExpr* Parser::parse_call_or_conversion(Expr* fun) {
  const Pos lparen = expect(Tok::kLparen);
  ++expr_lev_;
  const size_t mark = exprs_.mark();
  Pos ellipsis = kNoPos;
  while (tok_.kind != Tok::kRparen && tok_.kind != Tok::kEof && ellipsis == kNoPos) {
    exprs_.push(parse_rhs());  // may be a type: make([]int, n)
    if (tok_.kind == Tok::kEllipsis) ellipsis = expect(Tok::kEllipsis);
    if (!at_comma("argument list", Tok::kRparen)) break;
    next();
  }
  --expr_lev_;
  const Pos rparen = expect_closing(Tok::kRparen, "argument list");
  auto* c = make<CallExpr>(fun->begin, rparen + 1);
  c->fun = fun;
  c->lparen = lparen;
  c->args = exprs_.take(file_.arena, mark);
  c->ellipsis = ellipsis;
  c->rparen = rparen;
  return c;
}

// { elements } after a literal type (type == nullptr for an elided inner literal).
Expr* Parser::parse_literal_value(Expr* type) {
  DepthGuard guard(*this);
  const Pos lbrace = expect(Tok::kLbrace);
  ++expr_lev_;
  const size_t mark = exprs_.mark();
  while (tok_.kind != Tok::kRbrace && tok_.kind != Tok::kEof) {
    exprs_.push(parse_element());
    if (!at_comma("composite literal", Tok::kRbrace)) break;
    next();
  }
  --expr_lev_;
  const Pos rbrace = expect_closing(Tok::kRbrace, "composite literal");
  auto* c = make<CompositeLit>(type != nullptr ? type->begin : lbrace, rbrace + 1);
  c->type = type;
  c->lbrace = lbrace;
  c->elts = exprs_.take(file_.arena, mark);
  c->rbrace = rbrace;
  return c;
}

Expr* Parser::parse_element() {
  Expr* x = parse_value();
  if (tok_.kind != Tok::kColon) return x;
  const Pos colon = expect(Tok::kColon);
  Expr* value = parse_value();
  auto* kv = make<KeyValueExpr>(x->begin, value->end);
  kv->key = x;
  kv->colon = colon;
  kv->value = value;
  return kv;
}

Expr* Parser::parse_value() {
  return tok_.kind == Tok::kLbrace ? parse_literal_value(nullptr) : parse_expr();
}

}  // namespace goinstr::gosrc::detail
