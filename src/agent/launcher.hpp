// SPDX-License-Identifier: Apache-2.0
// Starts a command stopped right after exec, so the agent can attach its probes to the new
// process image before the first instruction of the program runs: `goinstr run` sees the very
// first request. The stop uses ptrace(PTRACE_TRACEME): the child stops with SIGTRAP after a
// successful execve, and resume() detaches, leaving no tracer behind.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "common/result.hpp"

namespace goinstr::agent {

struct StoppedChild {
  pid_t pid = -1;
  std::string executable;  // resolved through PATH, as execvp would
};

// Resolves argv[0] like execvp (PATH search when it has no slash).
Result<std::string> resolve_command(const std::string& command);
Result<StoppedChild> spawn_stopped(const std::vector<std::string>& argv);
Result<> resume(pid_t pid);

}  // namespace goinstr::agent
