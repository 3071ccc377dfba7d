// SPDX-License-Identifier: Apache-2.0
// The processes a bench run starts: builds, the service, attach-style tools. Each runs as
// `/bin/sh -c COMMAND` in its own process group with stdout and stderr in one log file (so ready
// lines are found whichever stream they go to, and the log explains a failure afterwards), and
// dies with goinstr (PR_SET_PDEATHSIG) so an interrupted bench leaves no server behind.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace goinstr::bench {

struct ChildSpec {
  std::string command;  // for /bin/sh -c
  std::filesystem::path cwd;
  std::map<std::string, std::string> env;  // over goinstr's own environment
  std::filesystem::path log;               // stdout and stderr; created or truncated
};

class Child {
 public:
  static Result<Child> start(const ChildSpec& spec);

  Child(Child&& other) noexcept;
  Child& operator=(Child&& other) noexcept;
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  // Kills the process group if it still runs.
  ~Child();

  pid_t pid() const { return pid_; }
  // Reaps the child if it has exited; false then.
  bool running();
  // Exit code, or -signal; nothing while it runs.
  std::optional<int> status() const { return status_; }
  // Waits up to `timeout` for the child to exit.
  std::optional<int> wait(std::chrono::milliseconds timeout);
  // SIGTERM to the child, then SIGKILL to its group after `grace`. Returns the exit status.
  int stop(std::chrono::milliseconds grace);

  std::string output() const;
  // Polls the log until it contains `needle`; returns the rest of that line. Nothing when the
  // child exits first or the deadline passes.
  std::optional<std::string> wait_for_text(std::string_view needle,
                                           std::chrono::milliseconds timeout);

 private:
  Child() = default;
  void kill_group();

  pid_t pid_ = -1;
  std::optional<int> status_;
  std::filesystem::path log_;
};

struct Finished {
  int status = 0;  // exit code, or -signal
  double seconds = 0;
  std::string output;
};

// Runs a command to completion (or kills it at `timeout`, status -SIGKILL).
Result<Finished> run_to_end(const ChildSpec& spec, std::chrono::milliseconds timeout);

// "exit status 2", "killed by signal 9".
std::string describe_status(int status);

// The first `max_lines` non-empty lines of `text`, joined with "\n": a failure's headline.
std::string first_lines(std::string_view text, size_t max_lines);
// The last `max_lines` lines: where a crashed service says why.
std::string last_lines(std::string_view text, size_t max_lines);

}  // namespace goinstr::bench
