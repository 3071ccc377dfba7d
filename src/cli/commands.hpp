// SPDX-License-Identifier: Apache-2.0
// Each subcommand registers itself on the CLI11 app and leaves the action main() runs after
// parsing; the action returns the process exit code.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace goinstr::cli {

using Action = std::function<int()>;

void add_inspect_command(CLI::App& app, Action& action);
void add_run_command(CLI::App& app, Action& action);
void add_attach_command(CLI::App& app, Action& action);
void add_load_command(CLI::App& app, Action& action);
void add_bench_command(CLI::App& app, Action& action);
void add_go_command(CLI::App& app, Action& action);
void add_toolexec_command(CLI::App& app, Action& action);

}  // namespace goinstr::cli
