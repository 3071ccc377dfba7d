// SPDX-License-Identifier: Apache-2.0
// goinstr bench [--quick] [--config FILE] [--out DIR] [--variants a,b] [--scenarios x,y]
// [--repeats N]: the talk's comparison of no instrumentation, manual OpenTelemetry, the runtime
// agent and compile-time instrumentation on the demo service (src/bench, docs/bench.md).
// Progress goes to stderr; stdout gets where results.json and the reports are.
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "bench/bench.hpp"
#include "bench/config.hpp"
#include "bench/report.hpp"
#include "cli/commands.hpp"

namespace goinstr::cli {
namespace {

std::atomic<bool> g_stop{false};

void on_stop(int) {
  g_stop = true;
}

struct BenchCliOptions {
  bench::BenchOptions bench;
  bool print_defaults = false;
  bool report_only = false;
};

// The command line as typed, for results.json.
std::string own_command_line() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string line;
  for (char c : raw) line += c == '\0' ? ' ' : c;
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line;
}

void print_report_paths(const std::filesystem::path& out_dir) {
  std::printf("report:  %s\n", (out_dir / "report.md").c_str());
  std::printf("report:  %s\n", (out_dir / "report.html").c_str());
}

// --report-only: report.md and report.html again from OUT/results.json, nothing run. For a run
// that was interrupted, or one made by an older goinstr (the schema is versioned).
int rewrite_reports(const std::filesystem::path& out_dir) {
  if (out_dir.empty()) {
    std::fprintf(stderr, "goinstr bench: --report-only needs --out DIR (holding results.json)\n");
    return 2;
  }
  std::filesystem::path file = out_dir / "results.json";
  std::ifstream in(file);
  if (!in) {
    std::fprintf(stderr, "goinstr bench: cannot read %s\n", file.c_str());
    return 2;
  }
  auto results = bench::results_from_json(nlohmann::json::parse(in, nullptr, false));
  if (!results) {
    std::fprintf(stderr, "goinstr bench: %s: %s\n", file.c_str(), results.error().message.c_str());
    return 2;
  }
  if (auto written = bench::write_reports(*results, out_dir); !written) {
    std::fprintf(stderr, "goinstr bench: %s\n", written.error().message.c_str());
    return 1;
  }
  print_report_paths(out_dir);
  return 0;
}

int run_bench_command(BenchCliOptions& o) {
  if (o.print_defaults) {
    std::fwrite(bench::default_config_yaml().data(), 1, bench::default_config_yaml().size(),
                stdout);
    return 0;
  }
  if (o.report_only) return rewrite_reports(o.bench.out_dir);
  struct sigaction sa {};
  sa.sa_handler = on_stop;
  sa.sa_flags = SA_RESETHAND;  // a second Ctrl-C kills at once
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  o.bench.command_line = own_command_line();
  auto outcome = bench::run_bench(o.bench, g_stop);
  if (!outcome) {
    std::fprintf(stderr, "goinstr bench: %s\n", outcome.error().message.c_str());
    return 2;
  }
  const auto& results = outcome->results;
  std::printf("results: %s\n", (outcome->out_dir / "results.json").c_str());
  if (auto reported = bench::write_reports(results, outcome->out_dir); !reported) {
    std::fprintf(stderr, "goinstr bench: warning: no report: %s\n",
                 reported.error().message.c_str());
  } else {
    print_report_paths(outcome->out_dir);
  }
  if (outcome->interrupted) {
    std::fprintf(stderr, "goinstr bench: interrupted; results.json holds the runs so far\n");
    return 130;
  }
  bool any_ok = std::any_of(results.runs.begin(), results.runs.end(),
                            [](const bench::RunRecord& r) { return r.ok; });
  if (!any_ok) {
    std::fprintf(stderr, "goinstr bench: no run succeeded (see %s)\n",
                 (outcome->out_dir / "logs").c_str());
    return 1;
  }
  return 0;
}

}  // namespace

void add_bench_command(CLI::App& app, Action& action) {
  auto opts = std::make_shared<BenchCliOptions>();
  CLI::App* cmd =
      app.add_subcommand("bench",
                         "Compare no instrumentation, manual OpenTelemetry, the runtime agent and "
                         "compile-time instrumentation on the demo service");
  cmd->add_flag("--quick", opts->bench.quick,
                "short profile and fewer rounds (about 2 minutes with the default variants)");
  cmd->add_option("--config", opts->bench.config_path,
                  "YAML applied over the built-in configuration (see --print-defaults)");
  cmd->add_option("--out", opts->bench.out_dir,
                  "output directory (default bench-results/<UTC timestamp>)");
  cmd->add_option("--variants", opts->bench.variants, "variants to run, in this order")
      ->delimiter(',');
  cmd->add_option("--scenarios", opts->bench.scenarios, "scenarios to run, in this order")
      ->delimiter(',');
  cmd->add_option("--repeats", opts->bench.repeats, "rounds (overrides the configuration)")
      ->check(CLI::Range(1, 1000));
  cmd->add_flag("--print-defaults", opts->print_defaults,
                "print the built-in configuration as YAML and exit");
  cmd->add_flag("--report-only", opts->report_only,
                "run nothing: write report.md and report.html again from the --out directory's "
                "results.json");
  cmd->callback([opts, &action] { action = [opts] { return run_bench_command(*opts); }; });
}

}  // namespace goinstr::cli
