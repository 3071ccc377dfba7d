// SPDX-License-Identifier: Apache-2.0
// Decides which files of a build get woven and writes the go command's -overlay file: woven
// standard-library files (net/http, database/sql, os), woven files of the build's own modules
// (//goinstr:span, main), and added files (hook declarations; the blank imports that link the
// runtime, and its otel bridge, into every main package, and into test binaries under `go
// test`). Woven files live in goinstr's cache under the digest of what decides their text, so a
// second build hands the go command identical files and its build cache does the rest.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "gobuild/go_env.hpp"
#include "weave/rules.hpp"

namespace goinstr::gobuild {

struct WovenPackage {
  std::string package;  // import path (standard library) or directory (the build's modules)
  std::vector<std::string> rule_ids;
  size_t files = 0;
};

struct WeavePlan {
  std::map<std::string, std::string> replace;  // path the go command reads → woven file
  std::vector<WovenPackage> packages;
  // Said on every build: packages the build uses that no rule covers at their release.
  std::vector<std::string> notes;
};

struct WeaveInputs {
  const GoEnv* env = nullptr;
  const weave::RuleSet* rules = nullptr;
  std::vector<std::filesystem::path> module_roots;
  std::filesystem::path cache;
  bool link_into_tests = false;  // go test: every tested package's binary gets the runtime
  // The build's graph has the otel API (RuntimeModule::otel_bridge): the added files also link
  // goinstr.dev/rt/otelbridge, which joins goinstr's spans with the program's own.
  bool otel_bridge = false;
  // Directories of the third-party packages rules name that the build uses (third_party.hpp);
  // a rule for a third-party package missing here is skipped.
  std::map<std::string, std::filesystem::path> third_party_dirs;
  // Their modules' releases, for rules with `versions` ("" when a replace hides it).
  std::map<std::string, std::string> third_party_versions;
};

Result<WeavePlan> plan_weaving(const WeaveInputs& in);

bool is_standard_library_path(const std::string& import_path);

// Writes the overlay JSON (merged with the user's own -overlay, if any) and returns its path.
Result<std::filesystem::path> write_overlay(const WeavePlan& plan,
                                            const std::filesystem::path& cache,
                                            const std::optional<std::string>& user_overlay);

}  // namespace goinstr::gobuild
