// SPDX-License-Identifier: Apache-2.0
// What `goinstr bench` measured, as written to results.json and read back by the report: the
// machine, the variants (with the facts the talk's matrix compares), and every run, raw. The
// report derives medians and confidence intervals from the runs; nothing here is aggregated, so
// a results.json can be re-reported (and tested from a fixture) without re-running anything.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.hpp"

namespace goinstr::bench {

inline constexpr int kResultsSchemaVersion = 1;

struct Machine {
  std::string cpu_model;  // /proc/cpuinfo "model name"
  int cores = 0;          // online CPUs
  double memory_gib = 0;
  std::string kernel;      // uname -r
  std::string go_version;  // `go version`
  std::string goinstr_version;
};

// The facts of the talk's comparison matrix that are not measured.
struct VariantFacts {
  std::string privileges;        // "none", "root (CAP_BPF, CAP_PERFMON)"
  bool modifies_source = false;  // the user edits code (manual OpenTelemetry)
  bool modifies_binary = false;  // the binary differs from the plain build
  std::string go_versions;       // "1.19-1.27"
  std::string how;               // one line: how it instruments
};

struct Variant {
  std::string name;  // "baseline", "manual", "runtime-agent", "compile-time", or a config name
  std::string description;
  bool skipped = false;
  std::string skip_reason;            // why it could not run: never faked
  std::vector<double> build_seconds;  // each build of this variant (compile-time variants)
  VariantFacts facts;
  uint64_t binary_bytes = 0;  // size of the built service binary
};

struct Scenario {
  std::string name;  // "hello", "insert", "load"
  std::string method;
  std::string path;
  bool skipped = false;
  std::string skip_reason;
};

// CPU and memory of one process (or process group) over a run.
struct ProcessUsage {
  double cpu_user_s = 0;
  double cpu_system_s = 0;
  double rss_peak_mib = 0;
  double rss_mean_mib = 0;
  double cpu_s() const { return cpu_user_s + cpu_system_s; }
};

// One second of a run.
struct TimelinePoint {
  double t_s = 0;
  double rps = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  uint32_t vus = 0;
  double service_cpu_pct = 0;  // of one core
  double service_rss_mib = 0;
  double system_cpu_pct = 0;  // whole machine, all cores = 100%
  double agent_cpu_pct = 0;   // of one core; 0 without an agent
};

struct RunRecord {
  std::string variant;
  std::string scenario;
  int repeat = 0;  // 0-based round
  int order = 0;   // position in the whole interleaved sequence
  bool ok = true;
  std::string failure;  // when !ok: what went wrong (the run still counts as attempted)
  double duration_s = 0;
  uint64_t requests = 0;
  uint64_t responses = 0;
  uint64_t errors = 0;  // HTTP >= 400 and transport errors
  uint64_t timeouts = 0;
  double throughput_rps = 0;
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, p999_ms = 0, max_ms = 0;
  ProcessUsage service;
  std::optional<ProcessUsage> agent;      // the runtime agent (or another attach-style tool)
  std::optional<ProcessUsage> collector;  // the OTLP receiver, when the bench can see its pid
  double load_generator_cpu_s = 0;
  double system_cpu_pct = 0;  // mean over the run, whole machine
  std::vector<TimelinePoint> timeline;

  // Service plus agent CPU per response, in microseconds.
  double cpu_per_request_us() const;
};

struct BenchResults {
  int schema_version = kResultsSchemaVersion;
  std::string profile;     // "quick" or "full"
  std::string started_at;  // ISO 8601 UTC
  std::string command;     // the command line that produced this
  Machine machine;
  std::vector<Variant> variants;
  std::vector<Scenario> scenarios;
  std::vector<RunRecord> runs;
};

nlohmann::json to_json(const BenchResults& r);
Result<BenchResults> results_from_json(const nlohmann::json& j);

}  // namespace goinstr::bench
