// SPDX-License-Identifier: Apache-2.0
#include "gosrc/ast.hpp"

#include <array>

namespace goinstr::gosrc {
namespace {

constexpr std::array<std::string_view, static_cast<size_t>(NodeKind::kCommentGroup) + 1> kKinds = {
    "Ident",      "BasicLit",       "Ellipsis",   "FuncLit",       "CompositeLit",
    "ParenExpr",  "SelectorExpr",   "IndexExpr",  "SliceExpr",     "TypeAssertExpr",
    "CallExpr",   "StarExpr",       "UnaryExpr",  "BinaryExpr",    "KeyValueExpr",
    "ArrayType",  "StructType",     "FuncType",   "InterfaceType", "MapType",
    "ChanType",   "DeclStmt",       "EmptyStmt",  "LabeledStmt",   "ExprStmt",
    "SendStmt",   "IncDecStmt",     "AssignStmt", "GoStmt",        "DeferStmt",
    "ReturnStmt", "BranchStmt",     "BlockStmt",  "IfStmt",        "CaseClause",
    "SwitchStmt", "TypeSwitchStmt", "CommClause", "SelectStmt",    "ForStmt",
    "RangeStmt",  "ImportSpec",     "ValueSpec",  "TypeSpec",      "GenDecl",
    "FuncDecl",   "Field",          "FieldList",  "Comment",       "CommentGroup",
};

// Catches a NodeKind added without its name (the array would pad with empty names).
static_assert(kKinds.back() == "CommentGroup");

}  // namespace

std::string_view kind_name(NodeKind k) {
  return kKinds[static_cast<size_t>(k)];
}

bool Comment::is_directive() const {
  // The forms cmd/compile and cgo act on (go/ast.isDirective, plus //line and /*line).
  if (text.starts_with("//line ") || text.starts_with("/*line ")) return true;
  if (text.starts_with("//export ") || text.starts_with("//extern ")) return true;
  if (!text.starts_with("//")) return false;
  // //[a-z0-9]+:[a-z0-9]: e.g. //go:noinline, //go:build, //lint:ignore
  std::string_view rest = text.substr(2);
  size_t colon = rest.find(':');
  if (colon == 0 || colon == std::string_view::npos || colon + 1 >= rest.size()) return false;
  for (size_t i = 0; i < colon; ++i) {
    const char c = rest[i];
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  }
  const char c = rest[colon + 1];
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

size_t FieldList::num_fields() const {
  size_t n = 0;
  for (const Field* f : list) n += f->names.empty() ? 1 : f->names.size();
  return n;
}

}  // namespace goinstr::gosrc
