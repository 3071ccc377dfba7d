// SPDX-License-Identifier: Apache-2.0
#include "obj/elf_file.hpp"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <cstdio>
#include <utility>

namespace goinstr::obj {
namespace {

constexpr uint32_t kNtGoBuildId = 4;  // cmd/link: ELF note "Go", type 4

std::string to_hex(Bytes b) {
  std::string out;
  out.reserve(b.size() * 2);
  for (uint8_t c : b) {
    char buf[3];
    std::snprintf(buf, sizeof buf, "%02x", c);
    out += buf;
  }
  return out;
}

}  // namespace

Result<ElfFile> ElfFile::open(const std::string& path) {
  ElfFile f;
  f.path_ = path;
  f.fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (f.fd_ < 0) return fail_errno(path);
  if (elf_version(EV_CURRENT) == EV_NONE) return fail(path + ": libelf initialisation failed");
  f.elf_ = elf_begin(f.fd_, ELF_C_READ_MMAP, nullptr);
  if (f.elf_ == nullptr || elf_kind(f.elf_) != ELF_K_ELF) {
    return fail(path + ": not an ELF file");
  }
  size_t size = 0;
  const char* raw = elf_rawfile(f.elf_, &size);
  if (raw == nullptr) return fail(path + ": cannot map file: " + elf_errmsg(-1));
  f.image_ = Bytes(reinterpret_cast<const uint8_t*>(raw), size);
  TRY(f.load_headers());
  f.read_build_id();
  return f;
}

Result<void> ElfFile::load_headers() {
  GElf_Ehdr eh;
  if (gelf_getehdr(elf_, &eh) == nullptr) return fail(path_ + ": bad ELF header");
  if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_machine != EM_X86_64) {
    return fail(path_ + ": not an x86-64 ELF file (only x86-64 is supported)");
  }
  is_dyn_ = eh.e_type == ET_DYN;
  size_t nphdr = 0;
  if (elf_getphdrnum(elf_, &nphdr) != 0) return fail(path_ + ": bad program headers");
  for (size_t i = 0; i < nphdr; ++i) {
    GElf_Phdr ph;
    if (gelf_getphdr(elf_, static_cast<int>(i), &ph) == nullptr) continue;
    if (ph.p_type == PT_INTERP) has_interp_ = true;
    if (ph.p_type == PT_LOAD) {
      loads_.push_back({ph.p_vaddr, ph.p_offset, ph.p_filesz, ph.p_memsz, ph.p_flags});
    }
  }
  size_t shstrndx = 0;
  if (elf_getshdrstrndx(elf_, &shstrndx) != 0) return fail(path_ + ": bad section headers");
  for (Elf_Scn* scn = elf_nextscn(elf_, nullptr); scn != nullptr; scn = elf_nextscn(elf_, scn)) {
    GElf_Shdr sh;
    if (gelf_getshdr(scn, &sh) == nullptr) continue;
    const char* name = elf_strptr(elf_, shstrndx, sh.sh_name);
    sections_.push_back({name ? name : "", sh.sh_type, sh.sh_flags, sh.sh_addr, sh.sh_offset,
                         sh.sh_size, sh.sh_link});
  }
  return {};
}

// Notes are walked by hand over the mapped bytes: gelf_getnote would need elf_getdata, which
// converts (copies) data for some section types.
void ElfFile::read_build_id() {
  std::string go_id;
  for (const Section& s : sections_) {
    if (s.type != SHT_NOTE) continue;
    Bytes b = section_bytes(s);
    for (uint64_t off = 0; off + 12 <= b.size();) {
      uint32_t namesz = *read_le<uint32_t>(b, off);
      uint32_t descsz = *read_le<uint32_t>(b, off + 4);
      uint32_t type = *read_le<uint32_t>(b, off + 8);
      uint64_t name_off = off + 12;
      uint64_t desc_off = name_off + ((namesz + 3) & ~3u);
      Bytes desc = sub_bytes(b, desc_off, descsz);
      if (desc.size() != descsz) break;
      auto name = std::string_view(reinterpret_cast<const char*>(b.data() + name_off), namesz);
      // Go writes the note name "Go" with namesz 4 (NUL-padded), GNU with namesz 4 ("GNU\0").
      while (!name.empty() && name.back() == '\0') name.remove_suffix(1);
      if (name == "GNU" && type == NT_GNU_BUILD_ID) {
        build_id_ = to_hex(desc);
        return;
      }
      if (name == "Go" && type == kNtGoBuildId) {
        go_id.assign(reinterpret_cast<const char*>(desc.data()), desc.size());
      }
      off = desc_off + ((descsz + 3) & ~3u);
    }
  }
  build_id_ = go_id;
}

ElfFile::ElfFile(ElfFile&& other) noexcept {
  *this = std::move(other);
}

ElfFile& ElfFile::operator=(ElfFile&& other) noexcept {
  if (this == &other) return *this;
  reset();
  path_ = std::move(other.path_);
  fd_ = std::exchange(other.fd_, -1);
  elf_ = std::exchange(other.elf_, nullptr);
  image_ = std::exchange(other.image_, {});
  is_dyn_ = other.is_dyn_;
  has_interp_ = other.has_interp_;
  build_id_ = std::move(other.build_id_);
  sections_ = std::move(other.sections_);
  loads_ = std::move(other.loads_);
  return *this;
}

ElfFile::~ElfFile() {
  reset();
}

void ElfFile::reset() noexcept {
  if (elf_ != nullptr) elf_end(elf_);
  if (fd_ >= 0) ::close(fd_);
  elf_ = nullptr;
  fd_ = -1;
}

const Section* ElfFile::section(std::string_view name) const {
  for (const Section& s : sections_) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

Bytes ElfFile::section_bytes(const Section& s) const {
  if (s.type == SHT_NOBITS) return {};
  return sub_bytes(image_, s.offset, s.size);
}

std::optional<uint64_t> ElfFile::vaddr_to_offset(uint64_t vaddr) const {
  for (const Segment& seg : loads_) {
    if (vaddr >= seg.vaddr && vaddr - seg.vaddr < seg.filesz) return seg.offset + vaddr - seg.vaddr;
  }
  return std::nullopt;
}

Bytes ElfFile::bytes_at(uint64_t vaddr, uint64_t len) const {
  for (const Segment& seg : loads_) {
    if (vaddr < seg.vaddr || vaddr - seg.vaddr >= seg.filesz) continue;
    uint64_t rel = vaddr - seg.vaddr;
    if (seg.filesz - rel < len) return {};
    return sub_bytes(image_, seg.offset + rel, len);
  }
  return {};
}

}  // namespace goinstr::obj
