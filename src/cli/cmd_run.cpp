// SPDX-License-Identifier: Apache-2.0
// goinstr run [options] -- CMD ARGS...: starts CMD with probes in place before its first
// instruction, forwards signals to it, flushes spans when it exits, and exits with its code.
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>

#include <memory>

#include "agent/launcher.hpp"
#include "cli/commands.hpp"
#include "cli/session.hpp"
#include "obj/go_binary.hpp"

namespace goinstr::cli {
namespace {

struct RunOptions {
  config::Flags flags;
  std::vector<std::string> command;
};

int exit_code_of(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

// Waits for the child, forwarding signals sent to goinstr. A signal the terminal sent (Ctrl-C)
// already reached the child, which shares our process group, so it is not sent twice.
int supervise(pid_t child) {
  sigset_t set = handled_signals();
  for (;;) {
    siginfo_t info{};
    int sig = sigwaitinfo(&set, &info);
    if (sig < 0) continue;
    if (sig == SIGCHLD) {
      int status = 0;
      pid_t done = waitpid(child, &status, WNOHANG);
      if (done == child) return exit_code_of(status);
      continue;
    }
    if (info.si_code == SI_KERNEL) continue;  // from the tty: the child got it too
    kill(child, sig);
  }
}

int run_command(const RunOptions& opts) {
  block_handled_signals();
  auto session = Session::create(opts.flags);
  if (!session) {
    spdlog::error("run: {}", session.error().message);
    return 1;
  }
  auto child = agent::spawn_stopped(opts.command);
  if (!child) {
    spdlog::error("run: {}", child.error().message);
    return 127;
  }
  if ((*session)->config().sdk_disabled || !(*session)->config().http_enabled) {
    spdlog::info("{}: running {} without instrumentation",
                 (*session)->config().sdk_disabled ? "OTEL_SDK_DISABLED is true"
                                                   : "instrumentation.http.enabled is false",
                 child->executable);
    if (auto resumed = agent::resume(child->pid); !resumed) {
      spdlog::error("run: {}", resumed.error().message);
      return 1;
    }
    return supervise(child->pid);
  }
  auto target = (*session)->trace(child->executable, child->pid);
  if (!target) {
    spdlog::error("run: {}", target.error().message);
    kill(child->pid, SIGKILL);
    agent::resume(child->pid);
    waitpid(child->pid, nullptr, 0);
    return 1;
  }
  if (auto started = (*session)->agent().start(); !started) {
    spdlog::error("run: {}", started.error().message);
    kill(child->pid, SIGKILL);
    return 1;
  }
  spdlog::info("tracing {} (pid {}, {})", child->executable, child->pid, target->go_version);
  if (auto resumed = agent::resume(child->pid); !resumed) {
    spdlog::error("run: {}", resumed.error().message);
    kill(child->pid, SIGKILL);
    return 1;
  }
  int code = supervise(child->pid);
  (*session)->finish();
  return code;
}

}  // namespace

void add_run_command(CLI::App& app, Action& action) {
  auto opts = std::make_shared<RunOptions>();
  auto* cmd = app.add_subcommand("run", "Run a Go program with tracing from its first request");
  add_common_flags(*cmd, opts->flags);
  cmd->add_option("command", opts->command, "The program and its arguments, after --")->required();
  cmd->footer("Example: goinstr run --endpoint http://localhost:4318 -- ./server -addr :8080");
  cmd->callback([&action, opts] { action = [opts] { return run_command(*opts); }; });
}

}  // namespace goinstr::cli
