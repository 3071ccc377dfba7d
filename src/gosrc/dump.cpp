// SPDX-License-Identifier: Apache-2.0
#include "gosrc/dump.hpp"

#include <fmt/format.h>

#include <vector>

#include "gosrc/parser.hpp"

namespace goinstr::gosrc {
namespace {

constexpr size_t kWidth = 100;

// One S-expression: a bare atom (leaf) or (head kids...), optionally preceded by "label=".
// Sx live in one pool and refer to their kids by index: trees can be thousands of levels deep
// (long a+b+c... chains), so building, rendering and freeing them must not recurse.
struct Sx {
  std::string label;
  std::string head;
  std::vector<uint32_t> kids;
  bool atom = false;
  const Node* pending = nullptr;  // node whose kids are still to be added
};

std::string quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + '"';
}

std::string_view chan_dir(ChanDir d) {
  switch (d) {
    case ChanDir::kSend:
      return "chan<-";
    case ChanDir::kRecv:
      return "<-chan";
    default:
      return "chan";
  }
}

class Builder {
 public:
  explicit Builder(DumpOptions opt) : opt_(opt) {}

  // Builds the Sx for n and everything below it; returns its index.
  uint32_t build(const Node* n, std::string_view label = {}) {
    const uint32_t root = node(n, label);
    while (!work_.empty()) {
      cur_ = work_.back();
      work_.pop_back();
      fill(pool_[cur_].pending);
    }
    return root;
  }
  uint32_t add_atom(std::string text) { return add(Sx{{}, std::move(text), {}, true, nullptr}); }
  uint32_t add_list(std::string head, std::vector<uint32_t> kids) {
    return add(Sx{{}, std::move(head), std::move(kids), false, nullptr});
  }
  const std::vector<Sx>& pool() const { return pool_; }

 private:
  uint32_t add(Sx s) {
    pool_.push_back(std::move(s));
    return static_cast<uint32_t>(pool_.size() - 1);
  }
  std::string at(const Node* n) const {
    return opt_.positions ? fmt::format("@{}-{}", n->begin, n->end) : std::string();
  }
  // An Sx for n: atoms are complete; other nodes are queued for fill().
  uint32_t node(const Node* n, std::string_view label) {
    uint32_t i = 0;
    switch (n->kind) {
      case NodeKind::kIdent:
        i = add_atom(std::string(static_cast<const Ident*>(n)->name) + at(n));
        break;
      case NodeKind::kBasicLit:
        i = add_atom(std::string(static_cast<const BasicLit*>(n)->value) + at(n));
        break;
      case NodeKind::kComment:
        i = add_atom(quote(static_cast<const Comment*>(n)->text) + at(n));
        break;
      default:
        i = add(Sx{{}, std::string(kind_name(n->kind)) + at(n), {}, false, n});
        work_.push_back(i);
    }
    if (!label.empty()) pool_[i].label = std::string(label) + "=";
    return i;
  }
  void fill(const Node* n) {
    if (is_expr(n->kind)) {
      expr(n);
    } else if (is_stmt(n->kind)) {
      stmt(n);
    } else {
      other(n);
    }
  }
  void word(std::string_view w) {
    const uint32_t i = add_atom(std::string(w));
    pool_[cur_].kids.push_back(i);
  }
  void kid(const Node* n, std::string_view label = {}) {
    if (n == nullptr) return;
    if (n->kind == NodeKind::kCommentGroup && !opt_.comments) return;
    const uint32_t i = node(n, label);
    pool_[cur_].kids.push_back(i);
  }
  template <typename T>
  void kids(List<T> list) {
    for (const T* n : list) kid(n);
  }
  // (name items...), omitted when empty unless `always`.
  template <typename T>
  void group(std::string_view name, List<T> list, bool always = false) {
    if (list.empty() && !always) return;
    const uint32_t g = add_list(std::string(name), {});
    pool_[cur_].kids.push_back(g);
    const uint32_t outer = cur_;
    cur_ = g;
    kids(list);
    cur_ = outer;
  }

  void expr(const Node* n);
  void type(const Node* n);
  void stmt(const Node* n);
  void control_stmt(const Node* n);
  void other(const Node* n);

  DumpOptions opt_;
  std::vector<Sx> pool_;
  std::vector<uint32_t> work_;
  uint32_t cur_ = 0;  // the Sx that kid()/word()/group() append to
};

void Builder::expr(const Node* n) {
  switch (n->kind) {
    case NodeKind::kEllipsis:
      return kid(static_cast<const Ellipsis*>(n)->elt);
    case NodeKind::kFuncLit: {
      const auto* x = static_cast<const FuncLit*>(n);
      return kid(x->type), kid(x->body);
    }
    case NodeKind::kCompositeLit: {
      const auto* x = static_cast<const CompositeLit*>(n);
      return kid(x->type, "type"), kids(x->elts);
    }
    case NodeKind::kParenExpr:
      return kid(static_cast<const ParenExpr*>(n)->x);
    case NodeKind::kSelectorExpr: {
      const auto* x = static_cast<const SelectorExpr*>(n);
      return kid(x->x), kid(x->sel);
    }
    case NodeKind::kIndexExpr: {
      const auto* x = static_cast<const IndexExpr*>(n);
      return kid(x->x), kids(x->indices);
    }
    case NodeKind::kSliceExpr: {
      const auto* x = static_cast<const SliceExpr*>(n);
      return kid(x->x), kid(x->low, "low"), kid(x->high, "high"), kid(x->max, "max");
    }
    case NodeKind::kTypeAssertExpr: {
      const auto* x = static_cast<const TypeAssertExpr*>(n);
      kid(x->x);
      return x->type != nullptr ? kid(x->type) : word("type");
    }
    case NodeKind::kCallExpr: {
      const auto* x = static_cast<const CallExpr*>(n);
      kid(x->fun), kids(x->args);
      if (x->ellipsis != kNoPos) word("...");
      return;
    }
    case NodeKind::kStarExpr:
      return kid(static_cast<const StarExpr*>(n)->x);
    case NodeKind::kUnaryExpr: {
      const auto* x = static_cast<const UnaryExpr*>(n);
      return word(tok_string(x->op)), kid(x->x);
    }
    case NodeKind::kBinaryExpr: {
      const auto* x = static_cast<const BinaryExpr*>(n);
      return word(tok_string(x->op)), kid(x->x), kid(x->y);
    }
    case NodeKind::kKeyValueExpr: {
      const auto* x = static_cast<const KeyValueExpr*>(n);
      return kid(x->key), kid(x->value);
    }
    default:
      return type(n);
  }
}

void Builder::type(const Node* n) {
  switch (n->kind) {
    case NodeKind::kArrayType: {
      const auto* x = static_cast<const ArrayType*>(n);
      return kid(x->len, "len"), kid(x->elt);
    }
    case NodeKind::kStructType:
      return kids(static_cast<const StructType*>(n)->fields->list);
    case NodeKind::kFuncType: {
      const auto* x = static_cast<const FuncType*>(n);
      return kid(x->type_params, "tparams"), kid(x->params), kid(x->results, "results");
    }
    case NodeKind::kInterfaceType:
      return kids(static_cast<const InterfaceType*>(n)->methods->list);
    case NodeKind::kMapType: {
      const auto* x = static_cast<const MapType*>(n);
      return kid(x->key), kid(x->value);
    }
    case NodeKind::kChanType: {
      const auto* x = static_cast<const ChanType*>(n);
      return word(chan_dir(x->dir)), kid(x->value);
    }
    default:
      return;
  }
}

void Builder::stmt(const Node* n) {
  switch (n->kind) {
    case NodeKind::kDeclStmt:
      return kid(static_cast<const DeclStmt*>(n)->decl);
    case NodeKind::kEmptyStmt:
      if (static_cast<const EmptyStmt*>(n)->implicit) word("implicit");
      return;
    case NodeKind::kLabeledStmt: {
      const auto* x = static_cast<const LabeledStmt*>(n);
      return kid(x->label), kid(x->stmt);
    }
    case NodeKind::kExprStmt:
      return kid(static_cast<const ExprStmt*>(n)->x);
    case NodeKind::kSendStmt: {
      const auto* x = static_cast<const SendStmt*>(n);
      return kid(x->chan), kid(x->value);
    }
    case NodeKind::kIncDecStmt: {
      const auto* x = static_cast<const IncDecStmt*>(n);
      return word(tok_string(x->tok)), kid(x->x);
    }
    case NodeKind::kAssignStmt: {
      const auto* x = static_cast<const AssignStmt*>(n);
      return word(tok_string(x->tok)), group("lhs", x->lhs, true), group("rhs", x->rhs, true);
    }
    case NodeKind::kGoStmt:
      return kid(static_cast<const GoStmt*>(n)->call);
    case NodeKind::kDeferStmt:
      return kid(static_cast<const DeferStmt*>(n)->call);
    case NodeKind::kReturnStmt:
      return kids(static_cast<const ReturnStmt*>(n)->results);
    case NodeKind::kBranchStmt: {
      const auto* x = static_cast<const BranchStmt*>(n);
      return word(tok_string(x->tok)), kid(x->label);
    }
    case NodeKind::kBlockStmt:
      return kids(static_cast<const BlockStmt*>(n)->list);
    default:
      return control_stmt(n);
  }
}

void Builder::control_stmt(const Node* n) {
  switch (n->kind) {
    case NodeKind::kIfStmt: {
      const auto* x = static_cast<const IfStmt*>(n);
      return kid(x->init, "init"), kid(x->cond), kid(x->body), kid(x->else_stmt, "else");
    }
    case NodeKind::kCaseClause: {
      const auto* x = static_cast<const CaseClause*>(n);
      x->is_default ? word("default") : group("list", x->list, true);
      return kids(x->body);
    }
    case NodeKind::kSwitchStmt: {
      const auto* x = static_cast<const SwitchStmt*>(n);
      return kid(x->init, "init"), kid(x->tag, "tag"), kid(x->body);
    }
    case NodeKind::kTypeSwitchStmt: {
      const auto* x = static_cast<const TypeSwitchStmt*>(n);
      return kid(x->init, "init"), kid(x->assign), kid(x->body);
    }
    case NodeKind::kCommClause: {
      const auto* x = static_cast<const CommClause*>(n);
      x->comm != nullptr ? kid(x->comm) : word("default");
      return kids(x->body);
    }
    case NodeKind::kSelectStmt:
      return kid(static_cast<const SelectStmt*>(n)->body);
    case NodeKind::kForStmt: {
      const auto* x = static_cast<const ForStmt*>(n);
      return kid(x->init, "init"), kid(x->cond, "cond"), kid(x->post, "post"), kid(x->body);
    }
    case NodeKind::kRangeStmt: {
      const auto* x = static_cast<const RangeStmt*>(n);
      if (x->tok != Tok::kIllegal) word(tok_string(x->tok));
      return kid(x->key, "key"), kid(x->value, "value"), kid(x->x), kid(x->body);
    }
    default:
      return;
  }
}

void Builder::other(const Node* n) {
  switch (n->kind) {
    case NodeKind::kImportSpec: {
      const auto* x = static_cast<const ImportSpec*>(n);
      return kid(x->doc, "doc"), kid(x->name, "name"), kid(x->path), kid(x->comment, "comment");
    }
    case NodeKind::kValueSpec: {
      const auto* x = static_cast<const ValueSpec*>(n);
      return kid(x->doc, "doc"), group("names", x->names), kid(x->type, "type"),
             group("values", x->values), kid(x->comment, "comment");
    }
    case NodeKind::kTypeSpec: {
      const auto* x = static_cast<const TypeSpec*>(n);
      kid(x->doc, "doc"), kid(x->name), kid(x->type_params, "tparams");
      if (x->assign != kNoPos) word("=");
      return kid(x->type), kid(x->comment, "comment");
    }
    case NodeKind::kGenDecl: {
      const auto* x = static_cast<const GenDecl*>(n);
      return word(tok_string(x->tok)), kid(x->doc, "doc"), kids(x->specs);
    }
    case NodeKind::kFuncDecl: {
      const auto* x = static_cast<const FuncDecl*>(n);
      return kid(x->doc, "doc"), kid(x->recv, "recv"), kid(x->name), kid(x->type), kid(x->body);
    }
    case NodeKind::kField: {
      const auto* x = static_cast<const Field*>(n);
      return kid(x->doc, "doc"), group("names", x->names), kid(x->type), kid(x->tag, "tag"),
             kid(x->comment, "comment");
    }
    case NodeKind::kFieldList:
      return kids(static_cast<const FieldList*>(n)->list);
    case NodeKind::kCommentGroup:
      return kids(static_cast<const CommentGroup*>(n)->list);
    default:
      return;
  }
}

// Length of pool[i] on one line, or more than `budget` (then the exact value does not matter).
// The recursion is shallow: each level adds at least two characters to the budget spent.
size_t flat_size(const std::vector<Sx>& pool, uint32_t i, size_t budget) {
  const Sx& s = pool[i];
  size_t n = s.label.size() + s.head.size() + (s.atom ? 0 : 2);
  for (uint32_t k : s.kids) {
    if (n > budget) break;
    n += 1 + flat_size(pool, k, budget - n);
  }
  return n;
}

// Renders pool[root]: a node goes on one line if it fits in kWidth, else one kid per line.
std::string render(const std::vector<Sx>& pool, uint32_t root, bool one_line) {
  struct Frame {
    uint32_t sx;
    size_t indent;
    size_t next = 0;
    bool one_line = false;
  };
  std::string out;
  std::vector<Frame> stack;
  auto enter = [&](uint32_t i, size_t indent) {
    const Sx& s = pool[i];
    out += s.label;
    if (s.atom) {
      out += s.head;
      return;
    }
    out += '(';
    out += s.head;
    const size_t budget = kWidth > indent ? kWidth - indent : 0;
    stack.push_back(Frame{i, indent, 0, one_line || flat_size(pool, i, budget) <= budget});
  };
  enter(root, 0);
  while (!stack.empty()) {
    Frame& f = stack.back();
    const Sx& s = pool[f.sx];
    if (f.next == s.kids.size()) {
      out += ')';
      stack.pop_back();
      continue;
    }
    const uint32_t k = s.kids[f.next++];
    const size_t indent = f.indent + 2;
    if (f.one_line) {
      out += ' ';
    } else {
      out += '\n';
      out.append(indent, ' ');
    }
    enter(k, indent);  // may grow the stack: f is not used after this
  }
  return out;
}

}  // namespace

std::string ast_dump(const Node* node, DumpOptions options) {
  Builder b(options);
  const uint32_t root = b.build(node);
  return render(b.pool(), root, options.one_line);
}

std::string ast_dump(const File& file, DumpOptions options) {
  Builder b(options);
  std::vector<uint32_t> kids;
  if (options.comments && file.doc != nullptr) kids.push_back(b.build(file.doc, "doc"));
  kids.push_back(b.build(file.name));
  for (const Decl* d : file.decls) kids.push_back(b.build(d));
  const uint32_t root = b.add_list("File", std::move(kids));
  return render(b.pool(), root, options.one_line) + '\n';
}

}  // namespace goinstr::gosrc
