// SPDX-License-Identifier: Apache-2.0
// S-expression rendering of a syntax tree, for golden tests and debugging:
//
//   (FuncDecl main
//     (FuncType (FieldList))
//     (BlockStmt (ExprStmt (CallExpr (SelectorExpr fmt Println) "\"hi\""))))
//
// Identifiers print as their name and literals as their source text; every other node as
// (Kind attributes children...). Optional children print with a label (init=, cond=, ...) so
// that an absent one is never confused with the next; names/lhs/rhs/... group lists that would
// otherwise run together. A node goes on one line when all its children are leaves and it fits.
#pragma once

#include <string>

#include "gosrc/ast.hpp"

namespace goinstr::gosrc {

struct File;

struct DumpOptions {
  bool positions = false;  // append @begin-end byte offsets to every node
  bool comments = false;   // include doc= and comment= comment groups
  bool one_line = false;   // no line breaks (other than those inside raw string literals)
};

std::string ast_dump(const File& file, DumpOptions options = {});
std::string ast_dump(const Node* node, DumpOptions options = {});

}  // namespace goinstr::gosrc
