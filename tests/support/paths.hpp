// SPDX-License-Identifier: Apache-2.0
// Where tests find the repo and the build tree, and how they build the Go programs they trace.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "src/common/result.hpp"

namespace goinstr::testing {

// The repo root (GOINSTR_SOURCE_DIR) and CMake build dir (GOINSTR_BINARY_DIR), fixed at
// configure time so tests work from any working directory ctest picks.
std::filesystem::path source_dir();
std::filesystem::path binary_dir();

// Runs `go build -o out_path extra_args... .` inside package_dir (a Go module or package dir).
// `env` is added to the environment (e.g. GOTOOLCHAIN, CGO_ENABLED). The go binary is $GOINSTR_GO
// or `go` from PATH. On failure the error message carries go's own output.
Result<void> build_go(const std::filesystem::path& package_dir,
                      const std::filesystem::path& out_path,
                      const std::vector<std::string>& extra_args = {},
                      const std::map<std::string, std::string>& env = {},
                      std::chrono::milliseconds timeout = std::chrono::minutes(10));

}  // namespace goinstr::testing
