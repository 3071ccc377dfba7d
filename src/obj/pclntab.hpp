// SPDX-License-Identifier: Apache-2.0
// The Go 1.18+ .gopclntab: the runtime's own function table, present even in binaries linked with
// -s -w, so function lookup works on stripped binaries.
//
// Layout (runtime/symtab.go): a pcHeader {magic u32; pad u8 x2; minLC u8; ptrSize u8; nfunc int;
// nfiles uint; textStart uintptr (unused and 0 since Go 1.26); funcnameOffset, cuOffset,
// filetabOffset, pctabOffset, pclnOffset uintptr}, offsets relative to the header. The function
// table (ftab) opens pclntable: nfunc+1 pairs {entryoff u32 (from the text base), funcoff u32},
// sorted by entry, the last being the end-of-text sentinel. Each funcoff points at a _func whose
// second word is the name's offset in funcnametab.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "common/result.hpp"
#include "obj/bytes.hpp"
#include "obj/go_binary.hpp"

namespace goinstr::obj {

inline constexpr uint32_t kPclnMagic118 = 0xfffffff0;  // Go 1.18, 1.19
inline constexpr uint32_t kPclnMagic120 = 0xfffffff1;  // Go 1.20 and later

class Pclntab {
 public:
  // `data` is the section's bytes, `addr` its virtual address.
  static Result<Pclntab> parse(Bytes data, uint64_t addr);

  uint64_t addr() const { return addr_; }
  uint32_t magic() const { return magic_; }
  uint64_t nfunc() const { return nfunc_; }
  uint64_t funcname_offset() const { return funcname_off_; }
  // Address of pcHeader.textStart, which the caller resolves (it needs relocations for PIE).
  uint64_t text_start_field_addr() const { return addr_ + 24; }

  uint32_t entry_off(uint64_t i) const;  // i in [0, nfunc]; nfunc is the end sentinel
  std::optional<std::string_view> name(uint64_t i) const;

  // Entry and end (the next function's entry) of the function called `name`.
  std::optional<GoFunction> find_function(std::string_view name, uint64_t text_base) const;
  // End of the function whose entry is `entry` (for .symtab symbols without a size).
  std::optional<uint64_t> function_end(uint64_t entry, uint64_t text_base) const;

 private:
  Bytes data_;
  uint64_t addr_ = 0;
  uint32_t magic_ = 0;
  uint64_t nfunc_ = 0;
  uint64_t funcname_off_ = 0;
  Bytes funcnames_;
  Bytes pcln_;  // starts with ftab
};

}  // namespace goinstr::obj
