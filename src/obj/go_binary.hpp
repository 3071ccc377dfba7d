// SPDX-License-Identifier: Apache-2.0
// What goinstr knows about one Go executable: its Go version and build info, where its functions
// are (ELF symbols, else .gopclntab, so stripped binaries work), the struct field offsets the BPF
// probes need (DWARF, else a table shipped with goinstr), and where a probe should sit inside a
// function (decoded instructions, not a fixed offset). No BPF in here: src/obj is unit-testable.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace goinstr::obj {

struct ModuleInfo {
  std::string path;
  std::string version;
  std::string sum;
};

struct BuildInfo {
  std::string go_version;  // "go1.26.8"
  std::string main_path;   // package path of main, e.g. "goinstr.dev/demo"
  ModuleInfo main_module;
  std::vector<ModuleInfo> deps;
  std::vector<std::pair<std::string, std::string>> settings;  // -ldflags, GOARCH, ...
};

struct GoFunction {
  std::string name;
  uint64_t entry = 0;  // virtual address
  uint64_t end = 0;    // one past the last byte
};

// How the kernel handles a uprobe on an instruction (arch/x86/kernel/uprobes.c): emulated ones
// cost about 0.5 us per hit on our machines, single-stepped ones about 9.5 us.
enum class InsnClass { kEmulated, kSingleStepped, kRejected };
const char* to_string(InsnClass c);
// Measured cost per hit, for `inspect` (shared/anchors/uprobe-cost.md): 0.5 and 9.5 us; 0 for
// rejected sites, which cannot be probed at all.
double estimated_cost_us(InsnClass c);

struct ProbeSite {
  uint64_t vaddr = 0;
  uint64_t file_offset = 0;  // what uprobes attach to
  uint64_t func_offset = 0;  // vaddr - function entry
  std::string insn;          // "jbe 0x4c0123"
  InsnClass insn_class = InsnClass::kSingleStepped;
  std::string reason;  // why this site was chosen
};

enum class OffsetSource { kDwarf, kTable };
struct FieldOffset {
  uint64_t offset = 0;
  OffsetSource source = OffsetSource::kDwarf;
  std::string detail;  // "DWARF" or "table go1.26"
};

class GoBinary {
 public:
  // Fails with a one-line reason for a file that cannot be read or is not a Go binary.
  static Result<GoBinary> open(const std::string& path);
  GoBinary(GoBinary&&) noexcept;
  GoBinary& operator=(GoBinary&&) noexcept;
  ~GoBinary();

  const std::string& path() const;
  const BuildInfo& build_info() const;
  const std::string& go_version() const { return build_info().go_version; }
  bool has_symbols() const;  // .symtab present (not built with -s)
  bool has_dwarf() const;
  bool is_pie() const;
  bool is_static() const;  // no PT_INTERP
  std::string build_id() const;
  // Where function addresses come from: ".symtab", or ".gopclntab" for stripped binaries.
  const char* function_source() const;
  // The address .gopclntab entry offsets are relative to, and how it was found.
  uint64_t text_base() const;
  const std::string& text_base_source() const;
  // File offset of a virtual address (through PT_LOAD), what uprobes attach to.
  std::optional<uint64_t> file_offset(uint64_t vaddr) const;

  std::optional<GoFunction> find_function(std::string_view name) const;
  // Where the entry probe goes: the prologue's stack-bound jcc when it exists (emulated, argument
  // registers intact), else the function entry.
  Result<ProbeSite> entry_probe_site(const GoFunction& fn) const;
  // The instruction at `func_offset` as a probe site (e.g. offset 0, what a naive design uses).
  Result<ProbeSite> site_at(const GoFunction& fn, uint64_t func_offset) const;
  // Every RET in the function (single-stepped; listed by inspect for the cost comparison).
  Result<std::vector<ProbeSite>> return_sites(const GoFunction& fn) const;
  Result<FieldOffset> field_offset(std::string_view type_name, std::string_view field) const;
  // Each `call callee` instruction in fn (emulated sites: the callee's arguments are in place).
  Result<std::vector<ProbeSite>> call_sites(const GoFunction& fn, const GoFunction& callee) const;
  // The first conditional jump right after fn's first call to callee (see insn_scan.hpp).
  Result<ProbeSite> branch_after_call(const GoFunction& fn, const GoFunction& callee) const;
  // Address of a data symbol such as "go:itab.*bufio.Writer,io.Writer" (Go < 1.20 spells the
  // prefix "go.itab."; both are tried). nullopt without .symtab.
  std::optional<uint64_t> itab_address(std::string_view concrete, std::string_view iface) const;
  // Every itab for interface `iface`: (address, concrete type name). Empty without .symtab.
  std::vector<std::pair<uint64_t, std::string>> itabs_for(std::string_view iface) const;
  // Those of `packages` (import paths) that have at least one function in the binary.
  std::vector<std::string> linked_packages(const std::vector<std::string>& packages) const;

 private:
  struct Impl;
  explicit GoBinary(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace goinstr::obj
