// SPDX-License-Identifier: Apache-2.0
// The rewriting engine: applies rules to one parsed Go file by inserting text, never by
// re-printing the tree, so everything a rule does not touch stays byte for byte as written.
// Inserted code stays on the line where it goes, and a /*line*/ directive after each insertion
// (plus //line at the top) makes compiler errors, panics and debuggers show the user's original
// file, line and column.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "gosrc/parser.hpp"
#include "weave/rules.hpp"

namespace goinstr::weave {

struct WovenFile {
  std::string text;
  std::vector<std::string> rule_ids;  // the rules that matched, once each, in rule order
};

// Weaves `file` with `rules` (already chosen for its package). `original_path` is the path the
// line directives name: the file's real path. nullopt when no rule matches anything in the file.
Result<std::optional<WovenFile>> weave_file(const gosrc::File& file, std::string_view original_path,
                                            std::span<const Rule* const> rules);

// The extra file holding the rules' package-level declarations (hook variables), or nullopt
// when none of `rules` declares anything.
std::optional<std::string> declarations_file(std::string_view package_name,
                                             std::span<const Rule* const> rules);

// "pkg.Func", "pkg.(*Type).Method" or "pkg.Type.Method": how Go names the function in stack
// traces, and the span name //goinstr:span gives.
std::string qualified_name(const gosrc::File& file, const gosrc::FuncDecl& fn);

}  // namespace goinstr::weave
