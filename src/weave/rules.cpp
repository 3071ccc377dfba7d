// SPDX-License-Identifier: Apache-2.0
#include "weave/rules.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "common/digest.hpp"
#include "common/embedded.hpp"
#include "common/semver.hpp"

namespace goinstr {
extern const EmbeddedFile kEmbeddedRules[];
extern const size_t kEmbeddedRules_count;
}  // namespace goinstr

namespace goinstr::weave {
namespace {

const std::set<std::string, std::less<>> kKeys = {
    "id",      "package", "function",        "directive",    "prepend",
    "imports", "declare", "declare_imports", "name_results", "versions"};

const std::set<std::string, std::less<>> kPlaceholders = {"error_result", "ctx_arg", "ctx_lhs",
                                                          "function"};

// "name path" or "path".
Result<Import> parse_import(const std::string& text) {
  std::istringstream in(text);
  std::string a, b, extra;
  in >> a >> b >> extra;
  if (a.empty() || !extra.empty())
    return fail("import \"" + text + "\" is not \"path\" or \"name path\"");
  if (b.empty()) return Import{"", a};
  return Import{a, b};
}

Result<std::vector<Import>> parse_imports(const YAML::Node& node) {
  std::vector<Import> out;
  if (!node) return out;
  if (!node.IsSequence()) return fail("imports must be a list");
  for (const auto& item : node) {
    ASSIGN_OR_RETURN(Import imp, parse_import(item.as<std::string>()));
    out.push_back(std::move(imp));
  }
  return out;
}

Result<void> check_placeholders(const std::string& text) {
  for (size_t at = text.find("{{"); at != std::string::npos; at = text.find("{{", at + 2)) {
    size_t close = text.find("}}", at);
    if (close == std::string::npos) return fail("unclosed {{ in prepend");
    std::string name = text.substr(at + 2, close - at - 2);
    bool result_n = name.starts_with("result.") && name.size() > 7 &&
                    std::all_of(name.begin() + 7, name.end(), ::isdigit);
    if (!result_n && !kPlaceholders.contains(name))
      return fail("unknown placeholder {{" + name + "}} in prepend");
  }
  return {};
}

Result<Rule> parse_rule(const YAML::Node& node) {
  if (!node.IsMap()) return fail("a rule must be a map");
  for (const auto& kv : node) {
    auto key = kv.first.as<std::string>();
    if (!kKeys.contains(key)) return fail("unknown key '" + key + "'");
  }
  Rule r;
  auto str = [&](const char* key) {
    return node[key] ? node[key].as<std::string>() : std::string();
  };
  r.id = str("id");
  r.package = str("package");
  r.directive = str("directive");
  r.prepend = str("prepend");
  r.declare = str("declare");
  r.versions = str("versions");
  r.name_results = node["name_results"] && node["name_results"].as<bool>();
  std::string function = str("function");
  if (size_t dot = function.find('.'); dot != std::string::npos) {
    r.receiver = function.substr(0, dot);
    r.function = function.substr(dot + 1);
  } else {
    r.function = function;
  }
  if (r.id.empty()) return fail("missing 'id'");
  if (r.package.empty()) return fail("rule '" + r.id + "': missing 'package'");
  if (!r.function.empty() && !r.directive.empty())
    return fail("rule '" + r.id + "': give only one of 'function' and 'directive'");
  if (r.function.empty() && r.directive.empty() && r.declare.empty())
    return fail("rule '" + r.id + "': give one of 'function', 'directive' and 'declare'");
  if (r.function.empty() && r.directive.empty() && !r.prepend.empty())
    return fail("rule '" + r.id + "': 'prepend' needs a 'function' or a 'directive'");
  if (!r.versions.empty()) {
    if (r.targets_module_code())
      return fail("rule '" + r.id + "': 'versions' needs one import path, not '" + r.package + "'");
    if (auto ok = version_satisfies(r.versions, SemVer{}); !ok)
      return std::unexpected(ok.error().context("rule '" + r.id + "'"));
  }
  if (r.prepend.find('\n') != std::string::npos)
    return fail("rule '" + r.id +
                "': 'prepend' must be one line (use YAML '>-'), so woven files keep their line "
                "numbers");
  if (auto ok = check_placeholders(r.prepend); !ok)
    return std::unexpected(ok.error().context("rule '" + r.id + "'"));
  auto imports = parse_imports(node["imports"]);
  if (!imports) return std::unexpected(imports.error().context("rule '" + r.id + "'"));
  r.imports = std::move(*imports);
  auto declare_imports = parse_imports(node["declare_imports"]);
  if (!declare_imports)
    return std::unexpected(declare_imports.error().context("rule '" + r.id + "'"));
  r.declare_imports = std::move(*declare_imports);
  if (!r.declare.empty() && r.targets_module_code())
    return fail("rule '" + r.id + "': 'declare' needs one import path, not '" + r.package + "'");
  return r;
}

}  // namespace

Result<std::vector<Rule>> parse_rules(std::string_view yaml_text, std::string_view origin) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    return fail(std::string(origin) + ": " + e.what());
  }
  std::vector<Rule> rules;
  if (root.IsNull()) return rules;
  if (!root.IsSequence()) return fail(std::string(origin) + ": expected a list of rules");
  size_t index = 0;
  for (const auto& node : root) {
    ++index;
    try {
      auto rule = parse_rule(node);
      if (!rule)
        return std::unexpected(
            rule.error().context(std::string(origin) + ": rule " + std::to_string(index)));
      rules.push_back(std::move(*rule));
    } catch (const YAML::Exception& e) {
      return fail(std::string(origin) + ": rule " + std::to_string(index) + ": " + e.what());
    }
  }
  return rules;
}

Result<RuleSet> rules_from_texts(const std::vector<std::pair<std::string, std::string>>& files) {
  RuleSet set;
  Sha256 digest;
  std::set<std::string> ids;
  for (const auto& [origin, text] : files) {
    digest.add(text);
    ASSIGN_OR_RETURN(auto rules, parse_rules(text, origin));
    for (auto& r : rules) {
      if (!ids.insert(r.id).second) return fail(origin + ": rule id '" + r.id + "' is used twice");
      set.rules.push_back(std::move(r));
    }
  }
  set.digest = digest.hex();
  return set;
}

Result<RuleSet> load_rules() {
  std::vector<std::pair<std::string, std::string>> files;
  for (size_t i = 0; i < kEmbeddedRules_count; ++i) {
    if (!kEmbeddedRules[i].path.ends_with(".yaml")) continue;
    files.emplace_back(std::string(kEmbeddedRules[i].path), std::string(kEmbeddedRules[i].text));
  }
  if (const char* extra = std::getenv("GOINSTR_RULES"); extra != nullptr && *extra != '\0') {
    std::istringstream list(extra);
    for (std::string path; std::getline(list, path, ':');) {
      if (path.empty()) continue;
      std::ifstream in(path);
      if (!in) return fail("GOINSTR_RULES: cannot read " + path);
      std::ostringstream text;
      text << in.rdbuf();
      files.emplace_back(path, text.str());
    }
  }
  return rules_from_texts(files);
}

std::vector<const Rule*> RuleSet::for_import_path(std::string_view import_path) const {
  std::vector<const Rule*> out;
  for (const auto& r : rules)
    if (r.package == import_path) out.push_back(&r);
  return out;
}

std::vector<std::string> RuleSet::named_import_paths() const {
  std::vector<std::string> out;
  for (const auto& r : rules)
    if (!r.targets_module_code() && std::find(out.begin(), out.end(), r.package) == out.end())
      out.push_back(r.package);
  return out;
}

}  // namespace goinstr::weave
