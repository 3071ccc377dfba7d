// SPDX-License-Identifier: Apache-2.0
// goinstr attach --pid N | --exe PATH: traces a running process, or every process of an
// executable (present and future), until goinstr is stopped or the traced process exits.
#include <poll.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <filesystem>
#include <memory>

#include "cli/commands.hpp"
#include "cli/session.hpp"

namespace goinstr::cli {
namespace {

struct AttachOptions {
  config::Flags flags;
  pid_t pid = 0;
  std::string exe;
};

// Waits for SIGINT/SIGTERM, or for the traced process to exit when there is one.
void wait_until_done(int pidfd) {
  sigset_t set = handled_signals();
  timespec tick{0, 200'000'000};
  for (;;) {
    siginfo_t info{};
    int sig = sigtimedwait(&set, &info, &tick);
    if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP || sig == SIGQUIT) return;
    if (pidfd >= 0) {
      pollfd p{pidfd, POLLIN, 0};
      if (poll(&p, 1, 0) > 0) {
        spdlog::info("the traced process exited");
        return;
      }
    }
  }
}

int attach_command(const AttachOptions& opts) {
  if ((opts.pid > 0) == !opts.exe.empty()) {
    spdlog::error("attach: give exactly one of --pid or --exe");
    return 2;
  }
  block_handled_signals();
  auto session = Session::create(opts.flags);
  if (!session) {
    spdlog::error("attach: {}", session.error().message);
    return 1;
  }
  if ((*session)->config().sdk_disabled || !(*session)->config().http_enabled) {
    spdlog::info(
        "nothing to attach: OTEL_SDK_DISABLED is true or instrumentation.http.enabled "
        "is false");
    return 0;
  }
  std::string executable = opts.exe;
  int pidfd = -1;
  if (opts.pid > 0) {
    executable = "/proc/" + std::to_string(opts.pid) + "/exe";
    pidfd = static_cast<int>(syscall(SYS_pidfd_open, opts.pid, 0));
    if (pidfd < 0) {
      spdlog::error("attach: process {}: {}", opts.pid, std::strerror(errno));
      return 1;
    }
  } else if (!std::filesystem::exists(executable)) {
    spdlog::error("attach: {}: No such file or directory", executable);
    return 1;
  }
  auto target = (*session)->trace(executable, opts.pid > 0 ? opts.pid : -1);
  if (!target) {
    spdlog::error("attach: {}", target.error().message);
    return 1;
  }
  if (auto started = (*session)->agent().start(); !started) {
    spdlog::error("attach: {}", started.error().message);
    return 1;
  }
  spdlog::info("tracing {} ({}, {}); Ctrl-C to stop",
               opts.pid > 0 ? "pid " + std::to_string(opts.pid) : "every process of " + executable,
               executable, target->go_version);
  wait_until_done(pidfd);
  return (*session)->finish() ? 0 : 1;
}

}  // namespace

void add_attach_command(CLI::App& app, Action& action) {
  auto opts = std::make_shared<AttachOptions>();
  auto* cmd =
      app.add_subcommand("attach", "Trace a running Go process, or every process of an executable");
  add_common_flags(*cmd, opts->flags);
  cmd->add_option("--pid", opts->pid, "Process id to trace");
  cmd->add_option("--exe", opts->exe, "Executable whose processes to trace, including later ones");
  cmd->callback([&action, opts] { action = [opts] { return attach_command(*opts); }; });
}

}  // namespace goinstr::cli
