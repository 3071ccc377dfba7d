// SPDX-License-Identifier: Apache-2.0
// One struct field offset for a probe, from DWARF or the offset table, with a note of its source.
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "obj/go_binary.hpp"

namespace goinstr::agent {

inline Result<uint64_t> probe_field(const obj::GoBinary& binary, std::string_view type,
                                    std::string_view name, std::vector<std::string>* notes) {
  auto off = binary.field_offset(type, name);
  if (!off) return std::unexpected(off.error().context(fmt::format("offset of {}.{}", type, name)));
  if (notes) notes->push_back(fmt::format("{}.{} = {} ({})", type, name, off->offset, off->detail));
  return off->offset;
}

}  // namespace goinstr::agent
