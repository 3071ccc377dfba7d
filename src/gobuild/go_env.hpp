// SPDX-License-Identifier: Apache-2.0
// What the go command says about the build it is about to do (one `go env -json` call), and
// goinstr's own cache directory.
#pragma once

#include <filesystem>
#include <string>

#include "common/result.hpp"

namespace goinstr::gobuild {

struct GoEnv {
  std::filesystem::path goroot;
  std::filesystem::path gomod;   // the main module's go.mod; empty outside a module
  std::filesystem::path gowork;  // go.work in use; empty when none (or GOWORK=off)
  std::string goversion;         // "go1.26.8"
  std::string goflags;
  std::filesystem::path gomodcache;
};

// Runs `go env -json` in the current directory, with GOTOOLCHAIN and the rest of the
// environment as the build will see them.
Result<GoEnv> query_go_env();

// $GOINSTR_CACHE, else $XDG_CACHE_HOME/goinstr, else ~/.cache/goinstr; created if missing.
Result<std::filesystem::path> cache_root();

// Writes `text` to `path` through a temporary file and rename, so concurrent builds never see
// half a file; the directory is created.
Result<> write_file_atomic(const std::filesystem::path& path, std::string_view text);

Result<std::string> read_file(const std::filesystem::path& path);

}  // namespace goinstr::gobuild
