// SPDX-License-Identifier: Apache-2.0
#include "obj/offset_table.hpp"

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

namespace goinstr::obj {

extern const char* const kOffsetsJson;  // offsets_data.cpp, generated from offsets.json

namespace {

const nlohmann::json& table() {
  // Parsed once; the text is ours and is checked by obj_tests, so a parse error is a build bug.
  static const nlohmann::json t = nlohmann::json::parse(kOffsetsJson, nullptr, false);
  return t;
}

std::optional<int> parse_int(std::string_view s, size_t& pos) {
  int v = 0;
  auto [end, ec] = std::from_chars(s.data() + pos, s.data() + s.size(), v);
  if (ec != std::errc{}) return std::nullopt;
  pos = static_cast<size_t>(end - s.data());
  return v;
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
  const nlohmann::json& fields = table()[best];
  auto t = fields.find(std::string(type));
  if (t == fields.end()) {
    return fail("offset table " + best + ": no type " + std::string(type));
  }
  auto f = t->find(std::string(field));
  if (f == t->end() || !f->is_number_unsigned()) {
    return fail("offset table " + best + ": " + std::string(type) + " has no field " +
                std::string(field));
  }
  bool exact = *parse_go_minor(best) == *want;
  std::string detail = "table " + best;
  if (!exact) detail += " (nearest to " + std::string(go_version) + ")";
  return FieldOffset{f->get<uint64_t>(), OffsetSource::kTable, detail};
}

}  // namespace goinstr::obj
