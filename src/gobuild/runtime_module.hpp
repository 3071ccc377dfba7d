// SPDX-License-Identifier: Apache-2.0
// The Go side of compile-time instrumentation: module goinstr.dev/rt (gort/ in this repository,
// compiled into the goinstr binary) holds the OpenTelemetry SDK setup and the hook functions
// woven code calls. A build gets it without any change to the user's go.mod: goinstr writes a
// copy of go.mod and go.sum that also requires it (go build -modfile), in goinstr's cache.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "gobuild/go_env.hpp"

namespace goinstr::gobuild {

inline constexpr const char* kRuntimeModule = "goinstr.dev/rt";

struct RuntimeModule {
  std::filesystem::path dir;  // where its go.mod is
  std::string digest;         // of every embedded file: changes whenever the module does
};

// Writes the embedded module under the cache (once per version) and returns it.
Result<RuntimeModule> materialize_runtime_module(const std::filesystem::path& cache);

struct ModuleFiles {
  std::filesystem::path modfile;  // pass as -modfile; the go.sum beside it holds the sums
  bool reused = false;            // true when an earlier build prepared the same files
};

// A go.mod/go.sum pair for the build: the user's (or `user_modfile`) plus a requirement on the
// runtime module, replaced by its local directory, with the sums of everything it adds. Kept
// by content digest: a later build with the same go.mod and go.sum reuses it without running
// the go command.
Result<ModuleFiles> prepare_modfile(const GoEnv& env, const RuntimeModule& rt,
                                    const std::filesystem::path& cache,
                                    const std::filesystem::path& user_modfile);

struct WorkspaceFiles {
  std::filesystem::path gowork;                     // pass as GOWORK
  std::vector<std::filesystem::path> module_roots;  // the user's modules in the workspace
};

// For go.work builds (where -modfile is refused): a copy of the workspace that also uses the
// runtime module, with every path made absolute and go.work.sum copied beside it.
// `replaces` adds `replace MODULE => DIR` lines (third-party mirrors).
Result<WorkspaceFiles> prepare_workfile(
    const GoEnv& env, const RuntimeModule& rt, const std::filesystem::path& cache,
    const std::vector<std::pair<std::string, std::filesystem::path>>& replaces = {});

}  // namespace goinstr::gobuild
