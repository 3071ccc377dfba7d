// SPDX-License-Identifier: Apache-2.0
// Function symbols from .symtab. Go writes one STT_FUNC symbol per function with its real size,
// under the same name the runtime uses ("net/http.(*response).finishRequest"). Absent when the
// binary was linked with -s; then .gopclntab (pclntab.hpp) answers instead.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "obj/elf_file.hpp"
#include "obj/go_binary.hpp"

namespace goinstr::obj {

class SymbolTable {
 public:
  // nullopt when the file has no .symtab.
  static std::optional<SymbolTable> load(const ElfFile& elf);

  // Linear scan: a Go binary has ~10-30k symbols and callers look up a handful of hooks, so an
  // index would cost more to build than it saves.
  std::optional<GoFunction> find_function(std::string_view name) const;
  std::optional<uint64_t> find_object(std::string_view name) const;  // STT_OBJECT address
  size_t size() const { return syms_.size() / kSymSize; }
  // Every defined symbol of ELF type `type` (STT_FUNC, STT_OBJECT) whose name starts with prefix.
  std::vector<std::pair<std::string, uint64_t>> with_prefix(std::string_view prefix,
                                                            unsigned type) const;

 private:
  static constexpr size_t kSymSize = 24;  // sizeof(Elf64_Sym)
  std::optional<std::pair<uint64_t, uint64_t>> find(std::string_view name, unsigned type) const;

  Bytes syms_;
  Bytes strtab_;
};

}  // namespace goinstr::obj
