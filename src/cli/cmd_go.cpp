// SPDX-License-Identifier: Apache-2.0
// `goinstr go build|run|test|install|vet|list [go flags] [packages]`: compile-time instrumentation
// (list shows the module graph an instrumented build uses).
#include "cli/commands.hpp"
#include "gobuild/go_build.hpp"
#include "gobuild/toolexec.hpp"

namespace goinstr::cli {

void add_go_command(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand(
      "go",
      "Build, run or test a Go program with OpenTelemetry woven in at compile time: "
      "`goinstr go build [go flags] [packages]` (also run, test, install, vet; `goinstr go list -m "
      "all` lists the modules an instrumented build uses). Your files, go.mod and go.sum stay "
      "unchanged, and so do your module versions and go line.");
  cmd->prefix_command();
  cmd->allow_extras();
  cmd->callback(
      [cmd, &action] { action = [cmd] { return gobuild::run_go_command(cmd->remaining()); }; });
}

void add_toolexec_command(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand(
      "toolexec",
      "For `go build -toolexec 'goinstr toolexec' [packages]`: the program is linked as "
      "`goinstr go build` would build it.");
  cmd->prefix_command();
  cmd->allow_extras();
  cmd->callback(
      [cmd, &action] { action = [cmd] { return gobuild::run_toolexec(cmd->remaining()); }; });
}

}  // namespace goinstr::cli
