// SPDX-License-Identifier: Apache-2.0
// Running the go command: capture its stdout for queries (go env, go mod edit), or replace this
// process with it for the build itself, so exit codes and signals are the go command's own.
#pragma once

#include <string>
#include <vector>

#include "common/result.hpp"

namespace goinstr::gobuild {

struct Captured {
  int exit_code = 0;
  std::string out;  // stdout; stderr goes to ours, so the user sees the go command's messages
};

// Runs argv (PATH search), waits, and returns its stdout. `env` entries ("K=V") are added to
// this process's environment for the child. `quiet`: its stderr goes to /dev/null (a probe whose
// failure is an answer, not a message for the user).
Result<Captured> run_capture(const std::vector<std::string>& argv,
                             const std::vector<std::string>& env = {}, bool quiet = false);

// As run_capture, but fails unless the command exits 0; the error quotes the command.
Result<std::string> run_checked(const std::vector<std::string>& argv,
                                const std::vector<std::string>& env = {});

// Replaces this process with argv; returns only on failure.
Result<> exec_replace(const std::vector<std::string>& argv,
                      const std::vector<std::string>& env = {});

std::string join_command(const std::vector<std::string>& argv);

}  // namespace goinstr::gobuild
