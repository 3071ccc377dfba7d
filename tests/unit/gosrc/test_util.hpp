// SPDX-License-Identifier: Apache-2.0
// Helpers shared by the gosrc tests.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "gosrc/parser.hpp"

namespace goinstr::gosrc::testing {

// Parses `src` as file "t.go"; fails the calling test (ADD_FAILURE) and returns nullopt on error.
std::optional<File> parse_ok(const std::string& src);
// The error message for a source that must not parse ("t.go:3:5: ..."), or "" if it parsed.
std::string parse_error(const std::string& src);
// ast_dump() of a parsed snippet, without the final newline; "ERROR: ..." when it does not parse.
std::string dump_of(const std::string& src, bool positions = false);
// The only statement of `body`, dumped: "package p; func f() { <body> }".
std::string dump_stmt(const std::string& body);
// The expression `expr`, dumped: "package p; var _ = <expr>".
std::string dump_expr(const std::string& expr);

struct Goroot {
  std::string version;  // first line of $GOROOT/VERSION, e.g. "go1.26.8"
  std::filesystem::path root;
  bool required = false;  // the toolchain `go` resolves to must be there
};

// Every distinct GOROOT on this machine: $GOINSTR_TEST_GOROOT, the `go` on PATH (or
// /usr/local/go/bin/go), Go 1.19 at /usr/lib/go-1.19, and go1.27.3 through GOTOOLCHAIN.
std::vector<Goroot> find_goroots(std::string& notes);

// Every .go file under dir, sorted, skipping `testdata` directories.
std::vector<std::filesystem::path> go_files(const std::filesystem::path& dir);

}  // namespace goinstr::gosrc::testing
