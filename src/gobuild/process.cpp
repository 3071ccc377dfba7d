// SPDX-License-Identifier: Apache-2.0
#include "gobuild/process.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

extern char** environ;

namespace goinstr::gobuild {
namespace {

std::vector<char*> c_strings(const std::vector<std::string>& v) {
  std::vector<char*> out;
  out.reserve(v.size() + 1);
  for (const auto& s : v) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

// Our environment with `extra` set (an entry for the same name is replaced).
std::vector<std::string> merged_environment(const std::vector<std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string_view entry(*e);
    std::string_view name = entry.substr(0, entry.find('='));
    bool overridden = false;
    for (const auto& x : extra)
      if (x.compare(0, name.size() + 1, std::string(name) + "=") == 0) overridden = true;
    if (!overridden) env.emplace_back(entry);
  }
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

}  // namespace

std::string join_command(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) {
    if (!out.empty()) out += ' ';
    bool plain = !a.empty() && a.find_first_of(" \t'\"\\$") == std::string::npos;
    out += plain ? a : "'" + a + "'";
  }
  return out;
}

Result<Captured> run_capture(const std::vector<std::string>& argv,
                             const std::vector<std::string>& env, bool quiet) {
  int pipefd[2];
  if (pipe2(pipefd, O_CLOEXEC) != 0) return fail_errno("pipe");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipefd[1], STDOUT_FILENO);
  if (quiet) posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  auto args = c_strings(argv);
  auto env_strings = merged_environment(env);
  auto envp = c_strings(env_strings);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, argv[0].c_str(), &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  close(pipefd[1]);
  if (rc != 0) {
    close(pipefd[0]);
    return fail_errno("cannot run " + argv[0], rc);
  }
  Captured result;
  char buf[8192];
  while (true) {
    ssize_t n = read(pipefd[0], buf, sizeof buf);
    if (n > 0) {
      result.out.append(buf, static_cast<size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  close(pipefd[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

Result<std::string> run_checked(const std::vector<std::string>& argv,
                                const std::vector<std::string>& env) {
  ASSIGN_OR_RETURN(Captured c, run_capture(argv, env));
  if (c.exit_code != 0)
    return fail("`" + join_command(argv) + "` failed (exit " + std::to_string(c.exit_code) + ")");
  return std::move(c.out);
}

Result<> exec_replace(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
  for (const auto& e : env) putenv(strdup(e.c_str()));  // lives until exec
  auto args = c_strings(argv);
  execvp(argv[0].c_str(), args.data());
  return fail_errno("cannot run " + argv[0]);
}

}  // namespace goinstr::gobuild
