// SPDX-License-Identifier: Apache-2.0
#include "agent/launcher.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <sstream>

namespace goinstr::agent {

Result<std::string> resolve_command(const std::string& command) {
  if (command.find('/') != std::string::npos) {
    if (access(command.c_str(), X_OK) != 0) return fail_errno("cannot run " + command);
    return command;
  }
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/local/bin:/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    std::string candidate = (dir.empty() ? "." : dir) + "/" + command;
    struct stat st {};
    if (stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
  }
  return fail("cannot run " + command + ": not found in PATH");
}

Result<StoppedChild> spawn_stopped(const std::vector<std::string>& argv) {
  if (argv.empty()) return fail("no command given");
  ASSIGN_OR_RETURN(std::string executable, resolve_command(argv[0]));
  // A close-on-exec pipe tells the parent why execve failed: it stays silent on success.
  int report[2];
  if (pipe2(report, O_CLOEXEC) != 0) return fail_errno("pipe");
  pid_t pid = fork();
  if (pid < 0) return fail_errno("fork");
  if (pid == 0) {
    close(report[0]);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);  // the agent blocks signals; the service must not
    ptrace(PTRACE_TRACEME, 0, nullptr, nullptr);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(executable.c_str(), args.data());
    int err = errno;
    (void)!write(report[1], &err, sizeof(err));
    _exit(127);
  }
  close(report[1]);
  int exec_errno = 0;
  ssize_t n = read(report[0], &exec_errno, sizeof(exec_errno));
  close(report[0]);
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) return fail_errno("waitpid");
  // The waitpid above reaped a child whose exec failed.
  if (n == sizeof(exec_errno)) return fail_errno("cannot run " + executable, exec_errno);
  if (!WIFSTOPPED(status)) return fail("the command exited before it started: " + executable);
  return StoppedChild{pid, executable};
}

Result<> resume(pid_t pid) {
  if (ptrace(PTRACE_DETACH, pid, nullptr, nullptr) != 0) return fail_errno("resume command");
  return {};
}

}  // namespace goinstr::agent
