// SPDX-License-Identifier: Apache-2.0
// Tree traversal, go/ast.Inspect style: how a rewriter finds calls, selectors, returns, ...
#pragma once

#include <functional>

#include "gosrc/ast.hpp"

namespace goinstr::gosrc {

struct File;

// Calls f for each non-null direct child of n, in source order (doc comments first, as go/ast).
void for_each_child(Node* n, const std::function<void(Node*)>& f);

// Pre-order: visit(n); if it returns true, walks each child in turn. Null n is ignored.
// Iterative, so any tree depth is fine (visit itself should not recurse on the tree either).
void walk(Node* n, const std::function<bool(Node*)>& visit);
// Walks the package doc, the package name and every declaration.
void walk(const File& file, const std::function<bool(Node*)>& visit);

}  // namespace goinstr::gosrc
