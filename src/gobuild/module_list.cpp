// SPDX-License-Identifier: Apache-2.0
#include "gobuild/module_list.hpp"

#include <algorithm>
#include <cstdio>

#include "gobuild/runtime_module.hpp"

namespace goinstr::gobuild {

namespace {

std::string_view trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

template <typename F>
void for_each_line(std::string_view text, F&& f) {
  for (size_t at = 0; at < text.size();) {
    size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = trim(text.substr(at, end - at));
    if (!line.empty()) f(line);
    at = end + 1;
  }
}

// The modules of `woven_graph` (never a main module: go get rewrites the copy's own
// requirements to what was selected, which explains nothing) that require `target`.
std::vector<std::string> requirers(const std::vector<Requirement>& woven_graph,
                                   const std::string& target) {
  std::vector<std::string> out;
  for (const auto& r : woven_graph)
    if (r.to == target && r.from.contains('@') &&
        std::find(out.begin(), out.end(), r.from) == out.end())
      out.push_back(r.from);
  return out;
}

std::string because(const std::vector<std::string>& from, const std::string& target) {
  if (from.empty()) return " (selected once " + std::string(kRuntimeModule) + " is added)";
  std::string out = " (";
  size_t shown = std::min<size_t>(from.size(), 3);
  for (size_t i = 0; i < shown; ++i) out += (i ? "; " : "") + from[i] + " requires " + target;
  if (from.size() > shown) out += "; and " + std::to_string(from.size() - shown) + " more";
  return out + ")";
}

}  // namespace

std::string ListedModule::describe() const {
  if (version.empty() && replace.empty()) return "(main module)";
  return replace.empty() ? version : version + " => " + replace;
}

std::vector<ListedModule> parse_module_list(std::string_view go_list_output) {
  std::vector<ListedModule> out;
  for_each_line(go_list_output, [&](std::string_view line) {
    ListedModule m;
    std::string_view left = line;
    if (size_t arrow = line.find(" => "); arrow != std::string_view::npos) {
      left = trim(line.substr(0, arrow));
      m.replace = std::string(trim(line.substr(arrow + 4)));
    }
    size_t space = left.find_first_of(" \t");
    m.path = std::string(left.substr(0, space));
    if (space != std::string_view::npos) m.version = std::string(trim(left.substr(space)));
    out.push_back(std::move(m));
  });
  return out;
}

std::vector<Requirement> parse_module_graph(std::string_view go_mod_graph_output) {
  std::vector<Requirement> out;
  for_each_line(go_mod_graph_output, [&](std::string_view line) {
    size_t space = line.find(' ');
    if (space == std::string_view::npos) return;
    out.push_back({std::string(line.substr(0, space)), std::string(trim(line.substr(space)))});
  });
  return out;
}

const ListedModule* find_module(const std::vector<ListedModule>& modules, std::string_view path) {
  for (const auto& m : modules)
    if (m.path == path) return &m;
  return nullptr;
}

std::string go_directive(std::string_view mod_text) {
  std::string found;
  for_each_line(mod_text, [&](std::string_view line) {
    if (!found.empty() || !line.starts_with("go ")) return;
    std::string_view v = trim(line.substr(3));
    found = std::string(v.substr(0, v.find_first_of(" \t/")));
  });
  return found;
}

bool go_line_at_least(std::string_view go_line, int major, int minor) {
  int ma = 0, mi = 0;
  if (std::sscanf(std::string(go_line).c_str(), "%d.%d", &ma, &mi) < 1) return false;
  return ma != major ? ma > major : mi >= minor;
}

bool same_identity(const BuildIdentity& plain, const BuildIdentity& woven) {
  if (plain.go_line != woven.go_line) return false;
  return std::all_of(plain.modules.begin(), plain.modules.end(), [&](const ListedModule& m) {
    const ListedModule* w = find_module(woven.modules, m.path);
    return w != nullptr && *w == m;
  });
}

std::string describe_identity_change(const BuildIdentity& plain, const BuildIdentity& woven,
                                     const std::vector<Requirement>& woven_graph) {
  std::string lines;
  if (plain.go_line != woven.go_line) {
    std::string target = "go@" + woven.go_line;
    lines += "\n  go line: go " + plain.go_line + " in your build, go " + woven.go_line +
             " in the instrumented build" + because(requirers(woven_graph, target), target);
  }
  for (const auto& m : plain.modules) {
    const ListedModule* w = find_module(woven.modules, m.path);
    if (w != nullptr && *w == m) continue;
    lines += "\n  " + m.path + ": " + m.describe() + " in your build, ";
    if (w == nullptr) {
      lines += "absent from the instrumented build";
      continue;
    }
    std::string target = m.path + "@" + w->version;
    lines += w->describe() + " in the instrumented build" +
             because(requirers(woven_graph, target), target);
  }
  return "adding " + std::string(kRuntimeModule) +
         " would change what your build compiles, so goinstr stops before compiling (your "
         "go.mod is not changed):" +
         lines +
         "\n  goinstr builds only with the versions and the go line of your plain build. If your "
         "program works with the newer version, require it in your go.mod (go get "
         "MODULE@VERSION) and build again.";
}

}  // namespace goinstr::gobuild
