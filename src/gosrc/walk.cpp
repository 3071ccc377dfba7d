// SPDX-License-Identifier: Apache-2.0
#include "gosrc/walk.hpp"

#include <algorithm>
#include <vector>

#include "gosrc/parser.hpp"

namespace goinstr::gosrc {
namespace {

// Feeds children to f, skipping nulls; list() takes any List<T>.
struct Children {
  const std::function<void(Node*)>& f;
  void one(Node* n) const {
    if (n != nullptr) f(n);
  }
  template <typename T>
  void list(List<T> items) const {
    for (T* n : items) f(n);
  }
};

void expr_children(Node* n, const Children& c) {
  switch (n->kind) {
    case NodeKind::kEllipsis:
      return c.one(static_cast<Ellipsis*>(n)->elt);
    case NodeKind::kFuncLit: {
      auto* x = static_cast<FuncLit*>(n);
      return c.one(x->type), c.one(x->body);
    }
    case NodeKind::kCompositeLit: {
      auto* x = static_cast<CompositeLit*>(n);
      return c.one(x->type), c.list(x->elts);
    }
    case NodeKind::kParenExpr:
      return c.one(static_cast<ParenExpr*>(n)->x);
    case NodeKind::kSelectorExpr: {
      auto* x = static_cast<SelectorExpr*>(n);
      return c.one(x->x), c.one(x->sel);
    }
    case NodeKind::kIndexExpr: {
      auto* x = static_cast<IndexExpr*>(n);
      return c.one(x->x), c.list(x->indices);
    }
    case NodeKind::kSliceExpr: {
      auto* x = static_cast<SliceExpr*>(n);
      return c.one(x->x), c.one(x->low), c.one(x->high), c.one(x->max);
    }
    case NodeKind::kTypeAssertExpr: {
      auto* x = static_cast<TypeAssertExpr*>(n);
      return c.one(x->x), c.one(x->type);
    }
    case NodeKind::kCallExpr: {
      auto* x = static_cast<CallExpr*>(n);
      return c.one(x->fun), c.list(x->args);
    }
    case NodeKind::kStarExpr:
      return c.one(static_cast<StarExpr*>(n)->x);
    case NodeKind::kUnaryExpr:
      return c.one(static_cast<UnaryExpr*>(n)->x);
    case NodeKind::kBinaryExpr: {
      auto* x = static_cast<BinaryExpr*>(n);
      return c.one(x->x), c.one(x->y);
    }
    case NodeKind::kKeyValueExpr: {
      auto* x = static_cast<KeyValueExpr*>(n);
      return c.one(x->key), c.one(x->value);
    }
    case NodeKind::kArrayType: {
      auto* x = static_cast<ArrayType*>(n);
      return c.one(x->len), c.one(x->elt);
    }
    case NodeKind::kStructType:
      return c.one(static_cast<StructType*>(n)->fields);
    case NodeKind::kFuncType: {
      auto* x = static_cast<FuncType*>(n);
      return c.one(x->type_params), c.one(x->params), c.one(x->results);
    }
    case NodeKind::kInterfaceType:
      return c.one(static_cast<InterfaceType*>(n)->methods);
    case NodeKind::kMapType: {
      auto* x = static_cast<MapType*>(n);
      return c.one(x->key), c.one(x->value);
    }
    case NodeKind::kChanType:
      return c.one(static_cast<ChanType*>(n)->value);
    default:
      return;  // Ident, BasicLit
  }
}

void simple_stmt_children(Node* n, const Children& c) {
  switch (n->kind) {
    case NodeKind::kDeclStmt:
      return c.one(static_cast<DeclStmt*>(n)->decl);
    case NodeKind::kLabeledStmt: {
      auto* s = static_cast<LabeledStmt*>(n);
      return c.one(s->label), c.one(s->stmt);
    }
    case NodeKind::kExprStmt:
      return c.one(static_cast<ExprStmt*>(n)->x);
    case NodeKind::kSendStmt: {
      auto* s = static_cast<SendStmt*>(n);
      return c.one(s->chan), c.one(s->value);
    }
    case NodeKind::kIncDecStmt:
      return c.one(static_cast<IncDecStmt*>(n)->x);
    case NodeKind::kAssignStmt: {
      auto* s = static_cast<AssignStmt*>(n);
      return c.list(s->lhs), c.list(s->rhs);
    }
    case NodeKind::kGoStmt:
      return c.one(static_cast<GoStmt*>(n)->call);
    case NodeKind::kDeferStmt:
      return c.one(static_cast<DeferStmt*>(n)->call);
    case NodeKind::kReturnStmt:
      return c.list(static_cast<ReturnStmt*>(n)->results);
    case NodeKind::kBranchStmt:
      return c.one(static_cast<BranchStmt*>(n)->label);
    case NodeKind::kBlockStmt:
      return c.list(static_cast<BlockStmt*>(n)->list);
    default:
      return;  // EmptyStmt
  }
}

void compound_stmt_children(Node* n, const Children& c) {
  switch (n->kind) {
    case NodeKind::kIfStmt: {
      auto* s = static_cast<IfStmt*>(n);
      return c.one(s->init), c.one(s->cond), c.one(s->body), c.one(s->else_stmt);
    }
    case NodeKind::kCaseClause: {
      auto* s = static_cast<CaseClause*>(n);
      return c.list(s->list), c.list(s->body);
    }
    case NodeKind::kSwitchStmt: {
      auto* s = static_cast<SwitchStmt*>(n);
      return c.one(s->init), c.one(s->tag), c.one(s->body);
    }
    case NodeKind::kTypeSwitchStmt: {
      auto* s = static_cast<TypeSwitchStmt*>(n);
      return c.one(s->init), c.one(s->assign), c.one(s->body);
    }
    case NodeKind::kCommClause: {
      auto* s = static_cast<CommClause*>(n);
      return c.one(s->comm), c.list(s->body);
    }
    case NodeKind::kSelectStmt:
      return c.one(static_cast<SelectStmt*>(n)->body);
    case NodeKind::kForStmt: {
      auto* s = static_cast<ForStmt*>(n);
      return c.one(s->init), c.one(s->cond), c.one(s->post), c.one(s->body);
    }
    case NodeKind::kRangeStmt: {
      auto* s = static_cast<RangeStmt*>(n);
      return c.one(s->key), c.one(s->value), c.one(s->x), c.one(s->body);
    }
    default:
      return simple_stmt_children(n, c);
  }
}

void other_children(Node* n, const Children& c) {
  switch (n->kind) {
    case NodeKind::kImportSpec: {
      auto* s = static_cast<ImportSpec*>(n);
      return c.one(s->doc), c.one(s->name), c.one(s->path), c.one(s->comment);
    }
    case NodeKind::kValueSpec: {
      auto* s = static_cast<ValueSpec*>(n);
      return c.one(s->doc), c.list(s->names), c.one(s->type), c.list(s->values), c.one(s->comment);
    }
    case NodeKind::kTypeSpec: {
      auto* s = static_cast<TypeSpec*>(n);
      return c.one(s->doc), c.one(s->name), c.one(s->type_params), c.one(s->type),
             c.one(s->comment);
    }
    case NodeKind::kGenDecl: {
      auto* d = static_cast<GenDecl*>(n);
      return c.one(d->doc), c.list(d->specs);
    }
    case NodeKind::kFuncDecl: {
      auto* d = static_cast<FuncDecl*>(n);
      return c.one(d->doc), c.one(d->recv), c.one(d->name), c.one(d->type), c.one(d->body);
    }
    case NodeKind::kField: {
      auto* f = static_cast<Field*>(n);
      return c.one(f->doc), c.list(f->names), c.one(f->type), c.one(f->tag), c.one(f->comment);
    }
    case NodeKind::kFieldList:
      return c.list(static_cast<FieldList*>(n)->list);
    case NodeKind::kCommentGroup:
      return c.list(static_cast<CommentGroup*>(n)->list);
    default:
      return;  // Comment
  }
}

}  // namespace

void for_each_child(Node* n, const std::function<void(Node*)>& f) {
  const Children c{f};
  if (is_expr(n->kind)) return expr_children(n, c);
  if (is_stmt(n->kind)) return compound_stmt_children(n, c);
  other_children(n, c);
}

// Iterative, with an explicit stack: trees are deep along left-associative chains (a+b+c...,
// thousands of levels in generated code), too deep to recurse on safely.
void walk(Node* n, const std::function<bool(Node*)>& visit) {
  if (n == nullptr) return;
  std::vector<Node*> stack{n};
  while (!stack.empty()) {
    Node* cur = stack.back();
    stack.pop_back();
    if (!visit(cur)) continue;
    const size_t first = stack.size();
    for_each_child(cur, [&](Node* child) { stack.push_back(child); });
    std::reverse(stack.begin() + static_cast<std::ptrdiff_t>(first), stack.end());
  }
}

void walk(const File& file, const std::function<bool(Node*)>& visit) {
  walk(file.doc, visit);
  walk(file.name, visit);
  for (Decl* d : file.decls) walk(d, visit);
}

}  // namespace goinstr::gosrc
