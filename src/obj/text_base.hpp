// SPDX-License-Identifier: Apache-2.0
// The address ftab entry offsets are relative to (moduledata.text). Go 1.18-1.25 store it in
// pcHeader.textStart; Go 1.26 zeroes that field, so we find runtime.firstmoduledata instead:
//   - by its symbol when .symtab is present;
//   - non-PIE stripped: the first word of moduledata is a pointer to .gopclntab, so scan .go.module
//     (its own section since Go 1.26), then .noptrdata (Go <= 1.25) and .data, for that value;
//   - PIE: pointers are 0 in the file and filled at load time by R_X86_64_RELATIVE relocations, so
//     the moduledata is the r_offset of the relocation whose addend is the .gopclntab address.
// Every candidate is validated (pcHeader/funcnametab pointers, text <= minpc == text + ftab[0]).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "obj/elf_file.hpp"
#include "obj/pclntab.hpp"
#include "obj/symbols.hpp"

namespace goinstr::obj {

// runtime.moduledata field offsets, checked against DWARF of Go 1.19, 1.26 and 1.27 (identical).
namespace moduledata {
inline constexpr uint64_t kPcHeader = 0;
inline constexpr uint64_t kFuncnametab = 8;
inline constexpr uint64_t kFtab = 128;
inline constexpr uint64_t kMinpc = 160;
inline constexpr uint64_t kText = 176;
}  // namespace moduledata

// R_X86_64_RELATIVE relocations (r_offset -> addend), sorted, from every SHT_RELA section. Go's
// internal linker names the section ".rela", the external one ".rela.dyn".
class Relocations {
 public:
  static Relocations load(const ElfFile& elf);
  std::optional<uint64_t> addend_at(uint64_t vaddr) const;
  std::vector<uint64_t> offsets_with_addend(uint64_t addend) const;
  bool empty() const { return entries_.empty(); }

 private:
  std::vector<std::pair<uint64_t, uint64_t>> entries_;
};

struct TextBase {
  uint64_t addr = 0;
  std::string source;  // "pcHeader.textStart", "runtime.firstmoduledata (...)", ".text section"
};

Result<TextBase> find_text_base(const ElfFile& elf, const Pclntab& pcln,
                                const std::optional<SymbolTable>& symtab);

}  // namespace goinstr::obj
