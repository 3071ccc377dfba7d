// SPDX-License-Identifier: Apache-2.0
// The arguments of `goinstr go SUBCOMMAND ...`: passed to the go command unchanged, except the
// few flags goinstr must merge with its own (-tags, -overlay, -modfile, -mod) and -C, which
// decides where everything runs.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace goinstr::gobuild {

struct GoArgs {
  std::string subcommand;         // build, run, test, install, vet, list
  std::vector<std::string> rest;  // the user's arguments minus the flags below
  std::vector<std::string> tags;  // from -tags
  std::optional<std::string> overlay;
  std::optional<std::string> modfile;
  std::optional<std::string> mod;    // -mod=readonly|vendor|mod
  std::optional<std::string> chdir;  // -C
  bool verbose = false;              // -v (kept in rest as well)
};

// Which subcommands goinstr runs: the ones it instruments, and list (the instrumented build's
// module graph and packages).
bool supported_subcommand(const std::string& name);

Result<GoArgs> parse_go_args(const std::vector<std::string>& args);

// Whether go build/test flag `name` (without dashes) takes a value.
bool flag_takes_value(std::string_view name);

}  // namespace goinstr::gobuild
