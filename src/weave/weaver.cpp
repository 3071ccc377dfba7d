// SPDX-License-Identifier: Apache-2.0
#include "weave/weaver.hpp"

#include <algorithm>
#include <map>

#include "weave/template.hpp"

namespace goinstr::weave {
namespace {

using gosrc::FuncDecl;
using gosrc::Pos;

struct Edit {
  Pos begin = 0;  // replaced range [begin, end); begin == end inserts
  Pos end = 0;
  std::string text;
  // Statements go on a physical line of their own, attributed to the position they are
  // inserted at: the compiler keeps columns in 8 bits, so a long insertion on the user's line
  // would lose the columns of everything after it.
  bool own_line = false;
};

// The type name of a method's receiver: T for `(t T)`, `(t *T)`, `(t *T[K])`.
std::string_view receiver_type(const gosrc::File& file, const FuncDecl& fn) {
  if (fn.recv == nullptr || fn.recv->list.empty()) return {};
  const gosrc::Node* type = fn.recv->list[0]->type;
  if (const auto* star = gosrc::dyn_cast<gosrc::StarExpr>(type)) type = star->x;
  if (const auto* index = gosrc::dyn_cast<gosrc::IndexExpr>(type)) type = index->x;
  if (const auto* paren = gosrc::dyn_cast<gosrc::ParenExpr>(type)) type = paren->x;
  if (const auto* ident = gosrc::dyn_cast<gosrc::Ident>(type)) return ident->name;
  return file.text(*type);
}

bool has_pointer_receiver(const FuncDecl& fn) {
  return fn.recv != nullptr && !fn.recv->list.empty() &&
         gosrc::dyn_cast<gosrc::StarExpr>(fn.recv->list[0]->type) != nullptr;
}

bool has_directive(const FuncDecl& fn, std::string_view directive) {
  if (fn.doc == nullptr) return false;
  for (const gosrc::Comment* c : fn.doc->list) {
    std::string_view text = c->text;
    if (!text.starts_with("//")) continue;
    text.remove_prefix(2);
    if (text.starts_with(directive) &&
        (text.size() == directive.size() || text[directive.size()] == ' ' ||
         text[directive.size()] == '\t'))
      return true;
  }
  return false;
}

bool matches(const gosrc::File& file, const FuncDecl& fn, const Rule& rule) {
  if (!rule.directive.empty()) return has_directive(fn, rule.directive);
  return fn.name->name == rule.function && receiver_type(file, fn) == rule.receiver;
}

// Names of the results after naming, and the edits that name them when asked to.
struct Results {
  std::vector<std::string> names;  // "" where a result has no usable name
  std::vector<std::string> types;
  std::vector<Edit> edits;
};

Results results_of(const gosrc::File& file, const FuncDecl& fn, bool name_them) {
  Results r;
  const gosrc::FieldList* list = fn.type->results;
  if (list == nullptr) return r;
  bool unnamed = !list->list.empty() && list->list[0]->names.empty();
  size_t index = 0;
  std::string rebuilt = "(";
  for (const gosrc::Field* field : list->list) {
    std::string type(file.text(*field->type));
    if (field->names.empty()) {
      std::string name = "goinstrR" + std::to_string(index++);
      if (rebuilt.size() > 1) rebuilt += ", ";
      rebuilt += name + " " + type;
      r.names.push_back(name_them ? name : "");
      r.types.push_back(type);
      continue;
    }
    for (const gosrc::Ident* ident : field->names) {
      std::string name(ident->name);
      if (name == "_" && name_them) {
        name = "goinstrR" + std::to_string(index);
        r.edits.push_back({ident->begin, ident->end, name});
      } else if (name == "_") {
        name.clear();
      }
      ++index;
      r.names.push_back(name);
      r.types.push_back(type);
    }
  }
  if (unnamed && name_them) r.edits.push_back({list->begin, list->end, rebuilt + ")"});
  return r;
}

std::string context_param(const gosrc::File& file, const FuncDecl& fn) {
  for (const gosrc::Field* field : fn.type->params->list) {
    if (file.text(*field->type) != "context.Context") continue;
    if (field->names.empty() || field->names[0]->name == "_") return {};
    return std::string(field->names[0]->name);
  }
  return {};
}

Result<std::string> expand_prepend(const gosrc::File& file, const FuncDecl& fn, const Rule& rule,
                                   const Results& results) {
  Placeholders values;
  for (size_t i = 0; i < results.names.size(); ++i)
    values["result." + std::to_string(i)] = results.names[i];
  std::string error_result = "nil";
  if (!results.types.empty() && results.types.back() == "error" && !results.names.back().empty())
    error_result = results.names.back();
  values["error_result"] = error_result;
  std::string ctx = context_param(file, fn);
  values["ctx_arg"] = ctx.empty() ? "nil" : ctx;
  values["ctx_lhs"] = ctx.empty() ? "_" : ctx;
  values["function"] = qualified_name(file, fn);
  auto text = expand(rule.prepend, values);
  if (!text)
    return std::unexpected(
        text.error().context("rule '" + rule.id + "' at " + file.location(fn.begin)));
  return text;
}

bool imports_path(const gosrc::File& file, const Import& imp) {
  for (const gosrc::ImportSpec* spec : file.imports) {
    auto path = gosrc::unquote(spec->path->value);
    if (!path || *path != imp.path) continue;
    std::string_view name = spec->name != nullptr ? spec->name->name : std::string_view();
    // A blank import needs any import of the path; a named one needs that exact name.
    if (imp.name == "_" || name == imp.name) return true;
  }
  return false;
}

std::string import_clause(const std::vector<Import>& imports) {
  std::string out = "import (";
  for (size_t i = 0; i < imports.size(); ++i) {
    if (i > 0) out += "; ";
    if (!imports[i].name.empty()) out += imports[i].name + " ";
    out += "\"" + imports[i].path + "\"";
  }
  return out + ")";
}

std::string line_directive(const gosrc::File& file, std::string_view path, Pos offset) {
  gosrc::LineCol lc = file.position(offset);
  return "/*line " + std::string(path) + ":" + std::to_string(lc.line) + ":" +
         std::to_string(lc.column) + "*/";
}

std::string apply(const gosrc::File& file, std::string_view path, std::vector<Edit> edits) {
  std::stable_sort(edits.begin(), edits.end(),
                   [](const Edit& a, const Edit& b) { return a.begin < b.begin; });
  std::string_view src = file.source();
  std::string out = "//line " + std::string(path) + ":1:1\n";
  out.reserve(src.size() + 1024);
  Pos at = 0;
  for (const Edit& e : edits) {
    out.append(src.substr(at, e.begin - at));
    if (e.own_line) out += "\n" + line_directive(file, path, e.begin);
    out += e.text;
    if (e.own_line) out += '\n';
    out += line_directive(file, path, e.end);
    at = e.end;
  }
  out.append(src.substr(at));
  return out;
}

}  // namespace

std::string qualified_name(const gosrc::File& file, const FuncDecl& fn) {
  std::string out(file.name->name);
  out += '.';
  if (fn.recv != nullptr) {
    std::string type(receiver_type(file, fn));
    out += has_pointer_receiver(fn) ? "(*" + type + ")." : type + ".";
  }
  out += fn.name->name;
  return out;
}

Result<std::optional<WovenFile>> weave_file(const gosrc::File& file, std::string_view original_path,
                                            std::span<const Rule* const> rules) {
  std::vector<Edit> edits;
  std::vector<Import> needed;
  WovenFile woven;
  for (const gosrc::Decl* decl : file.decls) {
    const auto* fn = gosrc::dyn_cast<FuncDecl>(decl);
    if (fn == nullptr) continue;
    std::vector<const Rule*> hits;
    for (const Rule* rule : rules)
      if (matches(file, *fn, *rule)) hits.push_back(rule);
    if (hits.empty()) continue;
    if (fn->body == nullptr)
      return fail(file.location(fn->begin) + ": rule '" + hits[0]->id + "' matches " +
                  qualified_name(file, *fn) + ", which has no body");
    bool name_them =
        std::any_of(hits.begin(), hits.end(), [](const Rule* r) { return r->name_results; });
    Results results = results_of(file, *fn, name_them);
    edits.insert(edits.end(), results.edits.begin(), results.edits.end());
    std::string prepend;
    for (const Rule* rule : hits) {
      ASSIGN_OR_RETURN(std::string text, expand_prepend(file, *fn, *rule, results));
      prepend += text;
      for (const Import& imp : rule->imports)
        if (!imports_path(file, imp) &&
            std::none_of(needed.begin(), needed.end(),
                         [&](const Import& n) { return n.path == imp.path && n.name == imp.name; }))
          needed.push_back(imp);
      if (std::find(woven.rule_ids.begin(), woven.rule_ids.end(), rule->id) == woven.rule_ids.end())
        woven.rule_ids.push_back(rule->id);
    }
    Pos after_brace = fn->body->lbrace + 1;
    edits.push_back({after_brace, after_brace, prepend, /*own_line=*/true});
  }
  if (edits.empty()) return std::nullopt;
  if (!needed.empty()) {
    Pos after_name = file.name->end;
    edits.push_back({after_name, after_name, "; " + import_clause(needed)});
  }
  woven.text = apply(file, original_path, std::move(edits));
  return woven;
}

std::optional<std::string> declarations_file(std::string_view package_name,
                                             std::span<const Rule* const> rules) {
  std::vector<Import> imports;
  std::string decls;
  for (const Rule* rule : rules) {
    if (rule->declare.empty()) continue;
    for (const Import& imp : rule->declare_imports)
      if (std::none_of(imports.begin(), imports.end(),
                       [&](const Import& i) { return i.path == imp.path && i.name == imp.name; }))
        imports.push_back(imp);
    decls += "\n// From rule '" + rule->id + "'.\n" + rule->declare;
  }
  if (decls.empty()) return std::nullopt;
  std::string out =
      "// Code generated by goinstr (compile-time instrumentation). DO NOT EDIT.\n\npackage ";
  out += package_name;
  out += "\n\n";
  if (!imports.empty()) {
    out += "import (\n";
    for (const Import& imp : imports)
      out += "\t" + (imp.name.empty() ? "" : imp.name + " ") + "\"" + imp.path + "\"\n";
    out += ")\n";
  }
  return out + decls;
}

}  // namespace goinstr::weave
