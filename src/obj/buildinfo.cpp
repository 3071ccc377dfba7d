// SPDX-License-Identifier: Apache-2.0
#include "obj/buildinfo.hpp"

#include <string>
#include <vector>

namespace goinstr::obj {
namespace {

constexpr std::string_view kMagic = "\xff Go buildinf:";
constexpr uint64_t kHeaderSize = 32;
constexpr uint8_t kFlagInline = 0x2;
constexpr size_t kSentinelSize = 16;

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  for (size_t pos = 0;;) {
    size_t next = s.find(sep, pos);
    out.push_back(s.substr(pos, next == std::string_view::npos ? next : next - pos));
    if (next == std::string_view::npos) return out;
    pos = next + 1;
  }
}

ModuleInfo to_module(const std::vector<std::string_view>& cols) {
  ModuleInfo m;
  if (cols.size() > 1) m.path = cols[1];
  if (cols.size() > 2) m.version = cols[2];
  if (cols.size() > 3) m.sum = cols[3];
  return m;
}

// `go` writes a build setting value with strconv.Quote when it contains spaces, quotes or tabs.
std::string unquote(std::string_view v) {
  if (v.size() < 2 || v.front() != '"' || v.back() != '"') return std::string(v);
  std::string out;
  for (size_t i = 1; i + 1 < v.size(); ++i) {
    if (v[i] == '\\' && i + 2 < v.size()) {
      char c = v[++i];
      out += c == 'n' ? '\n' : c == 't' ? '\t' : c;
    } else {
      out += v[i];
    }
  }
  return out;
}

std::optional<std::string_view> read_varint_string(Bytes data, uint64_t& off) {
  auto len = read_uvarint(data, off);
  if (!len || *len > data.size() - off) return std::nullopt;
  auto s = std::string_view(reinterpret_cast<const char*>(data.data() + off), *len);
  off += *len;
  return s;
}

}  // namespace

void parse_modinfo(std::string_view modinfo, BuildInfo& info) {
  for (std::string_view line : split(modinfo, '\n')) {
    auto cols = split(line, '\t');
    std::string_view kind = cols[0];
    if (kind == "path" && cols.size() > 1) {
      info.main_path = cols[1];
    } else if (kind == "mod") {
      info.main_module = to_module(cols);
    } else if (kind == "dep") {
      info.deps.push_back(to_module(cols));
    } else if (kind == "=>" && !info.deps.empty()) {
      info.deps.back() = to_module(cols);
    } else if (kind == "build" && cols.size() > 1) {
      std::string_view kv = cols[1];
      size_t eq = kv.find('=');
      if (eq == std::string_view::npos) continue;
      info.settings.emplace_back(std::string(kv.substr(0, eq)), unquote(kv.substr(eq + 1)));
    }
  }
}

Result<BuildInfo> parse_buildinfo(Bytes data) {
  if (data.size() < kHeaderSize ||
      std::string_view(reinterpret_cast<const char*>(data.data()), kMagic.size()) != kMagic) {
    return fail(".go.buildinfo: bad magic");
  }
  uint8_t flags = data[kMagic.size() + 1];
  if ((flags & kFlagInline) == 0) {
    // Before 1.18 the header held pointers to Go strings; goinstr needs the register ABI anyway.
    return fail(".go.buildinfo: pre-Go 1.18 format (pointer strings) is not supported");
  }
  uint64_t off = kHeaderSize;
  auto version = read_varint_string(data, off);
  auto modinfo = read_varint_string(data, off);
  if (!version || !modinfo) return fail(".go.buildinfo: truncated strings");
  BuildInfo info;
  info.go_version = *version;
  std::string_view mi = *modinfo;
  if (mi.size() >= 2 * kSentinelSize) {
    parse_modinfo(mi.substr(kSentinelSize, mi.size() - 2 * kSentinelSize), info);
  }
  return info;
}

}  // namespace goinstr::obj
