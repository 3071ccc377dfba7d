// SPDX-License-Identifier: Apache-2.0
// Struct member offsets from the binary's own DWARF, through libdw. Go compresses its debug
// sections: SHF_COMPRESSED in every version we test (1.19, 1.26, 1.27), .zdebug_* in older linkers;
// libdw inflates both when it opens them.
// Go names types by package path: "net/http.Request", "runtime.g", "net/url.URL".
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/result.hpp"

typedef struct Elf Elf;      // NOLINT: libelf's spelling
typedef struct Dwarf Dwarf;  // NOLINT: libdw's spelling

namespace goinstr::obj {

class DwarfOffsets {
 public:
  // Fails when the file has no (readable) DWARF.
  static Result<DwarfOffsets> open(Elf* elf);
  DwarfOffsets(DwarfOffsets&& other) noexcept;
  DwarfOffsets& operator=(DwarfOffsets&& other) noexcept;
  ~DwarfOffsets();

  // Errors distinguish "no such type" from "type has no such field", so that callers can tell a
  // field missing in this Go version (optional) from a broken binary.
  Result<uint64_t> member_offset(std::string_view type, std::string_view field);
  bool has_type(std::string_view type);

 private:
  explicit DwarfOffsets(Dwarf* dw) : dw_(dw) {}
  void index_types();

  Dwarf* dw_ = nullptr;
  bool indexed_ = false;
  // Struct type name -> DIE offset, built once on first use by walking every unit's top level.
  std::unordered_map<std::string, uint64_t> structs_;
};

}  // namespace goinstr::obj
