// SPDX-License-Identifier: Apache-2.0
// The Go syntax tree, modelled on go/ast so that code written against go/ast translates directly:
// the same node kinds, the same fields, the same rules for what a node spans. Differences:
//   - every node carries [begin, end) byte offsets into the source instead of token.Pos;
//   - IndexExpr and IndexListExpr are one node (IndexExpr with 1..n indices);
//   - names and literals are string_views into File::source(); lists are spans in the File's
//     arena. Nodes are plain structs, valid as long as their File.
// Optional children are nullptr; optional positions are kNoPos.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "gosrc/token.hpp"

namespace goinstr::gosrc {

enum class NodeKind : uint8_t {
  // expressions
  kIdent,
  kBasicLit,
  kEllipsis,
  kFuncLit,
  kCompositeLit,
  kParenExpr,
  kSelectorExpr,
  kIndexExpr,
  kSliceExpr,
  kTypeAssertExpr,
  kCallExpr,
  kStarExpr,
  kUnaryExpr,
  kBinaryExpr,
  kKeyValueExpr,
  // types (also expressions)
  kArrayType,
  kStructType,
  kFuncType,
  kInterfaceType,
  kMapType,
  kChanType,
  // statements
  kDeclStmt,
  kEmptyStmt,
  kLabeledStmt,
  kExprStmt,
  kSendStmt,
  kIncDecStmt,
  kAssignStmt,
  kGoStmt,
  kDeferStmt,
  kReturnStmt,
  kBranchStmt,
  kBlockStmt,
  kIfStmt,
  kCaseClause,
  kSwitchStmt,
  kTypeSwitchStmt,
  kCommClause,
  kSelectStmt,
  kForStmt,
  kRangeStmt,
  // specs
  kImportSpec,
  kValueSpec,
  kTypeSpec,
  // declarations
  kGenDecl,
  kFuncDecl,
  // the rest
  kField,
  kFieldList,
  kComment,
  kCommentGroup,
};

std::string_view kind_name(NodeKind k);  // "CallExpr"

struct Node {
  NodeKind kind{};
  Pos begin = 0;  // first byte
  Pos end = 0;    // one past the last byte
};

// Categories, for signatures; the kind says which concrete struct a node is.
struct Expr : Node {};
struct Stmt : Node {};
struct Spec : Node {};
struct Decl : Node {};

inline bool is_expr(NodeKind k) {
  return k <= NodeKind::kChanType;
}
inline bool is_stmt(NodeKind k) {
  return k >= NodeKind::kDeclStmt && k <= NodeKind::kRangeStmt;
}

// dyn_cast<CallExpr>(node): the node as T, or nullptr when it is of another kind (or null).
template <typename T>
T* dyn_cast(Node* n) {
  return n != nullptr && n->kind == T::kKind ? static_cast<T*>(n) : nullptr;
}
template <typename T>
const T* dyn_cast(const Node* n) {
  return n != nullptr && n->kind == T::kKind ? static_cast<const T*>(n) : nullptr;
}

struct Comment;
struct CommentGroup;
struct BlockStmt;
struct FieldList;
struct FuncType;
struct Ident;
struct BasicLit;
struct CallExpr;
struct GenDecl;

template <typename T>
using List = std::span<T* const>;

// ---- comments --------------------------------------------------------------------------------

struct Comment : Node {
  static constexpr NodeKind kKind = NodeKind::kComment;
  std::string_view text;  // "// ..." or "/* ... */", as in the source
  // //go:..., //line ..., /*line ...*/, //export ..., //extern ...: compiler directives, which a
  // rewriter must keep attached to the declaration they precede.
  bool is_directive() const;
};

// Comments with no token and no blank line between them (go/ast.CommentGroup).
struct CommentGroup : Node {
  static constexpr NodeKind kKind = NodeKind::kCommentGroup;
  List<Comment> list;
};

// ---- expressions -----------------------------------------------------------------------------

struct Ident : Expr {
  static constexpr NodeKind kKind = NodeKind::kIdent;
  std::string_view name;
};

enum class LitKind : uint8_t { kInt, kFloat, kImag, kChar, kString };

struct BasicLit : Expr {
  static constexpr NodeKind kKind = NodeKind::kBasicLit;
  LitKind lit_kind{};
  std::string_view value;  // source text, quotes and all: "\"fmt\"", "0x1p-2", "'a'"
};

// `...T` in a parameter list, or the `...` of `[...]T` (elt == nullptr).
struct Ellipsis : Expr {
  static constexpr NodeKind kKind = NodeKind::kEllipsis;
  Expr* elt = nullptr;
};

struct FuncLit : Expr {
  static constexpr NodeKind kKind = NodeKind::kFuncLit;
  FuncType* type = nullptr;
  BlockStmt* body = nullptr;
};

struct CompositeLit : Expr {
  static constexpr NodeKind kKind = NodeKind::kCompositeLit;
  Expr* type = nullptr;  // nullptr for an elided type: the inner {..} of [][]int{{1}}
  Pos lbrace = kNoPos;
  List<Expr> elts;  // KeyValueExpr for keyed elements
  Pos rbrace = kNoPos;
};

struct ParenExpr : Expr {
  static constexpr NodeKind kKind = NodeKind::kParenExpr;
  Expr* x = nullptr;
};

struct SelectorExpr : Expr {
  static constexpr NodeKind kKind = NodeKind::kSelectorExpr;
  Expr* x = nullptr;
  Ident* sel = nullptr;
};

// x[i], or a generic instantiation x[T1, T2] (several indices).
struct IndexExpr : Expr {
  static constexpr NodeKind kKind = NodeKind::kIndexExpr;
  Expr* x = nullptr;
  Pos lbrack = kNoPos;
  List<Expr> indices;
  Pos rbrack = kNoPos;
};

struct SliceExpr : Expr {
  static constexpr NodeKind kKind = NodeKind::kSliceExpr;
  Expr* x = nullptr;
  Pos lbrack = kNoPos;
  Expr* low = nullptr;
  Expr* high = nullptr;
  Expr* max = nullptr;
  bool slice3 = false;
  Pos rbrack = kNoPos;
};

struct TypeAssertExpr : Expr {
  static constexpr NodeKind kKind = NodeKind::kTypeAssertExpr;
  Expr* x = nullptr;
  Pos lparen = kNoPos;
  Expr* type = nullptr;  // nullptr for x.(type) in a type switch
  Pos rparen = kNoPos;
};

struct CallExpr : Expr {
  static constexpr NodeKind kKind = NodeKind::kCallExpr;
  Expr* fun = nullptr;
  Pos lparen = kNoPos;
  List<Expr> args;
  Pos ellipsis = kNoPos;  // f(xs...)
  Pos rparen = kNoPos;
};

// *x: a dereference or a pointer type.
struct StarExpr : Expr {
  static constexpr NodeKind kKind = NodeKind::kStarExpr;
  Expr* x = nullptr;
};

// + - ! ^ & <- ~ applied to x (the operator is at begin).
struct UnaryExpr : Expr {
  static constexpr NodeKind kKind = NodeKind::kUnaryExpr;
  Tok op{};
  Expr* x = nullptr;
};

struct BinaryExpr : Expr {
  static constexpr NodeKind kKind = NodeKind::kBinaryExpr;
  Expr* x = nullptr;
  Tok op{};
  Pos op_pos = kNoPos;
  Expr* y = nullptr;
};

struct KeyValueExpr : Expr {
  static constexpr NodeKind kKind = NodeKind::kKeyValueExpr;
  Expr* key = nullptr;
  Pos colon = kNoPos;
  Expr* value = nullptr;
};

// ---- types -----------------------------------------------------------------------------------

// [len]elt; len == nullptr for a slice, an Ellipsis for [...]elt.
struct ArrayType : Expr {
  static constexpr NodeKind kKind = NodeKind::kArrayType;
  Expr* len = nullptr;
  Expr* elt = nullptr;
};

struct StructType : Expr {
  static constexpr NodeKind kKind = NodeKind::kStructType;
  FieldList* fields = nullptr;
};

struct FuncType : Expr {
  static constexpr NodeKind kKind = NodeKind::kFuncType;
  Pos func = kNoPos;                 // kNoPos for an interface method
  FieldList* type_params = nullptr;  // nullptr when there are none
  FieldList* params = nullptr;
  FieldList* results = nullptr;  // nullptr when there are none
};

// Methods are Fields with one name and a FuncType; embedded elements (types, unions, ~T) are
// Fields without names.
struct InterfaceType : Expr {
  static constexpr NodeKind kKind = NodeKind::kInterfaceType;
  FieldList* methods = nullptr;
};

struct MapType : Expr {
  static constexpr NodeKind kKind = NodeKind::kMapType;
  Expr* key = nullptr;
  Expr* value = nullptr;
};

enum class ChanDir : uint8_t { kBoth, kSend, kRecv };

struct ChanType : Expr {
  static constexpr NodeKind kKind = NodeKind::kChanType;
  ChanDir dir = ChanDir::kBoth;
  Pos arrow = kNoPos;
  Expr* value = nullptr;
};

// ---- statements ------------------------------------------------------------------------------

struct DeclStmt : Stmt {
  static constexpr NodeKind kKind = NodeKind::kDeclStmt;
  GenDecl* decl = nullptr;
};

// An explicit ';', or the implicit empty statement after a label at the end of a block.
struct EmptyStmt : Stmt {
  static constexpr NodeKind kKind = NodeKind::kEmptyStmt;
  bool implicit = false;
};

struct LabeledStmt : Stmt {
  static constexpr NodeKind kKind = NodeKind::kLabeledStmt;
  Ident* label = nullptr;
  Pos colon = kNoPos;
  Stmt* stmt = nullptr;
};

struct ExprStmt : Stmt {
  static constexpr NodeKind kKind = NodeKind::kExprStmt;
  Expr* x = nullptr;
};

struct SendStmt : Stmt {
  static constexpr NodeKind kKind = NodeKind::kSendStmt;
  Expr* chan = nullptr;
  Pos arrow = kNoPos;
  Expr* value = nullptr;
};

struct IncDecStmt : Stmt {
  static constexpr NodeKind kKind = NodeKind::kIncDecStmt;
  Expr* x = nullptr;
  Tok tok{};  // kInc or kDec
  Pos tok_pos = kNoPos;
};

struct AssignStmt : Stmt {
  static constexpr NodeKind kKind = NodeKind::kAssignStmt;
  List<Expr> lhs;
  Tok tok{};  // kAssign, kDefine or an op-assign
  Pos tok_pos = kNoPos;
  List<Expr> rhs;
};

struct GoStmt : Stmt {
  static constexpr NodeKind kKind = NodeKind::kGoStmt;
  CallExpr* call = nullptr;
};

struct DeferStmt : Stmt {
  static constexpr NodeKind kKind = NodeKind::kDeferStmt;
  CallExpr* call = nullptr;
};

struct ReturnStmt : Stmt {
  static constexpr NodeKind kKind = NodeKind::kReturnStmt;
  List<Expr> results;
};

// break, continue, goto, fallthrough.
struct BranchStmt : Stmt {
  static constexpr NodeKind kKind = NodeKind::kBranchStmt;
  Tok tok{};
  Ident* label = nullptr;
};

struct BlockStmt : Stmt {
  static constexpr NodeKind kKind = NodeKind::kBlockStmt;
  Pos lbrace = kNoPos;
  List<Stmt> list;
  Pos rbrace = kNoPos;
};

struct IfStmt : Stmt {
  static constexpr NodeKind kKind = NodeKind::kIfStmt;
  Stmt* init = nullptr;
  Expr* cond = nullptr;
  BlockStmt* body = nullptr;
  Stmt* else_stmt = nullptr;  // an IfStmt or a BlockStmt
};

// `case list:` or `default:` (list empty, is_default) in a switch or type switch.
struct CaseClause : Stmt {
  static constexpr NodeKind kKind = NodeKind::kCaseClause;
  bool is_default = false;
  List<Expr> list;
  Pos colon = kNoPos;
  List<Stmt> body;
};

struct SwitchStmt : Stmt {
  static constexpr NodeKind kKind = NodeKind::kSwitchStmt;
  Stmt* init = nullptr;
  Expr* tag = nullptr;
  BlockStmt* body = nullptr;  // CaseClauses only
};

struct TypeSwitchStmt : Stmt {
  static constexpr NodeKind kKind = NodeKind::kTypeSwitchStmt;
  Stmt* init = nullptr;
  Stmt* assign = nullptr;  // x := y.(type) (AssignStmt) or y.(type) (ExprStmt)
  BlockStmt* body = nullptr;
};

// `case comm:` or `default:` (comm == nullptr) in a select.
struct CommClause : Stmt {
  static constexpr NodeKind kKind = NodeKind::kCommClause;
  Stmt* comm = nullptr;  // SendStmt, ExprStmt (<-c) or AssignStmt (v, ok := <-c)
  Pos colon = kNoPos;
  List<Stmt> body;
};

struct SelectStmt : Stmt {
  static constexpr NodeKind kKind = NodeKind::kSelectStmt;
  BlockStmt* body = nullptr;  // CommClauses only
};

struct ForStmt : Stmt {
  static constexpr NodeKind kKind = NodeKind::kForStmt;
  Stmt* init = nullptr;
  Expr* cond = nullptr;
  Stmt* post = nullptr;
  BlockStmt* body = nullptr;
};

// for key, value := range x {...}; also `for range x` (no key, tok kIllegal). x may be an
// integer (Go 1.22) or a function (Go 1.23): that is the type checker's business, not syntax.
struct RangeStmt : Stmt {
  static constexpr NodeKind kKind = NodeKind::kRangeStmt;
  Expr* key = nullptr;
  Expr* value = nullptr;
  Tok tok = Tok::kIllegal;  // kDefine, kAssign, or kIllegal when there is no key
  Pos tok_pos = kNoPos;
  Pos range = kNoPos;  // the `range` keyword
  Expr* x = nullptr;
  BlockStmt* body = nullptr;
};

// ---- specs and declarations ------------------------------------------------------------------

struct ImportSpec : Spec {
  static constexpr NodeKind kKind = NodeKind::kImportSpec;
  CommentGroup* doc = nullptr;
  Ident* name = nullptr;  // nullptr, or the local name ("_", "." or an identifier)
  BasicLit* path = nullptr;
  CommentGroup* comment = nullptr;  // trailing comment on the same line
};

// A const or var spec.
struct ValueSpec : Spec {
  static constexpr NodeKind kKind = NodeKind::kValueSpec;
  CommentGroup* doc = nullptr;
  List<Ident> names;
  Expr* type = nullptr;
  List<Expr> values;
  CommentGroup* comment = nullptr;
};

struct TypeSpec : Spec {
  static constexpr NodeKind kKind = NodeKind::kTypeSpec;
  CommentGroup* doc = nullptr;
  Ident* name = nullptr;
  FieldList* type_params = nullptr;
  Pos assign = kNoPos;  // the '=' of an alias
  Expr* type = nullptr;
  CommentGroup* comment = nullptr;
};

// import, const, type or var, grouped with ( ) or not.
struct GenDecl : Decl {
  static constexpr NodeKind kKind = NodeKind::kGenDecl;
  CommentGroup* doc = nullptr;
  Tok tok{};
  Pos lparen = kNoPos;
  List<Spec> specs;
  Pos rparen = kNoPos;
};

// A function or method. begin is the `func` keyword (the doc comment is not included).
struct FuncDecl : Decl {
  static constexpr NodeKind kKind = NodeKind::kFuncDecl;
  CommentGroup* doc = nullptr;
  FieldList* recv = nullptr;  // nullptr for a function
  Ident* name = nullptr;
  FuncType* type = nullptr;   // type params, params and results; type->func is the keyword
  BlockStmt* body = nullptr;  // nullptr for a declaration without body (assembly)
};

// ---- fields ----------------------------------------------------------------------------------

// A struct field, parameter, result, type parameter, interface method or embedded element.
struct Field : Node {
  static constexpr NodeKind kKind = NodeKind::kField;
  CommentGroup* doc = nullptr;
  List<Ident> names;  // empty for embedded fields and unnamed parameters
  Expr* type = nullptr;
  BasicLit* tag = nullptr;  // struct tag
  CommentGroup* comment = nullptr;
};

// ( ... ), [ ... ] for type parameters, { ... } for struct and interface bodies. A single
// unparenthesized result has opening == closing == kNoPos.
struct FieldList : Node {
  static constexpr NodeKind kKind = NodeKind::kFieldList;
  Pos opening = kNoPos;
  List<Field> list;
  Pos closing = kNoPos;
  size_t num_fields() const;  // counts names: (a, b int, string) has 3
};

}  // namespace goinstr::gosrc
