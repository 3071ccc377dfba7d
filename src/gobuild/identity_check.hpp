// SPDX-License-Identifier: Apache-2.0
// The version-identity check every instrumented build passes before it compiles: `go list -m
// all` and the go line of the plain build against those of the go.mod (or go.work) copy that
// adds the runtime. Its verdict is kept beside the copy, under the same key, so that a warm
// rebuild runs no go command for it.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "gobuild/module_list.hpp"
#include "gobuild/runtime_module.hpp"

namespace goinstr::gobuild {

// What an earlier build found for a copy: the runtime module it uses and, when the copy would
// change the build, the error to give again.
struct CopyVerdict {
  RuntimeModule rt;
  std::string error;  // empty: the copy keeps the plain build's identity
};

// The verdict kept in `dir`; nullopt when there is none (or its runtime module is gone).
std::optional<CopyVerdict> load_verdict(const std::filesystem::path& dir);

Result<> save_verdict(const std::filesystem::path& dir, const CopyVerdict& verdict);

// `go list -m all` with `flags` (-modfile, -mod) and `env` (GOWORK), parsed. `what` names the
// build in the error ("your build", "the instrumented build").
Result<std::vector<ListedModule>> list_modules(const std::vector<std::string>& flags,
                                               const std::vector<std::string>& env,
                                               const std::string& what);

// "" when `woven` keeps `plain`'s go line and versions; else the error text, with the
// requirements (`go mod graph` of the woven build, run only then) that raised each version.
Result<std::string> check_identity(const BuildIdentity& plain, const BuildIdentity& woven,
                                   const std::vector<std::string>& woven_flags,
                                   const std::vector<std::string>& woven_env);

}  // namespace goinstr::gobuild
