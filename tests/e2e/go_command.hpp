// SPDX-License-Identifier: Apache-2.0
// Helpers for the end-to-end tests of `goinstr go ...` (compile-time instrumentation): running
// the go command and goinstr in a directory, scratch directories, and digests of a module's files
// to prove a build left them alone.
#pragma once

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "common/digest.hpp"
#include "tests/e2e/e2e_env.hpp"

namespace goinstr::e2e {

struct GoRun {
  int code = -1;
  std::string output;  // stdout + stderr
  std::string out;     // stdout alone (for commands whose stdout is JSON)
};

// Runs `argv` in `dir` with `env` added to the environment and waits for it.
inline GoRun run_in(const std::vector<std::string>& argv, const fs::path& dir,
                    const std::map<std::string, std::string>& env = {},
                    std::chrono::milliseconds timeout = 15min) {
  testing::SubprocessOptions opts;
  opts.cwd = dir;
  opts.env = env;
  auto p = testing::Subprocess::spawn(argv, opts);
  if (!p) return {-1, p.error().message, {}};
  auto code = p->wait(timeout);
  std::string out = p->read_stdout();
  return {code.value_or(-1), out + p->read_stderr(), out};
}

// Runs `goinstr go ARGS...` in `dir` and waits for it.
inline GoRun goinstr_go(const std::vector<std::string>& args, const fs::path& dir,
                        const std::map<std::string, std::string>& env = {}) {
  std::vector<std::string> argv = {goinstr_path(), "go"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_in(argv, dir, env);
}

// An empty directory of this test process, named after `name`.
inline fs::path scratch_dir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / fmt::format("goinstr-ct-{}-{}", getpid(), name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// Every file under `dir` with the digest of its content.
inline std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), {});
    out[fs::relative(e.path(), dir).string()] = sha256_hex(text);
  }
  return out;
}

}  // namespace goinstr::e2e
