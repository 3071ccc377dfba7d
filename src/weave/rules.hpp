// SPDX-License-Identifier: Apache-2.0
// Weaving rules: where compile-time instrumentation goes and what it adds, read from YAML data
// files (data/rules/*.yaml, compiled in; more from GOINSTR_RULES). The engine knows no package by
// name: every hook lives in a rule.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace goinstr::weave {

struct Import {
  std::string name;  // "" for the package's own name, "_" for a blank import
  std::string path;
};

// What a rule's `package` selects.
inline constexpr std::string_view kMainPackages = "main";  // main packages of the build's modules
inline constexpr std::string_view kModulePackages = "*";   // every package of the build's modules

struct Rule {
  std::string id;
  std::string package;    // import path, kMainPackages or kModulePackages
  std::string receiver;   // method receiver type name without '*'; "" for a function
  std::string function;   // "" when `directive` selects the functions
  std::string directive;  // "goinstr:span" selects functions documented with //goinstr:span
  std::string prepend;    // one line of Go with {{placeholders}}
  std::vector<Import> imports;
  bool name_results = false;
  std::string declare;  // package-level declarations, added once per package in a new file
  std::vector<Import> declare_imports;
  // Which releases of the package's module (the toolchain's, for the standard library) the rule
  // applies to: ">= v1.69.0", "< go1.27"; empty for all. Internals differ between releases, and
  // a rule outside its range is left out rather than failing the build.
  std::string versions;

  bool targets_module_code() const {
    return package == kMainPackages || package == kModulePackages;
  }
};

struct RuleSet {
  std::vector<Rule> rules;
  std::string digest;  // hex SHA-256 over every rule file's text: part of every cache key

  // The rules for one standard-library or third-party import path.
  std::vector<const Rule*> for_import_path(std::string_view import_path) const;
  // The import paths rules name, other than kMainPackages and kModulePackages.
  std::vector<std::string> named_import_paths() const;
};

// Parses one rule file; `origin` names it in errors ("net_http.yaml: rule 2: ...").
Result<std::vector<Rule>> parse_rules(std::string_view yaml_text, std::string_view origin);

// The compiled-in rules plus those in the files GOINSTR_RULES lists (colon-separated).
Result<RuleSet> load_rules();

// For tests: a rule set from texts, each {origin, yaml}.
Result<RuleSet> rules_from_texts(const std::vector<std::pair<std::string, std::string>>& files);

}  // namespace goinstr::weave
