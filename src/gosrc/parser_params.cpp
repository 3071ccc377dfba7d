// SPDX-License-Identifier: Apache-2.0
// Parameter, result and type-parameter lists. The hard part is that `(a, b T)`, `(a, b)` and
// `(T)` only reveal whether their identifiers are names or types at the end of the list, and
// that `[P *C]` may start a type parameter list or an array length; like go/parser, entries are
// collected first and names and types matched up afterwards.
#include "gosrc/parser_impl.hpp"

namespace goinstr::gosrc::detail {

// [ type parameters ], after a function name (or, for the error, after `func`).
FieldList* Parser::parse_type_parameters() {
  const Pos lbrack = expect(Tok::kLbrack);
  List<Field> list;
  if (tok_.kind != Tok::kRbrack) list = parse_parameter_list(nullptr, nullptr, Tok::kRbrack, false);
  const Pos rbrack = expect(Tok::kRbrack);
  if (list.empty()) error(rbrack, "empty type parameter list");
  return make_field_list(lbrack, list, rbrack);
}

// ( parameters ); for results (result == true) also a single unparenthesized type, or nothing
// (nullptr). Only parameters may end with ...T.
FieldList* Parser::parse_parameters(bool result) {
  if (!result || tok_.kind == Tok::kLparen) {
    const Pos lparen = expect(Tok::kLparen);
    List<Field> list;
    if (tok_.kind != Tok::kRparen) {
      list = parse_parameter_list(nullptr, nullptr, Tok::kRparen, !result);
    }
    const Pos rparen = expect(Tok::kRparen);
    return make_field_list(lparen, list, rparen);
  }
  Expr* t = try_ident_or_type();
  if (t == nullptr) return nullptr;
  auto* fl = make<FieldList>(t->begin, t->end);
  fl->list = single(fields_, make_field({}, t));
  return fl;
}

Field* Parser::make_field(List<Ident> names, Expr* type) {
  auto* f = make<Field>(names.empty() ? type->begin : names.front()->begin, type->end);
  f->names = names;
  f->type = type;
  return f;
}

// Entries up to `closing`. name0/type0 are a first name and type the caller already parsed
// (parse_type_spec, which had to look past them to tell a type parameter list from an array).
// dots_ok: the last entry may be variadic (...T).
List<Field> Parser::parse_parameter_list(Ident* name0, Expr* type0, Tok closing, bool dots_ok) {
  const bool type_params = closing == Tok::kRbrack;
  Pos pos0 = tok_.begin;
  if (name0 != nullptr) {
    pos0 = name0->begin;
  } else if (type0 != nullptr) {
    pos0 = type0->begin;
  }
  const size_t mark = params_.size();
  size_t named = 0;  // entries with a name and a type
  size_t typed = 0;  // entries with a type
  while (name0 != nullptr || (tok_.kind != closing && tok_.kind != Tok::kEof)) {
    ParamEntry par;
    if (type0 != nullptr) {
      par = {name0, type_params ? embedded_elem(type0) : type0};
    } else {
      par = parse_param_decl(name0, type_params);
    }
    name0 = nullptr;
    type0 = nullptr;
    if (par.name != nullptr || par.type != nullptr) {
      params_.push_back(par);
      if (par.name != nullptr && par.type != nullptr) ++named;
      if (par.type != nullptr) ++typed;
    }
    if (!at_comma("parameter list", closing)) break;
    next();
  }
  if (params_.size() == mark) return {};
  check_parameters(mark, named, typed, type_params, pos0);
  check_variadic(mark, dots_ok);
  List<Field> out = group_parameters(mark, named);
  params_.resize(mark);
  return out;
}

// Completes the entries: without any `name type` entry, lone identifiers are types; otherwise
// every entry needs a name, and a lone name takes the type of the next typed entry (a, b int).
// The errors are go/parser's (Go 1.26), at its positions.
void Parser::check_parameters(size_t mark, size_t named, size_t typed, bool type_params, Pos pos0) {
  const size_t n = params_.size() - mark;
  const char* missing_name = type_params
                                 ? (n == 1 ? "missing type parameter name or invalid array length"
                                           : "missing type parameter name")
                                 : "missing parameter name";
  const char* missing_type = type_params ? "missing type constraint" : "missing parameter type";
  if (named == 0) {
    for (size_t i = mark; i < params_.size(); ++i) {
      if (params_[i].name != nullptr) params_[i] = {nullptr, params_[i].name};
    }
    if (type_params) {
      // A type parameter list cannot be all types: [T] or [P, Q].
      if (typed == 0) error(tok_.begin, missing_type);  // at the closing ]
      error(pos0, missing_name);
    }
    return;
  }
  if (named == n) return;
  Pos bad = kNoPos;  // left-most problem
  Expr* type = nullptr;
  for (size_t i = params_.size(); i-- > mark;) {
    ParamEntry& par = params_[i];
    if (par.type != nullptr) {
      type = par.type;
      if (par.name == nullptr) bad = par.type->begin;
    } else if (type != nullptr) {
      par.type = type;
    } else {
      bad = par.name->begin;
    }
  }
  if (bad == kNoPos) return;
  // All typed entries are named, so some name lacks a type (a int, b): reported at the closing
  // token; otherwise some type lacks a name (a int, string).
  if (named == typed) error(tok_.begin, missing_type);
  error(bad, missing_name);
}

// ...T is only allowed as the type of a function's last parameter.
void Parser::check_variadic(size_t mark, bool dots_ok) {
  for (size_t i = mark; i < params_.size(); ++i) {
    auto* dots = dyn_cast<Ellipsis>(params_[i].type);
    if (dots == nullptr) continue;
    if (!dots_ok) error(dots->begin, "invalid use of ...");
    if (i + 1 < params_.size()) error(dots->begin, "can only use ... with final parameter");
  }
}

// One Field per type-only entry, or per run of names sharing one type (a, b int).
List<Field> Parser::group_parameters(size_t mark, size_t named) {
  const size_t field_mark = fields_.mark();
  for (size_t i = mark; i < params_.size();) {
    Expr* type = params_[i].type;
    if (named == 0) {
      fields_.push(make_field({}, type));
      ++i;
      continue;
    }
    const size_t ident_mark = idents_.mark();
    for (; i < params_.size() && params_[i].type == type; ++i) idents_.push(params_[i].name);
    fields_.push(make_field(idents_.take(file_.arena, ident_mark), type));
  }
  return fields_.take(file_.arena, field_mark);
}

// One entry: `name`, `name type`, `type`, `name ...type`, `...type`; in type parameter lists
// (type_sets_ok) also unions and ~ terms. `name`, when given, was consumed by the caller.
ParamEntry Parser::parse_param_decl(Ident* name, bool type_sets_ok) {
  const Tok t = name != nullptr ? Tok::kIdent : tok_.kind;
  if (name == nullptr && type_sets_ok && t == Tok::kTilde) return {nullptr, embedded_elem(nullptr)};
  ParamEntry f;
  switch (t) {
    case Tok::kIdent:
      f.name = name != nullptr ? name : parse_ident();
      switch (tok_.kind) {
        case Tok::kIdent:
        case Tok::kMul:
        case Tok::kArrow:
        case Tok::kFunc:
        case Tok::kChan:
        case Tok::kMap:
        case Tok::kStruct:
        case Tok::kInterface:
        case Tok::kLparen:
          f.type = parse_type();  // name type
          break;
        case Tok::kLbrack:
          std::tie(f.name, f.type) = parse_array_field_or_type_instance(f.name);
          break;
        case Tok::kEllipsis:
          f.type = parse_dots_type();  // name ...type; no union may follow
          return f;
        case Tok::kPeriod:
          f.type = parse_qualified_ident(f.name);  // pkg.Type
          f.name = nullptr;
          break;
        case Tok::kTilde:
          if (type_sets_ok) return {f.name, embedded_elem(nullptr)};
          break;
        case Tok::kOr:
          if (type_sets_ok) return {nullptr, embedded_elem(f.name)};
          break;
        default:
          break;
      }
      break;
    case Tok::kMul:
    case Tok::kArrow:
    case Tok::kFunc:
    case Tok::kLbrack:
    case Tok::kChan:
    case Tok::kMap:
    case Tok::kStruct:
    case Tok::kInterface:
    case Tok::kLparen:
      f.type = parse_type();
      break;
    case Tok::kEllipsis:
      return {nullptr, parse_dots_type()};
    default:
      error_expected(type_sets_ok ? "']'" : "')'");
  }
  if (type_sets_ok && tok_.kind == Tok::kOr && f.type != nullptr) f.type = embedded_elem(f.type);
  return f;
}

}  // namespace goinstr::gosrc::detail
