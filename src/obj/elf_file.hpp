// SPDX-License-Identifier: Apache-2.0
// A read-only view of an x86-64 ELF file. libelf maps the file (ELF_C_READ_MMAP) and every reader
// here works on spans into that mapping, so analysing a 100 MB binary copies nothing big.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "obj/bytes.hpp"

typedef struct Elf Elf;  // NOLINT: libelf's own spelling, avoids including <libelf.h> here

namespace goinstr::obj {

struct Section {
  std::string_view name;
  uint32_t type = 0;
  uint64_t flags = 0;
  uint64_t addr = 0;
  uint64_t offset = 0;
  uint64_t size = 0;
  uint32_t link = 0;
};

struct Segment {  // PT_LOAD only
  uint64_t vaddr = 0;
  uint64_t offset = 0;
  uint64_t filesz = 0;
  uint64_t memsz = 0;
  uint32_t flags = 0;
};

class ElfFile {
 public:
  // Errors: "<path>: No such file or directory", "<path>: not an ELF file", ...
  static Result<ElfFile> open(const std::string& path);
  ElfFile(ElfFile&& other) noexcept;
  ElfFile& operator=(ElfFile&& other) noexcept;
  ElfFile(const ElfFile&) = delete;
  ElfFile& operator=(const ElfFile&) = delete;
  ~ElfFile();

  const std::string& path() const { return path_; }
  Elf* elf() const { return elf_; }
  Bytes image() const { return image_; }

  const std::vector<Section>& sections() const { return sections_; }
  const Section* section(std::string_view name) const;
  // Raw file bytes of a section (as stored: compressed sections stay compressed); empty for NOBITS.
  Bytes section_bytes(const Section& s) const;

  bool is_pie() const { return is_dyn_; }  // ET_DYN; Go executables never ship as shared libs
  bool is_static() const { return !has_interp_; }
  // GNU build-id in hex when the linker wrote one, else the Go build ID string.
  const std::string& build_id() const { return build_id_; }

  std::optional<uint64_t> vaddr_to_offset(uint64_t vaddr) const;
  // `len` file-backed bytes at `vaddr`, or empty when any part is outside the file (e.g. .bss).
  Bytes bytes_at(uint64_t vaddr, uint64_t len) const;

 private:
  ElfFile() = default;
  Result<void> load_headers();
  void read_build_id();
  void reset() noexcept;

  std::string path_;
  int fd_ = -1;
  Elf* elf_ = nullptr;
  Bytes image_;
  bool is_dyn_ = false;
  bool has_interp_ = false;
  std::string build_id_;
  std::vector<Section> sections_;
  std::vector<Segment> loads_;
};

}  // namespace goinstr::obj
