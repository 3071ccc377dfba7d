// SPDX-License-Identifier: Apache-2.0
#include "obj/symbols.hpp"

#include <elf.h>

#include <cstring>

namespace goinstr::obj {

std::optional<SymbolTable> SymbolTable::load(const ElfFile& elf) {
  const Section* symtab = elf.section(".symtab");
  if (symtab == nullptr || symtab->type != SHT_SYMTAB) return std::nullopt;
  if (symtab->link == 0 || symtab->link > elf.sections().size()) return std::nullopt;
  // Section indexes count the null section 0, which ElfFile::sections() leaves out.
  const Section& strtab = elf.sections()[symtab->link - 1];
  SymbolTable t;
  t.syms_ = elf.section_bytes(*symtab);
  t.strtab_ = elf.section_bytes(strtab);
  if (t.syms_.empty() || t.strtab_.empty()) return std::nullopt;
  return t;
}

std::optional<std::pair<uint64_t, uint64_t>> SymbolTable::find(std::string_view name,
                                                               unsigned type) const {
  for (size_t off = 0; off + kSymSize <= syms_.size(); off += kSymSize) {
    Elf64_Sym sym;
    std::memcpy(&sym, syms_.data() + off, sizeof sym);
    if (ELF64_ST_TYPE(sym.st_info) != type || sym.st_shndx == SHN_UNDEF) continue;
    auto sym_name = read_cstr(strtab_, sym.st_name);
    if (sym_name && *sym_name == name) return std::pair{sym.st_value, sym.st_size};
  }
  return std::nullopt;
}

std::optional<GoFunction> SymbolTable::find_function(std::string_view name) const {
  auto hit = find(name, STT_FUNC);
  if (!hit) return std::nullopt;
  return GoFunction{std::string(name), hit->first, hit->first + hit->second};
}

std::vector<std::pair<std::string, uint64_t>> SymbolTable::with_prefix(std::string_view prefix,
                                                                       unsigned type) const {
  std::vector<std::pair<std::string, uint64_t>> out;
  for (size_t off = 0; off + kSymSize <= syms_.size(); off += kSymSize) {
    Elf64_Sym sym;
    std::memcpy(&sym, syms_.data() + off, sizeof sym);
    if (ELF64_ST_TYPE(sym.st_info) != type || sym.st_shndx == SHN_UNDEF) continue;
    auto sym_name = read_cstr(strtab_, sym.st_name);
    if (sym_name && sym_name->starts_with(prefix)) out.emplace_back(*sym_name, sym.st_value);
  }
  return out;
}

std::optional<uint64_t> SymbolTable::find_object(std::string_view name) const {
  auto hit = find(name, STT_OBJECT);
  if (!hit) return std::nullopt;
  return hit->first;
}

}  // namespace goinstr::obj
