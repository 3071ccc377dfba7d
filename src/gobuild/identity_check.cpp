// SPDX-License-Identifier: Apache-2.0
#include "gobuild/identity_check.hpp"

#include "gobuild/go_env.hpp"
#include "gobuild/process.hpp"

namespace goinstr::gobuild {

namespace fs = std::filesystem;

namespace {

constexpr const char* kVerdictFile = "identity";

}  // namespace

std::optional<CopyVerdict> load_verdict(const fs::path& dir) {
  auto text = read_file(dir / kVerdictFile);
  if (!text) return std::nullopt;
  // Line 1: the runtime module's directory; the rest: the error, if any.
  size_t nl = text->find('\n');
  auto rt = existing_runtime_module(text->substr(0, nl));
  if (!rt) return std::nullopt;  // the cache was pruned: check again
  CopyVerdict verdict{*rt, nl == std::string::npos ? "" : text->substr(nl + 1)};
  return verdict;
}

Result<> save_verdict(const fs::path& dir, const CopyVerdict& verdict) {
  return write_file_atomic(dir / kVerdictFile, verdict.rt.dir.string() + "\n" + verdict.error);
}

Result<std::vector<ListedModule>> list_modules(const std::vector<std::string>& flags,
                                               const std::vector<std::string>& env,
                                               const std::string& what) {
  std::vector<std::string> argv = {"go", "list", "-m"};
  argv.insert(argv.end(), flags.begin(), flags.end());
  argv.push_back("all");
  ASSIGN_OR_RETURN(Captured listed, run_capture(argv, env));
  if (listed.exit_code != 0)
    return fail("could not list the modules of " + what + " (`" + join_command(argv) +
                "` failed, its message is above)");
  return parse_module_list(listed.out);
}

Result<std::string> check_identity(const BuildIdentity& plain, const BuildIdentity& woven,
                                   const std::vector<std::string>& woven_flags,
                                   const std::vector<std::string>& woven_env) {
  if (same_identity(plain, woven)) return std::string();
  // `go mod graph` takes -modfile but not -mod.
  std::vector<std::string> argv = {"go", "mod", "graph"};
  for (const auto& f : woven_flags)
    if (f.starts_with("-modfile=")) argv.push_back(f);
  std::vector<Requirement> graph;
  auto printed = run_capture(argv, woven_env);
  if (printed && printed->exit_code == 0) graph = parse_module_graph(printed->out);
  // Without the graph the message still names the modules and both versions.
  return describe_identity_change(plain, woven, graph);
}

}  // namespace goinstr::gobuild
