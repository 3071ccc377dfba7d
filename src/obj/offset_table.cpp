// SPDX-License-Identifier: Apache-2.0
#include "obj/offset_table.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <nlohmann/json.hpp>
#include <tuple>

namespace goinstr::obj {

extern const char* const kOffsetsJson;  // offsets_data.cpp, generated from offsets.json
extern const char* const kModulesJson;  // offsets_data.cpp, generated from modules.json

namespace {

// Both texts are ours and are checked by obj_tests, so a parse error is a build bug; each is
// parsed once, on first use.
const nlohmann::json& table() {
  static const nlohmann::json t = nlohmann::json::parse(kOffsetsJson, nullptr, false);
  return t;
}

const nlohmann::json& module_json() {
  static const nlohmann::json t = nlohmann::json::parse(kModulesJson, nullptr, false);
  return t;
}

using VersionList = std::vector<std::pair<SemVer, std::string>>;  // oldest first

// Module path -> its versions, sorted once so lookups need not re-parse the keys.
const std::map<std::string, VersionList, std::less<>>& module_index() {
  static const auto index = [] {
    std::map<std::string, VersionList, std::less<>> out;
    if (!module_json().is_object()) return out;
    for (const auto& [module, versions] : module_json().items()) {
      VersionList& list = out[module];
      if (!versions.is_object()) continue;
      for (const auto& [key, _] : versions.items()) {
        if (auto v = parse_semver(key)) list.emplace_back(*v, key);
      }
      std::sort(list.begin(), list.end());
    }
    return out;
  }();
  return index;
}

std::optional<int> parse_int(std::string_view s, size_t& pos) {
  int v = 0;
  auto [end, ec] = std::from_chars(s.data() + pos, s.data() + s.size(), v);
  if (ec != std::errc{}) return std::nullopt;
  pos = static_cast<size_t>(end - s.data());
  return v;
}

bool is_number(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Semantic-version precedence of two pre-release strings (semver.org, item 11): identifiers
// compared left to right, numeric ones as numbers and below alphanumeric ones, a shorter list
// first when it is a prefix of the other.
std::strong_ordering compare_prerelease(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return a.empty() <=> b.empty();  // a release sorts last
  while (true) {
    std::string_view ia = a.substr(0, a.find('.'));
    std::string_view ib = b.substr(0, b.find('.'));
    bool na = is_number(ia), nb = is_number(ib);
    std::strong_ordering c = std::strong_ordering::equal;
    if (na && nb) {
      c = ia.size() != ib.size() ? ia.size() <=> ib.size() : ia.compare(ib) <=> 0;
    } else if (na != nb) {
      c = nb <=> na;
    } else {
      c = ia.compare(ib) <=> 0;
    }
    if (c != 0) return c;
    bool more_a = ia.size() < a.size(), more_b = ib.size() < b.size();
    if (!more_a || !more_b) return more_a <=> more_b;
    a.remove_prefix(ia.size() + 1);
    b.remove_prefix(ib.size() + 1);
  }
}

// The package path of a type name: "golang.org/x/net/http2.FrameHeader" -> "golang.org/x/net/http2"
// (the first '.' after the last '/'; type arguments in brackets are not looked at).
std::string_view package_of(std::string_view type) {
  type = type.substr(0, type.find('['));
  size_t slash = type.rfind('/');
  size_t dot = type.find('.', slash == std::string_view::npos ? 0 : slash);
  return dot == std::string_view::npos ? std::string_view{} : type.substr(0, dot);
}

// One table entry's offset for type.field; `entry` names it in errors ("go1.26",
// "google.golang.org/grpc v1.70.0").
Result<FieldOffset> entry_field_offset(const nlohmann::json& fields, const std::string& entry,
                                       std::string_view type, std::string_view field,
                                       std::string detail) {
  auto t = fields.find(std::string(type));
  if (t == fields.end()) {
    return fail("offset table " + entry + ": no type " + std::string(type));
  }
  auto f = t->find(std::string(field));
  if (f == t->end() || !f->is_number_unsigned()) {
    return fail("offset table " + entry + ": " + std::string(type) + " has no field " +
                std::string(field));
  }
  return FieldOffset{f->get<uint64_t>(), OffsetSource::kTable, std::move(detail)};
}

}  // namespace

std::optional<GoMinor> parse_go_minor(std::string_view version) {
  size_t at = version.find("go");
  if (at == std::string_view::npos) return std::nullopt;
  size_t pos = at + 2;
  auto major = parse_int(version, pos);
  if (!major || pos >= version.size() || version[pos] != '.') return std::nullopt;
  ++pos;
  auto minor = parse_int(version, pos);
  if (!minor) return std::nullopt;
  return GoMinor{*major, *minor};
}

std::vector<std::string> table_versions() {
  std::vector<std::pair<GoMinor, std::string>> found;
  if (table().is_object()) {
    for (const auto& [key, _] : table().items()) {
      if (auto m = parse_go_minor(key)) found.emplace_back(*m, key);
    }
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> out;
  for (auto& [_, key] : found) out.push_back(key);
  return out;
}

Result<FieldOffset> table_field_offset(std::string_view go_version, std::string_view type,
                                       std::string_view field) {
  auto want = parse_go_minor(go_version);
  if (!want)
    return fail("offset table: cannot parse Go version \"" + std::string(go_version) + "\"");
  std::string best;
  for (const std::string& key : table_versions()) {
    if (*parse_go_minor(key) <= *want) best = key;
  }
  if (best.empty()) {
    return fail("offset table: no entry for " + std::string(go_version) + " or older");
  }
  bool exact = *parse_go_minor(best) == *want;
  std::string detail = "table " + best;
  if (!exact) detail += " (nearest to " + std::string(go_version) + ")";
  return entry_field_offset(table()[best], best, type, field, std::move(detail));
}

std::strong_ordering operator<=>(const SemVer& a, const SemVer& b) {
  if (auto c = std::tie(a.major, a.minor, a.patch) <=> std::tie(b.major, b.minor, b.patch); c != 0)
    return c;
  return compare_prerelease(a.prerelease, b.prerelease);
}

std::optional<SemVer> parse_semver(std::string_view version) {
  if (version.empty() || version[0] != 'v') return std::nullopt;
  version = version.substr(0, version.find('+'));  // build metadata has no precedence
  SemVer v;
  size_t pos = 1;
  int* parts[] = {&v.major, &v.minor, &v.patch};
  for (int i = 0; i < 3; ++i) {
    if (i > 0 && (pos >= version.size() || version[pos++] != '.')) return std::nullopt;
    if (pos >= version.size() || version[pos] < '0' || version[pos] > '9') return std::nullopt;
    auto n = parse_int(version, pos);
    if (!n) return std::nullopt;
    *parts[i] = *n;
  }
  if (pos < version.size()) {
    if (version[pos] != '-' || pos + 1 == version.size()) return std::nullopt;
    v.prerelease = std::string(version.substr(pos + 1));
  }
  return v;
}

std::vector<std::string> module_table_modules() {
  std::vector<std::string> out;
  for (const auto& [module, _] : module_index()) out.push_back(module);
  return out;
}

std::vector<std::string> module_table_versions(std::string_view module) {
  std::vector<std::string> out;
  auto it = module_index().find(module);
  if (it == module_index().end()) return out;
  for (const auto& [_, key] : it->second) out.push_back(key);
  return out;
}

std::optional<std::string> module_table_for_type(std::string_view type) {
  std::string_view pkg = package_of(type);
  if (pkg.empty()) return std::nullopt;
  std::optional<std::string> best;
  for (const auto& [module, _] : module_index()) {
    bool covers = pkg == module || (pkg.size() > module.size() && pkg.starts_with(module) &&
                                    pkg[module.size()] == '/');
    if (covers && (!best || module.size() > best->size())) best = module;
  }
  if (best) return best;
  // A type of a module without its own table (genproto), recorded under another module.
  for (const auto& [module, versions] : module_json().items()) {
    for (const auto& [_, entry] : versions.items()) {
      if (entry.contains(std::string(type))) return module;
    }
  }
  return std::nullopt;
}

std::optional<std::string> module_version(const BuildInfo& info, std::string_view module) {
  for (const ModuleInfo& dep : info.deps) {
    if (dep.path == module) return dep.version;
  }
  if (info.main_module.path == module) return info.main_module.version;
  return std::nullopt;
}

Result<FieldOffset> module_table_field_offset(std::string_view module, std::string_view version,
                                              std::string_view type, std::string_view field) {
  std::string name = "offset table " + std::string(module);
  auto it = module_index().find(module);
  if (it == module_index().end() || it->second.empty()) return fail(name + ": no such table");
  auto want = parse_semver(version);
  if (!want) {
    return fail(name + ": cannot parse version \"" + std::string(version) + "\"");
  }
  const std::string* best = nullptr;
  for (const auto& [v, key] : it->second) {
    if (v <= *want) best = &key;
  }
  if (best == nullptr) {
    return fail(name + ": no entry for " + std::string(version) + " or older (oldest is " +
                it->second.front().second + ")");
  }
  std::string entry = std::string(module) + " " + *best;
  std::string detail = "table " + entry;
  if (*best != version) detail += " (nearest to " + std::string(version) + ")";
  return entry_field_offset(module_json()[std::string(module)][*best], entry, type, field,
                            std::move(detail));
}

Result<FieldOffset> module_table_field_offset(const BuildInfo& info, std::string_view module,
                                              std::string_view type, std::string_view field) {
  auto version = module_version(info, module);
  if (!version) {
    return fail("offset table " + std::string(module) + ": the binary's build info has no module " +
                std::string(module) + " (needed for " + std::string(type) + ")");
  }
  return module_table_field_offset(module, *version, type, field);
}

}  // namespace goinstr::obj
