// SPDX-License-Identifier: Apache-2.0
// Struct offsets for binaries without DWARF (-w): data/offsets/offsets.json, generated from real
// builds by tools/gen_offsets.sh and compiled into goinstr (offsets_data.cpp.in), so nothing is
// read from disk at run time. Keyed by Go minor version: {"go1.26": {"net/http.Request": {...}}}.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
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

}  // namespace goinstr::obj
