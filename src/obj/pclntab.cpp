// SPDX-License-Identifier: Apache-2.0
#include "obj/pclntab.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

namespace goinstr::obj {
namespace {

constexpr uint64_t kHeaderSize = 72;  // 8 + 8 (nfunc) + 8 (nfiles) + 6 uintptr fields

}  // namespace

Result<Pclntab> Pclntab::parse(Bytes data, uint64_t addr) {
  auto magic = read_le<uint32_t>(data, 0);
  if (!magic || data.size() < kHeaderSize) return fail(".gopclntab: truncated header");
  if (*magic != kPclnMagic118 && *magic != kPclnMagic120) {
    char buf[64];
    std::snprintf(buf, sizeof buf, ".gopclntab: unsupported magic 0x%08x (Go < 1.18?)", *magic);
    return fail(buf);
  }
  if (data[6] != 1 || data[7] != 8) return fail(".gopclntab: not an amd64 table (minLC/ptrSize)");
  Pclntab t;
  t.data_ = data;
  t.addr_ = addr;
  t.magic_ = *magic;
  t.nfunc_ = *read_le<uint64_t>(data, 8);
  t.funcname_off_ = *read_le<uint64_t>(data, 32);
  uint64_t cu_off = *read_le<uint64_t>(data, 40);
  uint64_t pcln_off = *read_le<uint64_t>(data, 64);
  if (t.funcname_off_ > data.size() || cu_off < t.funcname_off_ || pcln_off > data.size()) {
    return fail(".gopclntab: header offsets out of range");
  }
  // funcnametab runs up to cutab, which the linker writes right after it.
  t.funcnames_ = data.subspan(t.funcname_off_, cu_off - t.funcname_off_);
  t.pcln_ = data.subspan(pcln_off);
  if ((t.nfunc_ + 1) * 8 > t.pcln_.size()) return fail(".gopclntab: ftab truncated");
  return t;
}

uint32_t Pclntab::entry_off(uint64_t i) const {
  return *read_le<uint32_t>(pcln_, i * 8);
}

std::optional<std::string_view> Pclntab::name(uint64_t i) const {
  if (i >= nfunc_) return std::nullopt;
  uint32_t func_off = *read_le<uint32_t>(pcln_, i * 8 + 4);
  // _func{entryOff uint32; nameOff int32; ...}
  auto name_off = read_le<int32_t>(pcln_, uint64_t{func_off} + 4);
  if (!name_off || *name_off < 0) return std::nullopt;
  return read_cstr(funcnames_, static_cast<uint64_t>(*name_off));
}

std::optional<GoFunction> Pclntab::find_function(std::string_view name, uint64_t text_base) const {
  for (uint64_t i = 0; i < nfunc_; ++i) {
    auto n = this->name(i);
    if (!n || *n != name) continue;
    return GoFunction{std::string(name), text_base + entry_off(i), text_base + entry_off(i + 1)};
  }
  return std::nullopt;
}

std::optional<uint64_t> Pclntab::function_end(uint64_t entry, uint64_t text_base) const {
  if (entry < text_base) return std::nullopt;
  uint64_t want = entry - text_base;
  // ftab is sorted by entry: binary search over [0, nfunc] (the sentinel included).
  uint64_t lo = 0, hi = nfunc_ + 1;
  while (lo < hi) {
    uint64_t mid = lo + (hi - lo) / 2;
    if (entry_off(mid) <= want) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (lo == 0 || lo > nfunc_ || entry_off(lo - 1) != want) return std::nullopt;
  return text_base + entry_off(lo);
}

}  // namespace goinstr::obj
