// SPDX-License-Identifier: Apache-2.0
// Little-endian reads from a memory-mapped image. Every reader checks bounds and returns nullopt
// rather than trusting offsets taken from the file: a truncated or hostile binary must not crash
// `inspect`. goinstr only analyses x86-64 (little-endian) binaries, so no byte swapping.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string_view>

namespace goinstr::obj {

using Bytes = std::span<const uint8_t>;

template <typename T>
std::optional<T> read_le(Bytes data, uint64_t off) {
  if (off > data.size() || data.size() - off < sizeof(T)) return std::nullopt;
  T v;
  std::memcpy(&v, data.data() + off, sizeof(T));
  return v;
}

inline Bytes sub_bytes(Bytes data, uint64_t off, uint64_t len) {
  if (off > data.size() || data.size() - off < len) return {};
  return data.subspan(off, len);
}

// A NUL-terminated string starting at `off`; nullopt if it runs off the end.
inline std::optional<std::string_view> read_cstr(Bytes data, uint64_t off) {
  if (off >= data.size()) return std::nullopt;
  const auto* start = reinterpret_cast<const char*>(data.data() + off);
  const void* nul = std::memchr(start, 0, data.size() - off);
  if (nul == nullptr) return std::nullopt;
  return std::string_view(start, static_cast<const char*>(nul) - start);
}

// Go's unsigned LEB128 (encoding/binary.Uvarint). Advances `off` past the varint.
inline std::optional<uint64_t> read_uvarint(Bytes data, uint64_t& off) {
  uint64_t v = 0;
  for (unsigned shift = 0; shift < 64 && off < data.size(); shift += 7) {
    uint8_t b = data[off++];
    v |= uint64_t{b & 0x7fu} << shift;
    if ((b & 0x80) == 0) return v;
  }
  return std::nullopt;
}

}  // namespace goinstr::obj
