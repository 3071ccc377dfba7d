// SPDX-License-Identifier: Apache-2.0
// `goinstr inspect [--json] BINARY`: the probe plan (agent/probe_plan.hpp) resolved against one Go
// binary, family by family, exactly as the agent attaches it (agent::resolve_hook_sites): every
// probe site, what it costs per hit, what the naive entry+RET design would cost, an estimate of the
// trap cost per request, where each struct field is, and what else the agent learns about the
// binary (agent/target_facts.hpp). The report is built once as JSON (cli/inspect/report.hpp); the
// human output renders that JSON (cli/inspect/render.hpp), so both always carry the same content.
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/commands.hpp"
#include "cli/inspect/render.hpp"
#include "cli/inspect/report.hpp"
#include "obj/go_binary.hpp"

namespace goinstr::cli {

void add_inspect_command(CLI::App& app, Action& action) {
  struct Options {
    bool json = false;
    std::string binary;
  };
  auto opts = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "inspect", "Show how goinstr would instrument a Go binary (functions, probe sites, offsets)");
  cmd->add_flag("--json", opts->json, "Print the report as JSON");
  cmd->add_option("BINARY", opts->binary, "Go executable to analyse")->required();
  cmd->callback([opts, &action] {
    action = [opts]() -> int {
      auto bin = obj::GoBinary::open(opts->binary);
      if (!bin) {
        std::fprintf(stderr, "goinstr: inspect: %s\n", bin.error().message.c_str());
        return 1;
      }
      nlohmann::json report = inspect::build_report(*bin);
      if (opts->json) {
        std::cout << report.dump(2) << "\n";
      } else {
        inspect::print_human(report);
      }
      return 0;
    };
  });
}

}  // namespace goinstr::cli
