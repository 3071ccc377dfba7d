// SPDX-License-Identifier: Apache-2.0
#include "obj/dwarf_offsets.hpp"

#include <dwarf.h>
#include <elfutils/libdw.h>

#include <utility>

namespace goinstr::obj {

Result<DwarfOffsets> DwarfOffsets::open(Elf* elf) {
  Dwarf* dw = dwarf_begin_elf(elf, DWARF_C_READ, nullptr);
  if (dw == nullptr) return fail(std::string("DWARF: ") + dwarf_errmsg(-1));
  return DwarfOffsets(dw);
}

DwarfOffsets::DwarfOffsets(DwarfOffsets&& other) noexcept {
  *this = std::move(other);
}

DwarfOffsets& DwarfOffsets::operator=(DwarfOffsets&& other) noexcept {
  if (this == &other) return *this;
  if (dw_ != nullptr) dwarf_end(dw_);
  dw_ = std::exchange(other.dw_, nullptr);
  indexed_ = other.indexed_;
  structs_ = std::move(other.structs_);
  return *this;
}

DwarfOffsets::~DwarfOffsets() {
  if (dw_ != nullptr) dwarf_end(dw_);
}

// Go puts every type at the top level of some unit, so a sibling walk (no recursion) finds them.
// dwarf_get_units handles DWARF 4 (Go <= 1.24) and 5 (Go 1.25+) alike.
void DwarfOffsets::index_types() {
  indexed_ = true;
  Dwarf_CU* cu = nullptr;
  Dwarf_Die cudie, die;
  while (dwarf_get_units(dw_, cu, &cu, nullptr, nullptr, &cudie, nullptr) == 0) {
    if (dwarf_child(&cudie, &die) != 0) continue;
    do {
      if (dwarf_tag(&die) != DW_TAG_structure_type) continue;
      const char* name = dwarf_diename(&die);
      if (name != nullptr) structs_.try_emplace(name, dwarf_dieoffset(&die));
    } while (dwarf_siblingof(&die, &die) == 0);
  }
}

bool DwarfOffsets::has_type(std::string_view type) {
  if (!indexed_) index_types();
  return structs_.contains(std::string(type));
}

Result<uint64_t> DwarfOffsets::member_offset(std::string_view type, std::string_view field) {
  if (!indexed_) index_types();
  auto it = structs_.find(std::string(type));
  if (it == structs_.end()) return fail("DWARF: no struct type " + std::string(type));
  Dwarf_Die st, member;
  if (dwarf_offdie(dw_, it->second, &st) == nullptr || dwarf_child(&st, &member) != 0) {
    return fail("DWARF: cannot read members of " + std::string(type));
  }
  do {
    if (dwarf_tag(&member) != DW_TAG_member) continue;
    const char* name = dwarf_diename(&member);
    if (name == nullptr || field != name) continue;
    Dwarf_Attribute attr;
    Dwarf_Word off = 0;
    if (dwarf_attr(&member, DW_AT_data_member_location, &attr) == nullptr ||
        dwarf_formudata(&attr, &off) != 0) {
      return fail("DWARF: " + std::string(type) + "." + std::string(field) +
                  " has no constant offset");
    }
    return off;
  } while (dwarf_siblingof(&member, &member) == 0);
  return fail("DWARF: " + std::string(type) + " has no field " + std::string(field));
}

}  // namespace goinstr::obj
