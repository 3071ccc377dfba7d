// SPDX-License-Identifier: Apache-2.0
#include "tests/support/paths.hpp"

#include <cstdlib>

#include "tests/support/process.hpp"

#ifndef GOINSTR_SOURCE_DIR
#error "GOINSTR_SOURCE_DIR must be defined by tests/support/CMakeLists.txt"
#endif
#ifndef GOINSTR_BINARY_DIR
#error "GOINSTR_BINARY_DIR must be defined by tests/support/CMakeLists.txt"
#endif

namespace goinstr::testing {

std::filesystem::path source_dir() {
  return GOINSTR_SOURCE_DIR;
}
std::filesystem::path binary_dir() {
  return GOINSTR_BINARY_DIR;
}

Result<void> build_go(const std::filesystem::path& package_dir,
                      const std::filesystem::path& out_path,
                      const std::vector<std::string>& extra_args,
                      const std::map<std::string, std::string>& env,
                      std::chrono::milliseconds timeout) {
  const char* go_env = std::getenv("GOINSTR_GO");
  std::vector<std::string> argv{go_env != nullptr && *go_env != '\0' ? go_env : "go", "build", "-o",
                                std::filesystem::absolute(out_path).string()};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  argv.push_back(".");

  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::absolute(out_path).parent_path(), ec);
  SubprocessOptions options;
  options.cwd = package_dir;
  ASSIGN_OR_RETURN(Subprocess proc, Subprocess::spawn(argv, env, std::move(options)));
  std::optional<int> status = proc.wait(timeout);
  std::string what = "go build in " + package_dir.string();
  if (!status) {
    proc.terminate(std::chrono::seconds(2));
    return fail(what + ": timed out\n" + proc.describe());
  }
  if (*status != 0)
    return fail(what + " failed (exit " + std::to_string(*status) + ")\n" + proc.read_stdout() +
                proc.read_stderr());
  return {};
}

}  // namespace goinstr::testing
