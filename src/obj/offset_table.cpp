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
