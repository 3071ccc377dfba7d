// SPDX-License-Identifier: Apache-2.0
// Weaving packages outside the standard library and the user's modules (otelhttp, for one):
// the go command refuses overlays beneath GOMODCACHE, so such a module is built from a mirror
// (symbolic links to the module cache, real directories down to the woven package) that the
// build's go.mod or go.work copy names in a `replace`.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "gobuild/go_env.hpp"

namespace goinstr::gobuild {

struct ThirdPartyPackage {
  std::string import_path;
  std::filesystem::path dir;  // the package directory to weave (inside the mirror, if any)
  std::string module;
  std::string version;  // the module's release; "" when a replace points at a directory
  std::filesystem::path replace_with;  // the mirror to `replace` the module with; empty if local
};

struct ModuleContext {
  std::vector<std::string> flags;  // -modfile=...
  std::vector<std::string> env;    // GOWORK=...
  std::string sums;                // go.sum / go.work.sum text: which modules the build may use
};

// The packages among `import_paths` that the build's module graph has (others are skipped:
// the program does not use them). Runs `go list -find` only for paths whose module appears in
// the sums.
Result<std::vector<ThirdPartyPackage>> locate_third_party(
    const std::vector<std::string>& import_paths, const GoEnv& env, const ModuleContext& mods,
    const std::filesystem::path& cache);

// A copy of `modfile` (and its go.sum) with `replace MODULE => MIRROR` for each package that
// needs one; `modfile` itself when none does.
Result<std::filesystem::path> modfile_with_replacements(
    const std::filesystem::path& modfile, const std::vector<ThirdPartyPackage>& packages,
    const std::filesystem::path& cache);

}  // namespace goinstr::gobuild
