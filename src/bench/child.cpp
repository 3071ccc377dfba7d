// SPDX-License-Identifier: Apache-2.0
#include "bench/child.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>
#include <utility>
#include <vector>

extern char** environ;

namespace goinstr::bench {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<std::string> merged_environment(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view kv(*e);
    if (!extra.contains(std::string(kv.substr(0, kv.find('='))))) env.emplace_back(kv);
  }
  for (const auto& [k, v] : extra) env.push_back(k + "=" + v);
  return env;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

int decode(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return -WTERMSIG(status);
  return -1;
}

// In the forked child: only async-signal-safe calls until exec.
[[noreturn]] void exec_child(const char* cwd, int out, char* const argv[], char* const envp[],
                             pid_t parent) {
  setpgid(0, 0);
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(127);  // goinstr died before the line above took effect
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int sig = 1; sig < NSIG; ++sig) signal(sig, SIG_DFL);
  int in = open("/dev/null", O_RDONLY);
  if (in < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0) _exit(127);
  if (*cwd != '\0' && chdir(cwd) != 0) _exit(127);
  execve("/bin/sh", argv, envp);
  _exit(127);
}

}  // namespace

Result<Child> Child::start(const ChildSpec& spec) {
  // Everything the child needs is built before fork: allocating after it is not safe when other
  // threads exist.
  std::vector<std::string> args = {"sh", "-c", spec.command};
  std::vector<std::string> env = merged_environment(spec.env);
  auto c_args = c_strings(args);
  auto c_env = c_strings(env);
  std::string cwd = spec.cwd.string();
  // The log is truncated here, before fork: were the child to do it, output() could still read
  // the previous run's log (same name in a reused --out) and find its stale "listening on" line.
  int out = open(spec.log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
  if (out < 0) return fail_errno("cannot create " + spec.log.string());
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    close(out);
    return fail_errno("fork");
  }
  if (pid == 0) exec_child(cwd.c_str(), out, c_args.data(), c_env.data(), parent);
  close(out);
  // Also from this side, so a signal to the group right after start cannot miss it.
  setpgid(pid, pid);
  Child child;
  child.pid_ = pid;
  child.log_ = spec.log;
  return child;
}

Child::Child(Child&& other) noexcept {
  *this = std::move(other);
}

Child& Child::operator=(Child&& other) noexcept {
  if (this != &other) {
    kill_group();
    pid_ = std::exchange(other.pid_, -1);
    status_ = std::exchange(other.status_, std::nullopt);
    log_ = std::move(other.log_);
  }
  return *this;
}

Child::~Child() {
  kill_group();
}

void Child::kill_group() {
  if (pid_ <= 0) return;
  // The group too when the leader already exited: what it forked may still hold a port.
  ::kill(-pid_, SIGKILL);
  if (!status_) {
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    status_ = decode(status);
  }
  pid_ = -1;
}

bool Child::running() {
  if (pid_ <= 0 || status_) return false;
  int status = 0;
  pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) status_ = decode(status);
  return r == 0;
}

std::optional<int> Child::wait(std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  auto pause = std::chrono::milliseconds(1);
  while (running() && Clock::now() < deadline) {
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(50));
  }
  return status_;
}

int Child::stop(std::chrono::milliseconds grace) {
  if (running()) {
    ::kill(pid_, SIGTERM);
    if (!wait(grace)) {
      ::kill(-pid_, SIGKILL);
      wait(std::chrono::seconds(10));
    }
  }
  // Whatever the leader left behind in its group goes too.
  if (pid_ > 0) ::kill(-pid_, SIGKILL);
  return status_.value_or(-SIGKILL);
}

std::string Child::output() const {
  std::ifstream in(log_, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::optional<std::string> Child::wait_for_text(std::string_view needle,
                                                std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  for (;;) {
    // Liveness first, so text written just before exiting is still found.
    bool alive = running();
    std::string text = output();
    if (size_t at = text.find(needle); at != std::string::npos) {
      size_t from = at + needle.size();
      size_t end = text.find_first_of("\r\n", from);
      if (end != std::string::npos || !alive) return text.substr(from, end - from);
    }
    if (!alive || Clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

Result<Finished> run_to_end(const ChildSpec& spec, std::chrono::milliseconds timeout) {
  auto started = Clock::now();
  ASSIGN_OR_RETURN(Child child, Child::start(spec));
  Finished done;
  auto status = child.wait(timeout);
  done.status = status ? *status : child.stop(std::chrono::milliseconds(0));
  done.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  done.output = child.output();
  return done;
}

std::string describe_status(int status) {
  if (status >= 0) return "exit status " + std::to_string(status);
  return "killed by signal " + std::to_string(-status);
}

std::string first_lines(std::string_view text, size_t max_lines) {
  std::string out;
  size_t lines = 0;
  while (!text.empty() && lines < max_lines) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    if (!out.empty()) out += "\n";
    out += line;
    ++lines;
  }
  return out;
}

std::string last_lines(std::string_view text, size_t max_lines) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  size_t start = text.size();
  for (size_t lines = 0; start > 0 && lines < max_lines; ++lines) {
    size_t nl = text.rfind('\n', start - 1);
    if (nl == std::string_view::npos) return std::string(text);
    start = lines + 1 == max_lines ? nl + 1 : nl;
  }
  return std::string(text.substr(start));
}

}  // namespace goinstr::bench
