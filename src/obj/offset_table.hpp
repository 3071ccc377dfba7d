// SPDX-License-Identifier: Apache-2.0
// Struct offsets for binaries without DWARF (-w), generated from real builds by
// tools/gen_offsets.sh and compiled into goinstr (offsets_data.cpp.in), so nothing is read from
// disk at run time. Two tables:
//  - data/offsets/offsets.json, standard-library types keyed by Go minor version:
//    {"go1.26": {"net/http.Request": {...}}};
//  - data/offsets/modules.json, third-party module types keyed by module path and version:
//    {"google.golang.org/grpc": {"v1.70.0": {"google.golang.org/grpc.csAttempt": {...}}}}.
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "common/semver.hpp"
#include "obj/go_binary.hpp"

namespace goinstr::obj {

struct GoMinor {
  int major = 0;
  int minor = 0;
  auto operator<=>(const GoMinor&) const = default;
};

// "go1.25.3", "go1.26rc1", "devel go1.27-abcdef" -> {1, 25} etc.
std::optional<GoMinor> parse_go_minor(std::string_view version);

// Versions the table has, oldest first ("go1.19", ...).
std::vector<std::string> table_versions();

// Exact minor version, else the nearest lower one (said in detail: "table go1.26 (nearest to
// go1.27.1)"). A type or field the table lacks for that version is an error; callers treat it as
// "field absent" for optional fields.
Result<FieldOffset> table_field_offset(std::string_view go_version, std::string_view type,
                                       std::string_view field);

using goinstr::parse_semver;
using goinstr::SemVer;

// Module paths the module table covers, sorted.
std::vector<std::string> module_table_modules();

// Versions the module table has for `module`, oldest first (semantic-version order); empty for a
// module it does not cover.
std::vector<std::string> module_table_versions(std::string_view module);

// The module table a type belongs to: the longest covered module path that is its package path
// or a prefix of it ("google.golang.org/grpc/internal/transport.Stream" -> google.golang.org/grpc),
// else the first module with an entry that records the type (genproto's rpc status.Status is
// recorded in grpc's entries, as built with the genproto each grpc version selects). nullopt for
// standard-library and unknown types.
std::optional<std::string> module_table_for_type(std::string_view type);

// The version of `module` in the binary: a dependency, or the main module itself.
std::optional<std::string> module_version(const BuildInfo& info, std::string_view module);

// The exact module version, else the nearest lower one ("table google.golang.org/grpc v1.70.0
// (nearest to v1.70.1)"). Errors like table_field_offset, and for a version older than every
// entry or one that is not a semantic version.
Result<FieldOffset> module_table_field_offset(std::string_view module, std::string_view version,
                                              std::string_view type, std::string_view field);
// Same, with the version of `module` taken from the binary's build info; a binary without the
// module is an error naming it.
Result<FieldOffset> module_table_field_offset(const BuildInfo& info, std::string_view module,
                                              std::string_view type, std::string_view field);

}  // namespace goinstr::obj
