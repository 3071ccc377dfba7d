// SPDX-License-Identifier: Apache-2.0
// What `goinstr bench` compares and how: the service, the variants (how each is built, started
// and attached to), the scenarios (the request each run repeats), the load profile and the
// number of rounds. The talk's setup is compiled in (config_defaults.cpp) and parsed by the same
// code as a --config file, which is applied on top of it: maps override field by field, and list
// entries are matched by name (a new name adds a variant or scenario).
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bench/results.hpp"
#include "common/result.hpp"
#include "load/plan.hpp"

namespace goinstr::bench {

struct VariantConfig {
  std::string name;
  std::string description;
  bool enabled = true;  // false: only run when named by --variants
  std::string build;    // command template, run once per bench in the service directory
  std::string start;    // command template; empty: service.start
  std::map<std::string, std::string> env;  // for the service process
  // An attach-style tool started after the service (the runtime agent, OBI): its template, its
  // environment, the text that says it is ready (stdout or stderr), how long that may take, and
  // a settling time after it (or after starting, when there is no ready text).
  std::string attach;
  std::map<std::string, std::string> attach_env;
  std::string attach_ready;
  load::Nanos attach_timeout = std::chrono::seconds(60);
  load::Nanos attach_delay{0};
  std::string requires_command;  // YAML `requires`: must be on PATH, else the variant is skipped
  bool needs_root = false;
  VariantFacts facts;
};

struct ScenarioConfig {
  std::string name;
  std::string method = "GET";
  std::string path;
  std::string body;
  std::map<std::string, std::string> headers;
  std::string needs;  // "" or "database": skipped when the database does not answer
  bool enabled = true;
};

// A setting with one value per mode.
template <typename T>
struct PerMode {
  T full{};
  T quick{};
  const T& pick(bool quick_mode) const { return quick_mode ? quick : full; }
};

struct BenchConfig {
  std::string service_dir;  // relative to the repository root, or absolute
  std::string service_start;
  std::string service_ready;  // the service prints this, then HOST:PORT, on stdout
  load::Nanos service_ready_timeout = std::chrono::seconds(30);
  std::string database_dsn;
  std::string otlp_endpoint;
  unsigned load_threads = 1;
  load::Nanos request_timeout = std::chrono::seconds(10);
  load::Nanos sample_interval = std::chrono::milliseconds(200);
  PerMode<std::string> profile;  // a preset name ("talk") or stages ("2s:20,6s:20")
  PerMode<int> repeats;
  PerMode<int> builds;  // builds per variant, all timed
  std::vector<VariantConfig> variants;
  std::vector<ScenarioConfig> scenarios;
};

// The compiled-in configuration, as YAML text (what `goinstr bench --print-defaults` shows).
std::string_view default_config_yaml();
// The compiled-in configuration, parsed.
BenchConfig default_config();

// Applies a YAML document on top of `config`. Errors name the file, line and key.
Result<> apply_yaml(BenchConfig& config, const std::string& text, const std::string& filename);
Result<> apply_yaml_file(BenchConfig& config, const std::string& path);

// Checks what only the whole configuration can tell: every variant has a build and a start
// command, names are unique, the profiles parse.
Result<> validate(const BenchConfig& config);

// The stages of one mode's profile.
Result<std::vector<load::Stage>> stages_for(const BenchConfig& config, bool quick);

// The variants (or scenarios) to run: the named ones in the order given, or every enabled one.
// An unknown name is an error listing the known ones.
Result<std::vector<VariantConfig>> select_variants(const BenchConfig& config,
                                                   const std::vector<std::string>& names);
Result<std::vector<ScenarioConfig>> select_scenarios(const BenchConfig& config,
                                                     const std::vector<std::string>& names);

}  // namespace goinstr::bench
