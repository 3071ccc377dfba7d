// SPDX-License-Identifier: Apache-2.0
// GoBinary glues the readers together: ELF (elf_file), build info (buildinfo), functions
// (.symtab, else .gopclntab with the text base from text_base), DWARF offsets (dwarf_offsets, else
// the embedded table) and probe sites (insn_scan).
#include "obj/go_binary.hpp"

#include <optional>

#include <elf.h>
#include "obj/buildinfo.hpp"
#include "obj/dwarf_offsets.hpp"
#include "obj/elf_file.hpp"
#include "obj/insn_scan.hpp"
#include "obj/offset_table.hpp"
#include "obj/pclntab.hpp"
#include "obj/symbols.hpp"
#include "obj/text_base.hpp"

namespace goinstr::obj {

struct GoBinary::Impl {
  explicit Impl(ElfFile e) : elf(std::move(e)) {}

  ElfFile elf;
  BuildInfo build_info;
  std::optional<SymbolTable> symtab;
  std::optional<Pclntab> pcln;
  TextBase text_base;
  bool has_dwarf = false;
  // DWARF is opened on the first field lookup: inflating .debug_info costs tens of milliseconds
  // and a caller that only wants functions should not pay it.
  bool dwarf_tried = false;
  std::optional<DwarfOffsets> dwarf;
  std::string dwarf_error;

  DwarfOffsets* open_dwarf() {
    if (!dwarf_tried) {
      dwarf_tried = true;
      auto d = DwarfOffsets::open(elf.elf());
      if (d) {
        dwarf.emplace(std::move(*d));
      } else {
        dwarf_error = d.error().message;
      }
    }
    return dwarf ? &*dwarf : nullptr;
  }
};

const char* to_string(InsnClass c) {
  switch (c) {
    case InsnClass::kEmulated:
      return "emulated";
    case InsnClass::kSingleStepped:
      return "single-stepped";
    case InsnClass::kRejected:
      return "rejected";
  }
  return "?";
}

// Per hit, measured on the project machines (docs: shared/anchors/uprobe-cost.md): emulated
// branches/nops/push ~0.38-0.55 us, single-stepped (XOL) ~9.5 us. Rejected sites cannot be probed.
double estimated_cost_us(InsnClass c) {
  switch (c) {
    case InsnClass::kEmulated:
      return 0.5;
    case InsnClass::kSingleStepped:
      return 9.5;
    case InsnClass::kRejected:
      return 0.0;
  }
  return 0.0;
}

Result<GoBinary> GoBinary::open(const std::string& path) {
  ASSIGN_OR_RETURN(ElfFile file, ElfFile::open(path));
  auto impl = std::make_unique<Impl>(std::move(file));
  const ElfFile& elf = impl->elf;
  const Section* bi = elf.section(".go.buildinfo");
  const Section* pcln = elf.section(".gopclntab");
  // Up to Go 1.20 a PIE keeps the table in RELRO data, under this name.
  if (pcln == nullptr) pcln = elf.section(".data.rel.ro.gopclntab");
  if (bi == nullptr && pcln == nullptr) {
    return fail(path + ": not a Go binary (no .go.buildinfo or .gopclntab section)");
  }
  if (bi == nullptr) return fail(path + ": no .go.buildinfo section (Go older than 1.18?)");
  if (pcln == nullptr) return fail(path + ": no .gopclntab section");
  auto info = parse_buildinfo(elf.section_bytes(*bi));
  if (!info) return std::unexpected(info.error().context(path));
  impl->build_info = std::move(*info);
  impl->symtab = SymbolTable::load(elf);
  impl->has_dwarf = elf.section(".debug_info") != nullptr || elf.section(".zdebug_info") != nullptr;
  auto table = Pclntab::parse(elf.section_bytes(*pcln), pcln->addr);
  if (!table) return std::unexpected(table.error().context(path));
  auto base = find_text_base(elf, *table, impl->symtab);
  if (!base) return std::unexpected(base.error().context(path));
  impl->pcln = std::move(*table);
  impl->text_base = std::move(*base);
  return GoBinary(std::move(impl));
}

GoBinary::GoBinary(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
GoBinary::GoBinary(GoBinary&&) noexcept = default;
GoBinary& GoBinary::operator=(GoBinary&&) noexcept = default;
GoBinary::~GoBinary() = default;

const std::string& GoBinary::path() const {
  return impl_->elf.path();
}
const BuildInfo& GoBinary::build_info() const {
  return impl_->build_info;
}
bool GoBinary::has_symbols() const {
  return impl_->symtab.has_value();
}
bool GoBinary::has_dwarf() const {
  return impl_->has_dwarf;
}
bool GoBinary::is_pie() const {
  return impl_->elf.is_pie();
}
bool GoBinary::is_static() const {
  return impl_->elf.is_static();
}
std::string GoBinary::build_id() const {
  return impl_->elf.build_id();
}
uint64_t GoBinary::text_base() const {
  return impl_->text_base.addr;
}
const std::string& GoBinary::text_base_source() const {
  return impl_->text_base.source;
}
const char* GoBinary::function_source() const {
  return impl_->symtab ? ".symtab" : ".gopclntab";
}

std::optional<GoFunction> GoBinary::find_function(std::string_view name) const {
  uint64_t base = impl_->text_base.addr;
  if (impl_->symtab) {
    if (auto fn = impl_->symtab->find_function(name)) {
      if (fn->end == fn->entry) {  // no st_size: the next function's entry ends it
        fn->end = impl_->pcln->function_end(fn->entry, base).value_or(fn->entry);
      }
      return fn;
    }
  }
  return impl_->pcln->find_function(name, base);
}

std::optional<uint64_t> GoBinary::file_offset(uint64_t vaddr) const {
  return impl_->elf.vaddr_to_offset(vaddr);
}

Result<ProbeSite> GoBinary::entry_probe_site(const GoFunction& fn) const {
  Bytes code = impl_->elf.bytes_at(fn.entry, fn.end - fn.entry);
  if (code.empty()) return fail(fn.name + ": code not in the file");
  ASSIGN_OR_RETURN(ProbeSite site, choose_entry_site(code, fn.entry));
  site.file_offset = *impl_->elf.vaddr_to_offset(site.vaddr);
  return site;
}

Result<ProbeSite> GoBinary::site_at(const GoFunction& fn, uint64_t func_offset) const {
  Bytes code = impl_->elf.bytes_at(fn.entry, fn.end - fn.entry);
  if (code.empty()) return fail(fn.name + ": code not in the file");
  ASSIGN_OR_RETURN(ProbeSite site, decode_site(code, fn.entry, func_offset));
  site.file_offset = *impl_->elf.vaddr_to_offset(site.vaddr);
  return site;
}

Result<std::vector<ProbeSite>> GoBinary::return_sites(const GoFunction& fn) const {
  Bytes code = impl_->elf.bytes_at(fn.entry, fn.end - fn.entry);
  if (code.empty()) return fail(fn.name + ": code not in the file");
  ASSIGN_OR_RETURN(auto sites, find_return_sites(code, fn.entry));
  for (ProbeSite& s : sites) s.file_offset = *impl_->elf.vaddr_to_offset(s.vaddr);
  return sites;
}

Result<std::vector<ProbeSite>> GoBinary::call_sites(const GoFunction& fn,
                                                    const GoFunction& callee) const {
  Bytes code = impl_->elf.bytes_at(fn.entry, fn.end - fn.entry);
  if (code.empty()) return fail(fn.name + ": code not in the file");
  ASSIGN_OR_RETURN(auto sites, find_call_sites(code, fn.entry, callee.entry));
  for (ProbeSite& s : sites) s.file_offset = *impl_->elf.vaddr_to_offset(s.vaddr);
  return sites;
}

Result<ProbeSite> GoBinary::branch_after_call(const GoFunction& fn,
                                              const GoFunction& callee) const {
  Bytes code = impl_->elf.bytes_at(fn.entry, fn.end - fn.entry);
  if (code.empty()) return fail(fn.name + ": code not in the file");
  auto site = find_branch_after_call(code, fn.entry, callee.entry);
  if (!site) return std::unexpected(site.error().context(fn.name + " -> " + callee.name));
  site->file_offset = *impl_->elf.vaddr_to_offset(site->vaddr);
  return site;
}

std::optional<uint64_t> GoBinary::itab_address(std::string_view concrete,
                                               std::string_view iface) const {
  if (!impl_->symtab) return std::nullopt;
  for (const char* prefix : {"go:itab.", "go.itab."}) {
    std::string name = std::string(prefix) + std::string(concrete) + "," + std::string(iface);
    if (auto addr = impl_->symtab->find_object(name)) return addr;
  }
  return std::nullopt;
}

std::vector<std::pair<uint64_t, std::string>> GoBinary::itabs_for(std::string_view iface) const {
  std::vector<std::pair<uint64_t, std::string>> out;
  if (!impl_->symtab) return out;
  std::string suffix = "," + std::string(iface);
  for (const char* prefix : {"go:itab.", "go.itab."}) {
    for (auto& [name, addr] : impl_->symtab->with_prefix(prefix, STT_OBJECT)) {
      if (!name.ends_with(suffix)) continue;
      size_t plen = std::string_view(prefix).size();
      out.emplace_back(addr, name.substr(plen, name.size() - plen - suffix.size()));
    }
  }
  return out;
}

std::vector<std::string> GoBinary::linked_packages(const std::vector<std::string>& packages) const {
  std::vector<std::string> out;
  if (!impl_->symtab) return out;
  for (const auto& pkg : packages) {
    // "pkg.Func", "pkg.(*T).M", and subpackages "pkg/sub.Func" all count.
    if (!impl_->symtab->with_prefix(pkg + ".", STT_FUNC).empty() ||
        !impl_->symtab->with_prefix(pkg + "/", STT_FUNC).empty())
      out.push_back(pkg);
  }
  return out;
}

Result<FieldOffset> GoBinary::field_offset(std::string_view type_name,
                                           std::string_view field) const {
  if (impl_->has_dwarf) {
    if (DwarfOffsets* dw = impl_->open_dwarf()) {
      ASSIGN_OR_RETURN(uint64_t off, dw->member_offset(type_name, field));
      return FieldOffset{off, OffsetSource::kDwarf, "DWARF"};
    }
  }
  // Module types (grpc, x/net) change layout with their module's version, not Go's: their table
  // is keyed by the version in the build info. Everything else is the standard library's.
  std::optional<std::string> module = module_table_for_type(type_name);
  ASSIGN_OR_RETURN(FieldOffset f,
                   module ? module_table_field_offset(build_info(), *module, type_name, field)
                          : table_field_offset(go_version(), type_name, field));
  if (impl_->has_dwarf) f.detail += " (DWARF unreadable: " + impl_->dwarf_error + ")";
  return f;
}

}  // namespace goinstr::obj
