// SPDX-License-Identifier: Apache-2.0
#include <cstdio>

#include "cli/commands.hpp"
#include "common/log.hpp"

int main(int argc, char** argv) {
  goinstr::log::init();
  CLI::App app{"goinstr: OpenTelemetry for unmodified Go programs", "goinstr"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "goinstr 0.1.0");
  goinstr::cli::Action action;
  goinstr::cli::add_run_command(app, action);
  goinstr::cli::add_attach_command(app, action);
  goinstr::cli::add_inspect_command(app, action);
  goinstr::cli::add_load_command(app, action);
  goinstr::cli::add_bench_command(app, action);
  goinstr::cli::add_go_command(app, action);
  goinstr::cli::add_toolexec_command(app, action);
  CLI11_PARSE(app, argc, argv);
  return action ? action() : 2;
}
