// SPDX-License-Identifier: Apache-2.0
// How a build gets goinstr's runtime module without any change to the user's files: goinstr
// writes a copy of go.mod and go.sum (go build -modfile) or, in a workspace, of go.work (GOWORK)
// that also requires goinstr.dev/rt, replaced by its directory in goinstr's cache, and checks
// that the copy selects exactly the plain build's versions and go line before anything compiles.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "common/result.hpp"
#include "gobuild/go_env.hpp"
#include "gobuild/runtime_module.hpp"

namespace goinstr::gobuild {

struct ModuleFiles {
  std::filesystem::path modfile;  // pass as -modfile; the go.sum beside it holds the sums
  RuntimeModule rt;               // the runtime module the copy requires
  bool reused = false;            // an earlier build prepared and checked the same files
};

// A go.mod/go.sum pair for the build: the user's (or `user_modfile`) plus a requirement on the
// runtime module, with the sums of what the runtime adds. Kept by content digest (the user's
// go.mod and go.sum, the embedded runtime, the Go version): a later build with the same inputs
// reuses it, and the identity verdict, without running the go command. Fails, naming each
// module, both versions and the requirement responsible, when the copy would select other
// versions or another go line than the plain build.
Result<ModuleFiles> prepare_modfile(const GoEnv& env, const std::filesystem::path& cache,
                                    const std::filesystem::path& user_modfile);

struct WorkspaceFiles {
  std::filesystem::path gowork;                     // pass as GOWORK
  std::vector<std::filesystem::path> module_roots;  // the user's modules in the workspace
  RuntimeModule rt;
};

// For go.work builds (where -modfile is refused): a copy of the workspace that also uses the
// runtime module, with every path made absolute and go.work.sum copied beside it, checked as
// prepare_modfile's copy is. `replaces` adds `replace MODULE => DIR` lines (third-party mirrors).
Result<WorkspaceFiles> prepare_workfile(
    const GoEnv& env, const std::filesystem::path& cache,
    const std::vector<std::pair<std::string, std::filesystem::path>>& replaces = {});

}  // namespace goinstr::gobuild
