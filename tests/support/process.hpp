// SPDX-License-Identifier: Apache-2.0
// Child processes for tests: the demo service, Jaeger, the goinstr CLI. Each child gets its own
// process group so that killing it also kills anything it forked (go run, sh -c), and its output
// goes to files so a test can both poll for readiness lines and print the log when it fails.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/common/result.hpp"

namespace goinstr::testing {

struct SubprocessOptions {
  // Not an aggregate on purpose: spawn(argv, {{"K", "V"}}) must pick the env overload.
  SubprocessOptions() = default;

  // Added to (or overriding) the parent's environment.
  std::map<std::string, std::string> env;
  std::optional<std::filesystem::path> cwd;
  // true: stdout/stderr go to files (read_stdout/read_stderr); false: inherited from the test.
  bool capture_output = true;
  // Where the capture files go. Empty: a private temp dir, removed with the Subprocess.
  std::filesystem::path output_dir;
};

class Subprocess {
 public:
  // argv[0] is looked up in PATH. Fails if the program cannot be started at all.
  static Result<Subprocess> spawn(const std::vector<std::string>& argv,
                                  const SubprocessOptions& options);
  // Shorthand: `env` is applied over options.env.
  static Result<Subprocess> spawn(const std::vector<std::string>& argv,
                                  const std::map<std::string, std::string>& env = {},
                                  SubprocessOptions options = {});

  Subprocess(Subprocess&& other) noexcept;
  Subprocess& operator=(Subprocess&& other) noexcept;
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;
  // Kills the whole process group if still running, so a failing test never leaks servers.
  ~Subprocess();

  pid_t pid() const { return pid_; }

  // Signals the child itself (e.g. SIGTERM for a graceful shutdown). False if it is gone.
  bool send_signal(int sig) const;
  // Signals every process in the child's group.
  bool signal_group(int sig) const;

  // Exit code, or -signal if killed by a signal; nullopt if still running at the deadline.
  std::optional<int> wait(std::chrono::milliseconds timeout);
  // Non-blocking: reaps the child if it has exited.
  bool running();
  // Sends SIGTERM, waits up to `grace`, then SIGKILLs the group. Returns the final status.
  int terminate(std::chrono::milliseconds grace = std::chrono::seconds(5));

  std::string read_stdout() const;
  std::string read_stderr() const;
  const std::filesystem::path& stdout_path() const { return stdout_path_; }
  const std::filesystem::path& stderr_path() const { return stderr_path_; }

  // Polls the captured stdout (or stderr) until it contains `needle`. Returns false at the
  // deadline, or as soon as the child has exited without printing it.
  bool wait_for_output(std::string_view needle, std::chrono::milliseconds timeout,
                       bool from_stderr = false);

  // "cmd: <argv>\nexit: <status>\nstdout:\n...\nstderr:\n..." for failure messages.
  std::string describe();

 private:
  Subprocess() = default;
  void reset();

  pid_t pid_ = -1;
  std::optional<int> status_;
  std::string command_;
  std::filesystem::path stdout_path_;
  std::filesystem::path stderr_path_;
  std::filesystem::path owned_dir_;  // removed on destruction when non-empty
};

// Decodes a waitpid status into the convention above (exit code, or -signal).
int decode_wait_status(int status);

}  // namespace goinstr::testing
