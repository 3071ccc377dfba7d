// SPDX-License-Identifier: Apache-2.0
// Everything decided before the first run: where the service's module is, where results and
// logs go, which variants can run (tool on PATH, root, a build that succeeds) and which scenarios
// can (the database answers), and the placeholder values every command template sees.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "bench/config.hpp"
#include "bench/console.hpp"
#include "bench/probe.hpp"
#include "bench/results.hpp"
#include "bench/templates.hpp"

namespace goinstr::bench {

struct BenchSetup {
  BenchConfig config;
  bool quick = false;
  std::vector<load::Stage> stages;
  std::filesystem::path service_dir;  // absolute
  std::filesystem::path out_dir;
  std::filesystem::path log_dir;  // OUT/logs: every build's and every run's output
  std::filesystem::path bin_dir;  // the built binaries (in a temporary directory)
  std::string goinstr;            // a copy of this program, for {goinstr}
  bool database_up = false;
  HostPort otlp;  // where the collector listens, to find its process

  // {dir} {dsn} {otlp} {goinstr}; {dsn} is empty when the database does not answer, so the
  // service starts without one and the scenarios that do not need it still run.
  Placeholders placeholders() const;
  std::filesystem::path binary_of(const std::string& variant) const;
};

// Finds `dir` (absolute, or under the current directory or goinstr's source tree: the first
// that holds a go.mod).
Result<std::filesystem::path> find_service_dir(const std::string& dir);

// A scenario of the results, skipped (with the reason) when it needs a database that is down.
Scenario prepare_scenario(const ScenarioConfig& config, const BenchSetup& setup,
                          const std::string& database_problem);

// A variant of the results: skipped with the reason when its tool is missing, it needs root
// and goinstr is not root, or a build fails; otherwise built `builds` times, each timed.
Variant prepare_variant(const VariantConfig& config, const BenchSetup& setup, Console& console);

}  // namespace goinstr::bench
