// SPDX-License-Identifier: Apache-2.0
// What the cli tests share: running the goinstr binary and building the Go test apps.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "tests/support/paths.hpp"
#include "tests/support/process.hpp"

namespace goinstr::cli {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

struct Outcome {
  int code;
  std::string out, err;
};

inline Outcome goinstr(const std::vector<std::string>& args,
                       std::map<std::string, std::string> env = {}) {
  std::vector<std::string> argv{(testing::binary_dir() / "goinstr").string()};
  argv.insert(argv.end(), args.begin(), args.end());
  auto p = testing::Subprocess::spawn(argv, std::move(env));
  if (!p) return {-1, "", p.error().message};
  auto code = p->wait(60s);
  return {code.value_or(-999), p->read_stdout(), p->read_stderr()};
}

inline size_t lines(const std::string& s) {
  return static_cast<size_t>(std::count(s.begin(), s.end(), '\n'));
}

// A Go program of tests/testapps, built once per test process; `error` carries go's own output.
struct App {
  fs::path path;
  std::string error;
};

inline App build_app(const std::string& name, const std::string& out_name,
                     const std::vector<std::string>& args = {}) {
  fs::path out = fs::temp_directory_path() / ("goinstr-cli-" + std::to_string(getpid())) / out_name;
  auto built = testing::build_go(testing::source_dir() / "tests/testapps" / name, out, args);
  if (!built)
    return {fs::path(), "go build of tests/testapps/" + name + ": " + built.error().message};
  return {out, ""};
}

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace goinstr::cli
