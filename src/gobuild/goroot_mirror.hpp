// SPDX-License-Identifier: Apache-2.0
// A toolchain that GOTOOLCHAIN downloaded lives in the module cache, and the go command refuses
// overlays for files beneath GOMODCACHE. For such a GOROOT goinstr builds through a mirror: a
// directory of symbolic links to the real GOROOT in which only the directories leading to woven
// packages are real, so overlay paths are outside the module cache. The build then runs the
// toolchain's own go binary with GOROOT pointing at the mirror.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "gobuild/go_env.hpp"

namespace goinstr::gobuild {

bool goroot_in_module_cache(const GoEnv& env);

// Creates (once per Go version) the mirror of env.goroot with real directories for
// `woven_packages` (import paths) and returns its path.
Result<std::filesystem::path> goroot_mirror(const GoEnv& env, const std::filesystem::path& cache,
                                            const std::vector<std::string>& woven_packages);

}  // namespace goinstr::gobuild
