// SPDX-License-Identifier: Apache-2.0
#include "obj/text_base.hpp"

#include <elf.h>

#include <algorithm>
#include <cstring>

namespace goinstr::obj {
namespace {

// A pointer-sized word as the running program sees it: the relocation's addend when the loader
// writes one there (PIE), else the bytes in the file.
std::optional<uint64_t> read_ptr(const ElfFile& elf, const Relocations& relocs, uint64_t vaddr) {
  if (auto a = relocs.addend_at(vaddr)) return a;
  Bytes b = elf.bytes_at(vaddr, 8);
  if (b.empty()) return std::nullopt;
  return read_le<uint64_t>(b, 0);
}

// True when `md` looks like the moduledata of this pclntab; sets `text`.
bool validate_moduledata(const ElfFile& elf, const Relocations& relocs, const Pclntab& pcln,
                         uint64_t md, uint64_t& text) {
  using namespace moduledata;
  auto hdr = read_ptr(elf, relocs, md + kPcHeader);
  auto names = read_ptr(elf, relocs, md + kFuncnametab);
  auto ftab = read_ptr(elf, relocs, md + kFtab);
  auto minpc = read_ptr(elf, relocs, md + kMinpc);
  auto txt = read_ptr(elf, relocs, md + kText);
  if (!hdr || !names || !ftab || !minpc || !txt) return false;
  if (*hdr != pcln.addr() || *names != pcln.addr() + pcln.funcname_offset()) return false;
  if (*txt == 0 || *txt > *minpc || *minpc != *txt + pcln.entry_off(0)) return false;
  text = *txt;
  return true;
}

std::optional<TextBase> scan_sections(const ElfFile& elf, const Relocations& relocs,
                                      const Pclntab& pcln) {
  // Go 1.26 gives the moduledata its own .go.module section; older linkers put it in .noptrdata.
  for (const char* name : {".go.module", ".noptrdata", ".data"}) {
    const Section* s = elf.section(name);
    if (s == nullptr) continue;
    Bytes b = elf.section_bytes(*s);
    for (uint64_t off = 0; off + 8 <= b.size(); off += 8) {
      if (*read_le<uint64_t>(b, off) != pcln.addr()) continue;
      uint64_t text = 0;
      if (validate_moduledata(elf, relocs, pcln, s->addr + off, text)) {
        return TextBase{text, std::string("runtime.firstmoduledata (found in ") + name + ")"};
      }
    }
  }
  return std::nullopt;
}

std::optional<TextBase> from_relocations(const ElfFile& elf, const Relocations& relocs,
                                         const Pclntab& pcln) {
  for (uint64_t md : relocs.offsets_with_addend(pcln.addr())) {
    uint64_t text = 0;
    if (validate_moduledata(elf, relocs, pcln, md, text)) {
      return TextBase{text, "runtime.firstmoduledata (found via R_X86_64_RELATIVE)"};
    }
  }
  return std::nullopt;
}

}  // namespace

Relocations Relocations::load(const ElfFile& elf) {
  Relocations r;
  for (const Section& s : elf.sections()) {
    if (s.type != SHT_RELA) continue;
    Bytes b = elf.section_bytes(s);
    for (uint64_t off = 0; off + sizeof(Elf64_Rela) <= b.size(); off += sizeof(Elf64_Rela)) {
      Elf64_Rela rela;
      std::memcpy(&rela, b.data() + off, sizeof rela);
      if (ELF64_R_TYPE(rela.r_info) != R_X86_64_RELATIVE) continue;
      r.entries_.emplace_back(rela.r_offset, static_cast<uint64_t>(rela.r_addend));
    }
  }
  std::sort(r.entries_.begin(), r.entries_.end());
  return r;
}

std::optional<uint64_t> Relocations::addend_at(uint64_t vaddr) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), std::pair{vaddr, uint64_t{0}});
  if (it == entries_.end() || it->first != vaddr) return std::nullopt;
  return it->second;
}

std::vector<uint64_t> Relocations::offsets_with_addend(uint64_t addend) const {
  std::vector<uint64_t> out;
  for (const auto& [off, add] : entries_) {
    if (add == addend) out.push_back(off);
  }
  return out;
}

Result<TextBase> find_text_base(const ElfFile& elf, const Pclntab& pcln,
                                const std::optional<SymbolTable>& symtab) {
  Relocations relocs = Relocations::load(elf);
  auto start = read_ptr(elf, relocs, pcln.text_start_field_addr());
  if (start && *start != 0) return TextBase{*start, "pcHeader.textStart"};
  uint64_t text = 0;
  if (symtab) {
    auto md = symtab->find_object("runtime.firstmoduledata");
    if (md && validate_moduledata(elf, relocs, pcln, *md, text)) {
      return TextBase{text, "runtime.firstmoduledata (symbol)"};
    }
  }
  if (auto t = from_relocations(elf, relocs, pcln)) return *t;
  if (auto t = scan_sections(elf, relocs, pcln)) return *t;
  // Last resort, right for internally linked binaries where runtime.text opens .text.
  if (const Section* s = elf.section(".text")) return TextBase{s->addr, ".text section (guess)"};
  return fail(
      "cannot find the text base (no pcHeader.textStart, runtime.firstmoduledata or .text)");
}

}  // namespace goinstr::obj
