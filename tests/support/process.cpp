// SPDX-License-Identifier: Apache-2.0
#include "tests/support/process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>
#include <utility>

extern char** environ;

namespace goinstr::testing {
namespace {

using Clock = std::chrono::steady_clock;

std::string read_file(const std::filesystem::path& path) {
  if (path.empty()) return {};
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Builds "K=V" strings: the parent's environment with `extra` applied on top.
std::vector<std::string> merged_environment(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view kv(*e);
    std::string key(kv.substr(0, kv.find('=')));
    if (!extra.contains(key)) env.emplace_back(kv);
  }
  for (const auto& [k, v] : extra) env.push_back(k + "=" + v);
  return env;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// Short sleeps that grow, so quick children are noticed quickly without a busy loop.
class Backoff {
 public:
  void pause(Clock::time_point deadline) {
    auto now = Clock::now();
    if (now >= deadline) return;
    std::this_thread::sleep_for(std::min<Clock::duration>(delay_, deadline - now));
    delay_ = std::min<std::chrono::milliseconds>(delay_ * 2, std::chrono::milliseconds(50));
  }

 private:
  std::chrono::milliseconds delay_{1};
};

}  // namespace

int decode_wait_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return -WTERMSIG(status);
  return -1;
}

Result<Subprocess> Subprocess::spawn(const std::vector<std::string>& argv,
                                     const std::map<std::string, std::string>& env,
                                     SubprocessOptions options) {
  for (const auto& [k, v] : env) options.env[k] = v;
  return spawn(argv, options);
}

Result<Subprocess> Subprocess::spawn(const std::vector<std::string>& argv,
                                     const SubprocessOptions& options) {
  if (argv.empty()) return fail("spawn: empty argv");
  Subprocess proc;
  for (const auto& a : argv) proc.command_ += (proc.command_.empty() ? "" : " ") + a;

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // Own process group: signal_group() and the destructor reach grandchildren too.
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&attr, 0);
  // gtest or the caller may have blocked/ignored signals; the child starts clean.
  sigset_t empty_mask, all_signals;
  sigemptyset(&empty_mask);
  sigfillset(&all_signals);
  posix_spawnattr_setsigmask(&attr, &empty_mask);
  posix_spawnattr_setsigdefault(&attr, &all_signals);
  struct Cleanup {
    posix_spawn_file_actions_t* a;
    posix_spawnattr_t* b;
    ~Cleanup() {
      posix_spawn_file_actions_destroy(a);
      posix_spawnattr_destroy(b);
    }
  } cleanup{&actions, &attr};

  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  if (options.capture_output) {
    std::error_code ec;
    std::filesystem::path dir = options.output_dir;
    if (dir.empty()) {
      std::string tmpl =
          (std::filesystem::temp_directory_path(ec) / "goinstr-proc-XXXXXX").string();
      if (mkdtemp(tmpl.data()) == nullptr) return fail_errno("spawn: mkdtemp " + tmpl);
      dir = tmpl;
      proc.owned_dir_ = dir;
    } else {
      std::filesystem::create_directories(dir, ec);
      if (ec) return fail("spawn: create " + dir.string() + ": " + ec.message());
    }
    proc.stdout_path_ = dir / "stdout.log";
    proc.stderr_path_ = dir / "stderr.log";
    // The child opens the files itself, so no descriptor of ours has to stay inheritable.
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, proc.stdout_path_.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, proc.stderr_path_.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
  }
  if (options.cwd) {
    posix_spawn_file_actions_addchdir_np(&actions, options.cwd->c_str());
  }

  std::vector<std::string> args = argv;
  std::vector<std::string> env = merged_environment(options.env);
  auto c_args = c_strings(args);
  auto c_env = c_strings(env);
  // posix_spawnp searches the parent's PATH; an env override of PATH applies to the child only.
  int rc = posix_spawnp(&proc.pid_, c_args[0], &actions, &attr, c_args.data(), c_env.data());
  if (rc != 0) {
    proc.pid_ = -1;
    return fail_errno("spawn " + argv[0], rc);
  }
  return proc;
}

Subprocess::Subprocess(Subprocess&& other) noexcept {
  *this = std::move(other);
}

Subprocess& Subprocess::operator=(Subprocess&& other) noexcept {
  if (this != &other) {
    reset();
    pid_ = std::exchange(other.pid_, -1);
    status_ = std::exchange(other.status_, std::nullopt);
    command_ = std::move(other.command_);
    stdout_path_ = std::move(other.stdout_path_);
    stderr_path_ = std::move(other.stderr_path_);
    owned_dir_ = std::exchange(other.owned_dir_, {});
  }
  return *this;
}

Subprocess::~Subprocess() {
  reset();
}

void Subprocess::reset() {
  if (pid_ > 0) {
    // Kill the group even if the leader already exited: its children may still hold ports.
    ::kill(-pid_, SIGKILL);
    if (!status_) {
      int status = 0;
      while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
      }
      status_ = decode_wait_status(status);
    }
  }
  pid_ = -1;
  if (!owned_dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(owned_dir_, ec);
    owned_dir_.clear();
  }
}

bool Subprocess::send_signal(int sig) const {
  if (pid_ <= 0 || status_) return false;
  return ::kill(pid_, sig) == 0;
}

bool Subprocess::signal_group(int sig) const {
  if (pid_ <= 0) return false;
  return ::kill(-pid_, sig) == 0;
}

bool Subprocess::running() {
  if (pid_ <= 0 || status_) return false;
  int status = 0;
  pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    status_ = decode_wait_status(status);
    return false;
  }
  return r == 0;
}

std::optional<int> Subprocess::wait(std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  Backoff backoff;
  while (running()) {
    if (Clock::now() >= deadline) return std::nullopt;
    backoff.pause(deadline);
  }
  return status_;
}

int Subprocess::terminate(std::chrono::milliseconds grace) {
  if (running()) {
    send_signal(SIGTERM);
    if (!wait(grace)) {
      signal_group(SIGKILL);
      wait(std::chrono::seconds(10));
    }
  }
  return status_.value_or(-SIGKILL);
}

std::string Subprocess::read_stdout() const {
  return read_file(stdout_path_);
}
std::string Subprocess::read_stderr() const {
  return read_file(stderr_path_);
}

bool Subprocess::wait_for_output(std::string_view needle, std::chrono::milliseconds timeout,
                                 bool from_stderr) {
  const auto& path = from_stderr ? stderr_path_ : stdout_path_;
  if (path.empty()) return false;  // output is not captured
  auto deadline = Clock::now() + timeout;
  Backoff backoff;
  while (true) {
    // Check liveness before reading so output written just before exit is still seen.
    bool alive = running();
    if (read_file(path).find(needle) != std::string::npos) return true;
    if (!alive || Clock::now() >= deadline) return false;
    backoff.pause(deadline);
  }
}

std::string Subprocess::describe() {
  std::string out = "cmd: " + command_ + "\n";
  running();
  out += "exit: " + (status_ ? std::to_string(*status_) : std::string("running")) + "\n";
  if (!stdout_path_.empty()) out += "stdout:\n" + read_stdout() + "\n";
  if (!stderr_path_.empty()) out += "stderr:\n" + read_stderr() + "\n";
  return out;
}

}  // namespace goinstr::testing
