// SPDX-License-Identifier: Apache-2.0
// `goinstr go build|run|test|install|vet [go flags] [packages]`: compile-time instrumentation.
#include "cli/commands.hpp"
#include "gobuild/go_build.hpp"
#include "gobuild/toolexec.hpp"

namespace goinstr::cli {

void add_go_command(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand(
      "go",
      "Build, run or test a Go program with OpenTelemetry woven in at compile time: "
      "`goinstr go build [go flags] [packages]`. Your files, go.mod and go.sum stay unchanged.");
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
