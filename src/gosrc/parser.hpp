// SPDX-License-Identifier: Apache-2.0
// Go source files to syntax trees (see ast.hpp). A hand-written recursive-descent parser that
// follows go/parser's grammar decisions, so it accepts what go/parser accepts (and methods with
// type parameters, which Go 1.27 allows); it stops at the first error, reported as go/parser
// would ("file.go:12:7: expected ';', found 'x'").
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "gosrc/arena.hpp"
#include "gosrc/ast.hpp"
#include "gosrc/line_table.hpp"

namespace goinstr::gosrc {

// One parsed file. Owns its source text and every node; moving a File keeps node pointers and
// string_views valid (the source and the arena blocks stay where they are).
struct File {
  std::string filename;
  std::unique_ptr<const std::string> source_text;  // heap-held: nodes point into it
  LineTable lines;
  Arena arena;

  CommentGroup* doc = nullptr;  // the package doc comment
  Pos package = kNoPos;         // the `package` keyword
  Ident* name = nullptr;        // the package name
  List<Decl> decls;             // GenDecl and FuncDecl, in source order
  List<ImportSpec> imports;     // every import spec, from all import declarations
  List<CommentGroup> comments;  // every comment in the file, in source order

  std::string_view source() const { return *source_text; }
  LineCol position(Pos offset) const { return lines.at(offset); }
  // "file.go:12:7"
  std::string location(Pos offset) const;
  // The source text a node spans.
  std::string_view text(const Node& n) const { return source().substr(n.begin, n.end - n.begin); }
};

// Parses `source`. Errors read "<filename>:<line>:<col>: <message>" (byte columns).
Result<File> parse_source(std::string filename, std::string source);

// Reads and parses a file; the error for an unreadable file names the path and the OS reason.
Result<File> parse_file(const std::filesystem::path& path);

// The value of a string literal's source text (interpreted or raw), e.g. an import path or a
// struct tag; nullopt when `lit` is not a valid literal.
std::optional<std::string> unquote(std::string_view lit);

}  // namespace goinstr::gosrc
