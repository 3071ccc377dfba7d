// SPDX-License-Identifier: Apache-2.0
#include "bench/templates.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <functional>
#include <optional>
#include <vector>

namespace goinstr::bench {
namespace {

constexpr std::array<std::string_view, 5> kBuildNames = {"bin", "dir", "dsn", "goinstr", "otlp"};
constexpr std::array<std::string_view, 1> kStartNames = {"addr"};
constexpr std::array<std::string_view, 2> kAttachNames = {"pid", "port"};

std::vector<std::string_view> known_at(TemplateUse use) {
  std::vector<std::string_view> names(kBuildNames.begin(), kBuildNames.end());
  if (use != TemplateUse::build) names.insert(names.end(), kStartNames.begin(), kStartNames.end());
  if (use == TemplateUse::attach)
    names.insert(names.end(), kAttachNames.begin(), kAttachNames.end());
  std::sort(names.begin(), names.end());
  return names;
}

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || c == '_';
}

// The placeholder name starting at text[at] == '{', or nothing when the brace is just a brace.
std::optional<std::string_view> placeholder_at(std::string_view text, size_t at) {
  size_t end = at + 1;
  while (end < text.size() && is_name_char(text[end])) ++end;
  if (end == at + 1 || end >= text.size() || text[end] != '}') return std::nullopt;
  return text.substr(at + 1, end - at - 1);
}

// Walks `text`, handing literal runs and placeholder names to the callbacks in order.
void scan(std::string_view text, const std::function<void(std::string_view)>& literal,
          const std::function<void(std::string_view)>& placeholder) {
  size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 2, "{{") == 0) {
      literal("{");
      i += 2;
    } else if (text.compare(i, 2, "${") == 0) {
      size_t close = text.find('}', i);
      size_t end = close == std::string_view::npos ? text.size() : close + 1;
      literal(text.substr(i, end - i));
      i = end;
    } else if (auto name = text[i] == '{' ? placeholder_at(text, i) : std::nullopt) {
      placeholder(*name);
      i += name->size() + 2;
    } else {
      literal(text.substr(i, 1));
      ++i;
    }
  }
}

}  // namespace

Result<> check_template(std::string_view text, TemplateUse use) {
  std::vector<std::string_view> known = known_at(use);
  std::string unknown;
  scan(
      text, [](std::string_view) {},
      [&](std::string_view name) {
        if (unknown.empty() && std::find(known.begin(), known.end(), name) == known.end())
          unknown = name;
      });
  if (unknown.empty()) return {};
  std::string where = use == TemplateUse::build   ? "a build command"
                      : use == TemplateUse::start ? "a start command or env"
                                                  : "an attach command or attach_env";
  return fail(
      fmt::format("unknown placeholder {{{}}} in {} (known there: {{{}}}; write {{{{ for "
                  "a literal brace)",
                  unknown, where, fmt::join(known, "} {")));
}

std::string expand(std::string_view text, const Placeholders& values, Quoting quoting) {
  std::string out;
  scan(
      text, [&](std::string_view s) { out += s; },
      [&](std::string_view name) {
        auto it = values.find(name);
        if (it == values.end()) {
          out += fmt::format("{{{}}}", name);
        } else {
          out += quoting == Quoting::shell ? shell_quote(it->second) : it->second;
        }
      });
  return out;
}

std::string shell_quote(std::string_view text) {
  bool plain = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("-_./:,+=@%").find(c) != std::string_view::npos;
  });
  if (plain) return std::string(text);
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

}  // namespace goinstr::bench
