// SPDX-License-Identifier: Apache-2.0
// What the go command says about a build's modules, read as data: `go list -m all` (the build
// list, replacements included), `go mod graph` (who requires what) and the `go` line. An
// instrumented build must select exactly the plain build's versions and keep its language
// version; these functions compare the two and, when they differ, say which module changed,
// from which version to which, and which requirement raised it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace goinstr::gobuild {

// One line of `go list -m all`.
struct ListedModule {
  std::string path;
  std::string version;  // empty for a main module
  std::string replace;  // what follows "=> ": a directory, or "path version"; empty if none
  bool operator==(const ListedModule&) const = default;
  // "v1.2.3", "v1.2.3 => ../fork", "(main module)".
  std::string describe() const;
};

// The parts of a build that decide what program it compiles: the language version and the
// version of every module it selects.
struct BuildIdentity {
  std::string go_line;  // "1.22", "1.21.3"
  std::vector<ListedModule> modules;
};

// One edge of `go mod graph`: `from` requires `to`. Each is "path@version", a main module's bare
// path, or "go@1.22" / "toolchain@go1.22.1".
struct Requirement {
  std::string from;
  std::string to;
};

std::vector<ListedModule> parse_module_list(std::string_view go_list_output);

std::vector<Requirement> parse_module_graph(std::string_view go_mod_graph_output);

const ListedModule* find_module(const std::vector<ListedModule>& modules, std::string_view path);

// The version on a go.mod's or go.work's `go` line ("" when it has none).
std::string go_directive(std::string_view mod_text);

// Whether `go_line` ("1.21", "1.21.3", "1.22rc1") is at least major.minor; false for "".
bool go_line_at_least(std::string_view go_line, int major, int minor);

// True when `woven` keeps the go line and every module of `plain` at the same version and
// replacement (it may add modules).
bool same_identity(const BuildIdentity& plain, const BuildIdentity& woven);

// The error text for two identities that are not the same: each changed module with both
// versions and the requirement edges of `woven_graph` that select the new one.
std::string describe_identity_change(const BuildIdentity& plain, const BuildIdentity& woven,
                                     const std::vector<Requirement>& woven_graph);

}  // namespace goinstr::gobuild
