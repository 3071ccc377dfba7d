// SPDX-License-Identifier: Apache-2.0
// `goinstr bench` without its command line: the configuration is resolved, the variants built,
// the runs executed in interleaved order, and OUT/results.json written (again after every run,
// so an interrupted bench keeps what it measured). The reports are the caller's next step.
#pragma once

#include <atomic>
#include <filesystem>
#include <string>
#include <vector>

#include "bench/results.hpp"
#include "common/result.hpp"

namespace goinstr::bench {

struct BenchOptions {
  bool quick = false;
  std::string config_path;             // empty: the compiled-in configuration only
  std::filesystem::path out_dir;       // empty: bench-results/<UTC timestamp>
  std::vector<std::string> variants;   // empty: every enabled one
  std::vector<std::string> scenarios;  // empty: every enabled one
  int repeats = 0;                     // 0: the configuration's
  std::string command_line;            // recorded in results.json
};

struct BenchOutcome {
  BenchResults results;
  std::filesystem::path out_dir;
  bool interrupted = false;
};

// Fails only when the bench cannot start (configuration, directories); variants and runs that
// fail are recorded as such. `stop` (set from a signal handler) ends the current run early.
Result<BenchOutcome> run_bench(const BenchOptions& options, const std::atomic<bool>& stop);

// The results file, written whole to a temporary name and renamed into place.
Result<> write_results_json(const BenchResults& results, const std::filesystem::path& out_dir);

}  // namespace goinstr::bench
