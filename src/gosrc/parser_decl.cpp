// SPDX-License-Identifier: Apache-2.0
// Source files and declarations (https://go.dev/ref/spec#Declarations_and_scope).
#include "gosrc/parser_impl.hpp"

namespace goinstr::gosrc::detail {
namespace {

// Is x certainly a type element (a type literal, ~T, or a union containing one)? False when it
// could also be an ordinary expression. `depth` bounds the recursion on absurd input.
bool is_type_elem(const Expr* x, int depth = 0) {
  if (depth > DepthGuard::kMaxDepth) return false;
  switch (x->kind) {
    case NodeKind::kArrayType:
    case NodeKind::kStructType:
    case NodeKind::kFuncType:
    case NodeKind::kInterfaceType:
    case NodeKind::kMapType:
    case NodeKind::kChanType:
      return true;
    case NodeKind::kBinaryExpr: {
      const auto* b = static_cast<const BinaryExpr*>(x);
      return is_type_elem(b->x, depth + 1) || is_type_elem(b->y, depth + 1);
    }
    case NodeKind::kUnaryExpr:
      return static_cast<const UnaryExpr*>(x)->op == Tok::kTilde;
    case NodeKind::kParenExpr:
      return is_type_elem(static_cast<const ParenExpr*>(x)->x, depth + 1);
    default:
      return false;
  }
}

}  // namespace

void Parser::parse_file() {
  next();
  CommentGroup* doc = lead_comment_;
  const Pos package = expect(Tok::kPackage);
  Ident* name = parse_ident();
  expect_semi();
  const size_t mark = decls_.mark();
  while (tok_.kind == Tok::kImport) decls_.push(parse_gen_decl(Tok::kImport));
  while (tok_.kind != Tok::kEof) {
    if (tok_.kind == Tok::kImport) {
      error(tok_.begin, "imports must appear before other declarations");
    }
    decls_.push(parse_decl());
  }
  file_.doc = doc;
  file_.package = package;
  file_.name = name;
  file_.decls = decls_.take(file_.arena, mark);
  file_.imports = imports_.take(file_.arena, 0);
  file_.comments = comment_groups_.take(file_.arena, 0);
}

Decl* Parser::parse_decl() {
  switch (tok_.kind) {
    case Tok::kConst:
    case Tok::kType:
    case Tok::kVar:
      return parse_gen_decl(tok_.kind);
    case Tok::kFunc:
      return parse_func_decl();
    default:
      error_expected("declaration");
  }
}

// keyword spec, or keyword ( spec; spec; ... ).
GenDecl* Parser::parse_gen_decl(Tok keyword) {
  CommentGroup* doc = lead_comment_;
  const Pos pos = expect(keyword);
  auto* d = make<GenDecl>(pos, pos);
  d->doc = doc;
  d->tok = keyword;
  const size_t mark = specs_.mark();
  if (tok_.kind == Tok::kLparen) {
    d->lparen = expect(Tok::kLparen);
    while (tok_.kind != Tok::kRparen && tok_.kind != Tok::kEof) {
      specs_.push(parse_spec(keyword, lead_comment_));
    }
    d->rparen = expect(Tok::kRparen);
    d->end = d->rparen + 1;
    expect_semi();
  } else {
    Spec* s = parse_spec(keyword, nullptr);
    specs_.push(s);
    d->end = s->end;
  }
  d->specs = specs_.take(file_.arena, mark);
  return d;
}

Spec* Parser::parse_spec(Tok keyword, CommentGroup* doc) {
  switch (keyword) {
    case Tok::kImport:
      return parse_import_spec(doc);
    case Tok::kType:
      return parse_type_spec(doc);
    default:
      return parse_value_spec(doc, keyword);
  }
}

Spec* Parser::parse_import_spec(CommentGroup* doc) {
  const Pos begin = tok_.begin;
  Ident* name = nullptr;
  if (tok_.kind == Tok::kIdent) {
    name = parse_ident();
  } else if (tok_.kind == Tok::kPeriod) {  // dot import
    name = make<Ident>(tok_.begin, tok_.end);
    name->name = token_text();
    next();
  }
  if (tok_.kind != Tok::kString) {
    error(tok_.begin,
          is_literal(tok_.kind) ? "import path must be a string" : "missing import path");
  }
  BasicLit* path = make_basic_lit();
  next();
  auto* s = make<ImportSpec>(begin, path->end);
  s->doc = doc;
  s->name = name;
  s->path = path;
  s->comment = expect_semi();
  imports_.push(s);
  return s;
}

// names [type] [= values] for const (type and values optional: iota repetition), names type
// [= values] or names = values for var.
Spec* Parser::parse_value_spec(CommentGroup* doc, Tok keyword) {
  List<Ident> names = parse_ident_list();
  Expr* type = nullptr;
  List<Expr> values;
  if (keyword == Tok::kConst) {
    if (tok_.kind != Tok::kEof && tok_.kind != Tok::kSemicolon && tok_.kind != Tok::kRparen) {
      type = try_ident_or_type();
      if (tok_.kind == Tok::kAssign) {
        next();
        values = parse_expr_list(true);
      }
    }
  } else {
    if (tok_.kind != Tok::kAssign) type = parse_type();
    if (tok_.kind == Tok::kAssign) {
      next();
      values = parse_expr_list(true);
    }
  }
  const Pos end = !values.empty()   ? values.back()->end
                  : type != nullptr ? type->end
                                    : names.back()->end;
  auto* s = make<ValueSpec>(names.front()->begin, end);
  s->doc = doc;
  s->names = names;
  s->type = type;
  s->values = values;
  s->comment = expect_semi();
  return s;
}

// `type T[...` is ambiguous: T may be generic (`type T[P any] ...`) or an array type
// (`type T [N]E`). Like go/parser, an expression x is parsed after '[' and split into a
// parameter name and constraint if it can be (extract_name); a lone name followed by ']' means
// an array length.
Spec* Parser::parse_type_spec(CommentGroup* doc) {
  Ident* name = parse_ident();
  auto* spec = make<TypeSpec>(name->begin, name->end);
  spec->doc = doc;
  spec->name = name;
  if (tok_.kind == Tok::kLbrack) {
    const Pos lbrack = expect(Tok::kLbrack);
    if (tok_.kind == Tok::kIdent) {
      Expr* x = parse_ident();
      // `P [`: index expressions are never constant, so this can only be a constraint []E / [N]E.
      if (tok_.kind != Tok::kLbrack) {
        ++expr_lev_;
        x = parse_binary_expr(parse_primary_expr(x), 1);
        --expr_lev_;
      }
      auto [pname, ptype] = extract_name(x, tok_.kind == Tok::kComma);
      if (pname != nullptr && (ptype != nullptr || tok_.kind != Tok::kRbrack)) {
        parse_generic_type(spec, lbrack, pname, ptype);
      } else {
        spec->type = parse_array_type(lbrack, x);
      }
    } else {
      spec->type = parse_array_type(lbrack, nullptr);
    }
  } else {
    if (tok_.kind == Tok::kAssign) spec->assign = expect(Tok::kAssign);  // alias
    spec->type = parse_type();
  }
  spec->end = spec->type->end;
  spec->comment = expect_semi();
  return spec;
}

// Splits x into (name, constraint) when x can be read as `name constraint` (go/parser's
// extractName): P *C, P (C), P *C | D, P ~int | ~string. The split happens only if the
// constraint is certainly a type element, or `force` (a ',' follows, so this must be a list).
// Returns (name, nullptr) for a lone name and (nullptr, x) when x cannot be split.
std::pair<Ident*, Expr*> Parser::extract_name(Expr* x, bool force, int depth) {
  if (depth > DepthGuard::kMaxDepth) return {nullptr, x};
  if (auto* id = dyn_cast<Ident>(x)) return {id, nullptr};
  if (auto* b = dyn_cast<BinaryExpr>(x)) {
    if (b->op == Tok::kMul) {
      auto* name = dyn_cast<Ident>(b->x);
      if (name != nullptr && (force || is_type_elem(b->y))) {
        auto* star = make<StarExpr>(b->op_pos, b->y->end);  // name *y
        star->x = b->y;
        return {name, star};
      }
    } else if (b->op == Tok::kOr) {
      auto [name, lhs] = extract_name(b->x, force || is_type_elem(b->y), depth + 1);
      if (name != nullptr && lhs != nullptr) {  // name lhs|y
        auto* op = make<BinaryExpr>(lhs->begin, b->end);
        *op = *b;
        op->begin = lhs->begin;
        op->x = lhs;
        return {name, op};
      }
    }
  } else if (auto* c = dyn_cast<CallExpr>(x)) {
    auto* name = dyn_cast<Ident>(c->fun);
    if (name != nullptr && c->args.size() == 1 && c->ellipsis == kNoPos &&
        (force || is_type_elem(c->args[0]))) {
      auto* paren = make<ParenExpr>(c->lparen, c->rparen + 1);  // name (arg)
      paren->x = c->args[0];
      return {name, paren};
    }
  }
  return {nullptr, x};
}

void Parser::parse_generic_type(TypeSpec* spec, Pos lbrack, Ident* name0, Expr* type0) {
  List<Field> list = parse_parameter_list(name0, type0, Tok::kRbrack, false);
  const Pos rbrack = expect(Tok::kRbrack);
  spec->type_params = make_field_list(lbrack, list, rbrack);
  if (tok_.kind == Tok::kAssign) spec->assign = expect(Tok::kAssign);  // generic alias
  spec->type = parse_type();
}

// func [(recv)] name [type params] (params) [results] [body]. Methods may have type parameters:
// Go 1.27 allows them (go/parser dropped "method must have no type parameters"), and the
// compiler, not this parser, decides what a given Go version accepts.
FuncDecl* Parser::parse_func_decl() {
  CommentGroup* doc = lead_comment_;
  const Pos pos = expect(Tok::kFunc);
  FieldList* recv = nullptr;
  if (tok_.kind == Tok::kLparen) recv = parse_parameters(false);
  Ident* name = parse_ident();
  FieldList* type_params = tok_.kind == Tok::kLbrack ? parse_type_parameters() : nullptr;
  FieldList* params = parse_parameters(false);
  FieldList* results = parse_parameters(true);
  auto* type = make<FuncType>(pos, results != nullptr ? results->end : params->end);
  type->func = pos;
  type->type_params = type_params;
  type->params = params;
  type->results = results;
  BlockStmt* body = nullptr;
  if (tok_.kind == Tok::kLbrace) {
    body = parse_block_stmt();
    expect_semi();
  } else if (tok_.kind == Tok::kSemicolon) {
    next();
    if (tok_.kind == Tok::kLbrace) error(tok_.begin, "unexpected semicolon or newline before {");
  } else {
    expect_semi();
  }
  auto* d = make<FuncDecl>(pos, body != nullptr ? body->end : type->end);
  d->doc = doc;
  d->recv = recv;
  d->name = name;
  d->type = type;
  d->body = body;
  return d;
}

}  // namespace goinstr::gosrc::detail
