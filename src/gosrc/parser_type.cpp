// SPDX-License-Identifier: Apache-2.0
// Types (https://go.dev/ref/spec#Types): names and instantiations, array/slice, struct, pointer,
// function, interface (with type-set elements), map and channel types.
#include "gosrc/parser_impl.hpp"

namespace goinstr::gosrc::detail {

BasicLit* Parser::make_basic_lit() {
  auto* lit = make<BasicLit>(tok_.begin, tok_.end);
  lit->lit_kind = static_cast<LitKind>(static_cast<int>(tok_.kind) - static_cast<int>(Tok::kInt));
  lit->value = token_text();
  return lit;
}

IndexExpr* Parser::make_index(Expr* x, Pos lbrack, List<Expr> indices, Pos rbrack) {
  auto* e = make<IndexExpr>(x->begin, rbrack + 1);
  e->x = x;
  e->lbrack = lbrack;
  e->indices = indices;
  e->rbrack = rbrack;
  return e;
}

FieldList* Parser::make_field_list(Pos opening, List<Field> list, Pos closing) {
  auto* fl = make<FieldList>(opening, closing + 1);
  fl->opening = opening;
  fl->list = list;
  fl->closing = closing;
  return fl;
}

Ident* Parser::parse_ident() {
  if (tok_.kind != Tok::kIdent) error_expected("'IDENT'");
  auto* id = make<Ident>(tok_.begin, tok_.end);
  id->name = token_text();
  next();
  return id;
}

List<Ident> Parser::parse_ident_list() {
  const size_t mark = idents_.mark();
  idents_.push(parse_ident());
  while (tok_.kind == Tok::kComma) {
    next();
    idents_.push(parse_ident());
  }
  return idents_.take(file_.arena, mark);
}

Expr* Parser::parse_type() {
  Expr* t = try_ident_or_type();
  if (t == nullptr) error_expected("type");
  return t;
}

// A type, or nullptr (nothing consumed) when the current token cannot start one.
Expr* Parser::try_ident_or_type() {
  DepthGuard guard(*this);
  switch (tok_.kind) {
    case Tok::kIdent:
      return parse_qualified_ident(nullptr);
    case Tok::kLbrack:
      return parse_array_type(expect(Tok::kLbrack), nullptr);
    case Tok::kStruct:
      return parse_struct_type();
    case Tok::kMul:
      return parse_pointer_type();
    case Tok::kFunc:
      return parse_func_type();
    case Tok::kInterface:
      return parse_interface_type();
    case Tok::kMap:
      return parse_map_type();
    case Tok::kChan:
    case Tok::kArrow:
      return parse_chan_type();
    case Tok::kLparen: {
      const Pos lparen = expect(Tok::kLparen);
      Expr* t = parse_type();
      const Pos rparen = expect(Tok::kRparen);
      auto* p = make<ParenExpr>(lparen, rparen + 1);
      p->x = t;
      return p;
    }
    default:
      return nullptr;
  }
}

// name or pkg.name (ident, when given, is the already consumed first name).
Expr* Parser::parse_type_name(Ident* ident) {
  if (ident == nullptr) ident = parse_ident();
  if (tok_.kind != Tok::kPeriod) return ident;
  next();
  Ident* sel = parse_ident();
  auto* s = make<SelectorExpr>(ident->begin, sel->end);
  s->x = ident;
  s->sel = sel;
  return s;
}

// A type name with optional type arguments: T, pkg.T, T[int], pkg.T[K, V].
Expr* Parser::parse_qualified_ident(Ident* ident) {
  Expr* t = parse_type_name(ident);
  if (tok_.kind == Tok::kLbrack) t = parse_type_instance(t);
  return t;
}

Expr* Parser::parse_type_instance(Expr* type) {
  const Pos lbrack = expect(Tok::kLbrack);
  ++expr_lev_;
  const size_t mark = exprs_.mark();
  while (tok_.kind != Tok::kRbrack && tok_.kind != Tok::kEof) {
    exprs_.push(parse_type());
    if (!at_comma("type argument list", Tok::kRbrack)) break;
    next();
  }
  --expr_lev_;
  const Pos rbrack = expect_closing(Tok::kRbrack, "type argument list");
  List<Expr> args = exprs_.take(file_.arena, mark);
  if (args.empty()) error(rbrack, "expected type argument list");
  return make_index(type, lbrack, args, rbrack);
}

// After '[' (at lbrack). `len` is the length when the caller has parsed it already.
Expr* Parser::parse_array_type(Pos lbrack, Expr* len) {
  if (len == nullptr) {
    ++expr_lev_;
    if (tok_.kind == Tok::kEllipsis) {  // [...]T, only valid in a composite literal
      len = make<Ellipsis>(tok_.begin, tok_.end);
      next();
    } else if (tok_.kind != Tok::kRbrack) {
      len = parse_rhs();
    }
    --expr_lev_;
  }
  if (tok_.kind == Tok::kComma) error(tok_.begin, "unexpected comma; expecting ]");
  expect(Tok::kRbrack);
  Expr* elt = parse_type();
  auto* a = make<ArrayType>(lbrack, elt->end);
  a->len = len;
  a->elt = elt;
  return a;
}

// After a field or parameter name x, '[' starts either x's array type ([]E, [N]E) or, when x is
// really a type name, its type arguments (x[P], x[P, Q]). Returns (x, type) for the former and
// (nullptr, instance) for the latter.
std::pair<Ident*, Expr*> Parser::parse_array_field_or_type_instance(Ident* x) {
  const Pos lbrack = expect(Tok::kLbrack);
  Pos trailing_comma = kNoPos;
  const size_t mark = exprs_.mark();
  if (tok_.kind != Tok::kRbrack) {
    ++expr_lev_;
    exprs_.push(parse_rhs());
    while (tok_.kind == Tok::kComma) {
      const Pos comma = tok_.begin;
      next();
      if (tok_.kind == Tok::kRbrack) {
        trailing_comma = comma;
        break;
      }
      exprs_.push(parse_rhs());
    }
    --expr_lev_;
  }
  const Pos rbrack = expect(Tok::kRbrack);
  List<Expr> args = exprs_.take(file_.arena, mark);
  if (args.empty()) {  // x []E
    Expr* elt = parse_type();
    auto* a = make<ArrayType>(lbrack, elt->end);
    a->elt = elt;
    return {x, a};
  }
  if (args.size() == 1) {
    if (Expr* elt = try_ident_or_type()) {  // x [N]E
      if (trailing_comma != kNoPos) error(trailing_comma, "unexpected comma; expecting ]");
      auto* a = make<ArrayType>(lbrack, elt->end);
      a->len = args[0];
      a->elt = elt;
      return {x, a};
    }
  }
  return {nullptr, make_index(x, lbrack, args, rbrack)};  // x[P, ...]
}

StructType* Parser::parse_struct_type() {
  const Pos pos = expect(Tok::kStruct);
  const Pos lbrace = expect(Tok::kLbrace);
  const size_t mark = fields_.mark();
  // '(' cannot start a field; accepted here so that parse_field_decl reports it precisely.
  while (tok_.kind == Tok::kIdent || tok_.kind == Tok::kMul || tok_.kind == Tok::kLparen) {
    fields_.push(parse_field_decl());
  }
  const Pos rbrace = expect(Tok::kRbrace);
  auto* st = make<StructType>(pos, rbrace + 1);
  st->fields = make_field_list(lbrace, fields_.take(file_.arena, mark), rbrace);
  return st;
}

// One struct field line: names type [tag], or an embedded T, pkg.T, *T, T[args] [tag].
Field* Parser::parse_field_decl() {
  CommentGroup* doc = lead_comment_;
  const Pos begin = tok_.begin;
  List<Ident> names;
  Expr* type = nullptr;
  if (tok_.kind == Tok::kIdent) {
    std::tie(names, type) = parse_field_names_and_type();
  } else if (tok_.kind == Tok::kMul) {
    const Pos star = expect(Tok::kMul);
    if (tok_.kind == Tok::kLparen) error(tok_.begin, "cannot parenthesize embedded type");
    Expr* x = parse_qualified_ident(nullptr);
    auto* s = make<StarExpr>(star, x->end);
    s->x = x;
    type = s;
  } else if (tok_.kind == Tok::kLparen) {
    error(tok_.begin, "cannot parenthesize embedded type");
  } else {
    error_expected("field name or embedded type");
  }
  BasicLit* tag = nullptr;
  if (tok_.kind == Tok::kString) {
    tag = make_basic_lit();
    next();
  }
  auto* f = make<Field>(begin, tag != nullptr ? tag->end : type->end);
  f->doc = doc;
  f->names = names;
  f->type = type;
  f->tag = tag;
  f->comment = expect_semi();
  return f;
}

// A field starting with an identifier: `a, b T`, or embedded `T`, `pkg.T`, `T[int]`.
std::pair<List<Ident>, Expr*> Parser::parse_field_names_and_type() {
  Ident* name = parse_ident();
  const Tok t = tok_.kind;
  if (t == Tok::kPeriod || t == Tok::kString || t == Tok::kSemicolon || t == Tok::kRbrace) {
    return {{}, t == Tok::kPeriod ? parse_qualified_ident(name) : name};  // embedded
  }
  const size_t mark = idents_.mark();
  idents_.push(name);
  while (tok_.kind == Tok::kComma) {
    next();
    idents_.push(parse_ident());
  }
  List<Ident> names = idents_.take(file_.arena, mark);
  if (names.size() != 1 || tok_.kind != Tok::kLbrack) return {names, parse_type()};
  // Either field `name []E` / `name [N]E`, or embedded generic `name[T]`.
  auto [field_name, field_type] = parse_array_field_or_type_instance(name);
  return {field_name != nullptr ? names : List<Ident>{}, field_type};
}

Expr* Parser::parse_pointer_type() {
  const Pos star = expect(Tok::kMul);
  Expr* elt = parse_type();
  auto* s = make<StarExpr>(star, elt->end);
  s->x = elt;
  return s;
}

Ellipsis* Parser::parse_dots_type() {
  const Pos pos = expect(Tok::kEllipsis);
  Expr* elt = parse_type();
  auto* e = make<Ellipsis>(pos, elt->end);
  e->elt = elt;
  return e;
}

FuncType* Parser::parse_func_type() {
  const Pos pos = expect(Tok::kFunc);
  if (tok_.kind == Tok::kLbrack) {
    error(parse_type_parameters()->begin, "function type must have no type parameters");
  }
  FieldList* params = parse_parameters(false);
  FieldList* results = parse_parameters(true);
  auto* ft = make<FuncType>(pos, results != nullptr ? results->end : params->end);
  ft->func = pos;
  ft->params = params;
  ft->results = results;
  return ft;
}

InterfaceType* Parser::parse_interface_type() {
  const Pos pos = expect(Tok::kInterface);
  const Pos lbrace = expect(Tok::kLbrace);
  const size_t mark = fields_.mark();
  while (Field* f = parse_interface_elem()) fields_.push(f);
  const Pos rbrace = expect(Tok::kRbrace);
  auto* it = make<InterfaceType>(pos, rbrace + 1);
  it->methods = make_field_list(lbrace, fields_.take(file_.arena, mark), rbrace);
  return it;
}

// One line of an interface: a method, an embedded type, or a type-set union (~int | string).
// nullptr when the body ends.
Field* Parser::parse_interface_elem() {
  CommentGroup* doc = lead_comment_;
  Field* f = nullptr;
  if (tok_.kind == Tok::kIdent) {
    f = parse_method_spec();
    if (f->names.empty()) f->type = embedded_elem(f->type);
  } else {
    Expr* t = tok_.kind == Tok::kTilde ? nullptr : try_ident_or_type();
    if (t == nullptr && tok_.kind != Tok::kTilde) return nullptr;
    t = embedded_elem(t);
    f = make<Field>(t->begin, t->end);
    f->type = t;
  }
  f->doc = doc;
  f->end = f->type->end;
  f->comment = expect_semi();
  return f;
}

// A method `Name(params) results`, or an embedded (possibly instantiated) type name.
Field* Parser::parse_method_spec() {
  Expr* x = parse_type_name(nullptr);
  auto* ident = dyn_cast<Ident>(x);
  List<Ident> names;
  Expr* type = x;
  if (ident != nullptr && tok_.kind == Tok::kLbrack) {
    const Pos lbrack = expect(Tok::kLbrack);
    ++expr_lev_;
    Expr* first = parse_expr();
    --expr_lev_;
    if (dyn_cast<Ident>(first) != nullptr && tok_.kind != Tok::kComma &&
        tok_.kind != Tok::kRbrack) {
      error(lbrack, "interface method must have no type parameters");
    }
    const size_t mark = exprs_.mark();
    exprs_.push(first);
    if (at_comma("type argument list", Tok::kRbrack)) {
      ++expr_lev_;
      next();
      while (tok_.kind != Tok::kRbrack && tok_.kind != Tok::kEof) {
        exprs_.push(parse_type());
        if (!at_comma("type argument list", Tok::kRbrack)) break;
        next();
      }
      --expr_lev_;
    }
    const Pos rbrack = expect_closing(Tok::kRbrack, "type argument list");
    type = make_index(ident, lbrack, exprs_.take(file_.arena, mark), rbrack);
  } else if (ident != nullptr && tok_.kind == Tok::kLparen) {
    FieldList* params = parse_parameters(false);
    FieldList* results = parse_parameters(true);
    auto* ft = make<FuncType>(params->begin, results != nullptr ? results->end : params->end);
    ft->params = params;
    ft->results = results;
    names = single(idents_, ident);
    type = ft;
  } else if (ident == nullptr && tok_.kind == Tok::kLbrack) {
    type = parse_type_instance(x);  // embedded pkg.T[int]
  }
  auto* f = make<Field>(x->begin, type->end);
  f->names = names;
  f->type = type;
  return f;
}

// A union of terms: T1 | ~T2 | ... (x, when given, is the already parsed first term).
Expr* Parser::embedded_elem(Expr* x) {
  if (x == nullptr) x = embedded_term();
  while (tok_.kind == Tok::kOr) {
    const Pos op_pos = expect(Tok::kOr);
    Expr* y = embedded_term();
    auto* b = make<BinaryExpr>(x->begin, y->end);
    b->x = x;
    b->op = Tok::kOr;
    b->op_pos = op_pos;
    b->y = y;
    x = b;
  }
  return x;
}

Expr* Parser::embedded_term() {
  if (tok_.kind == Tok::kTilde) {
    const Pos pos = expect(Tok::kTilde);
    Expr* t = parse_type();
    auto* u = make<UnaryExpr>(pos, t->end);
    u->op = Tok::kTilde;
    u->x = t;
    return u;
  }
  Expr* t = try_ident_or_type();
  if (t == nullptr) error_expected("~ term or type");
  return t;
}

MapType* Parser::parse_map_type() {
  const Pos pos = expect(Tok::kMap);
  expect(Tok::kLbrack);
  Expr* key = parse_type();
  expect(Tok::kRbrack);
  Expr* value = parse_type();
  auto* m = make<MapType>(pos, value->end);
  m->key = key;
  m->value = value;
  return m;
}

ChanType* Parser::parse_chan_type() {
  const Pos pos = tok_.begin;
  ChanDir dir = ChanDir::kBoth;
  Pos arrow = kNoPos;
  if (tok_.kind == Tok::kChan) {
    next();
    if (tok_.kind == Tok::kArrow) {  // chan<- T
      arrow = expect(Tok::kArrow);
      dir = ChanDir::kSend;
    }
  } else {  // <-chan T
    arrow = expect(Tok::kArrow);
    expect(Tok::kChan);
    dir = ChanDir::kRecv;
  }
  Expr* value = parse_type();
  auto* c = make<ChanType>(pos, value->end);
  c->dir = dir;
  c->arrow = arrow;
  c->value = value;
  return c;
}

}  // namespace goinstr::gosrc::detail
