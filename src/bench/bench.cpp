// SPDX-License-Identifier: Apache-2.0
#include "bench/bench.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <optional>

#include "bench/config.hpp"
#include "bench/console.hpp"
#include "bench/machine.hpp"
#include "bench/run_one.hpp"
#include "bench/run_order.hpp"
#include "bench/setup.hpp"
#include "load/request.hpp"

namespace goinstr::bench {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Removes the built binaries when the bench ends, however it ends.
class TempDir {
 public:
  static Result<TempDir> create() {
    std::error_code ec;
    std::string pattern = (fs::temp_directory_path(ec) / "goinstr-bench-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) return fail_errno("mkdtemp " + pattern);
    return TempDir(pattern);
  }
  TempDir(TempDir&& other) noexcept : path_(std::exchange(other.path_, {})) {}
  TempDir& operator=(TempDir&&) = delete;
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  explicit TempDir(fs::path path) : path_(std::move(path)) {}
  fs::path path_;
};

Result<BenchConfig> load_config(const BenchOptions& options) {
  BenchConfig config = default_config();
  if (!options.config_path.empty()) TRY(apply_yaml_file(config, options.config_path));
  if (options.repeats > 0) {
    config.repeats.full = options.repeats;
    config.repeats.quick = options.repeats;
  }
  TRY(validate(config));
  return config;
}

std::tm utc(std::chrono::system_clock::time_point t) {
  return fmt::gmtime(std::chrono::system_clock::to_time_t(t));
}

fs::path default_out_dir(std::chrono::system_clock::time_point now) {
  return fs::path("bench-results") / fmt::format("{:%Y%m%dT%H%M%SZ}", utc(now));
}

// {goinstr} is a copy of this program: a bench runs for an hour, and a rebuild of goinstr in the
// meantime must neither fail an attach (the file is replaced under it) nor change what is measured.
Result<std::string> copy_of_goinstr(const fs::path& dir) {
  std::error_code ec;
  fs::path copy = dir / "goinstr";
  fs::copy_file("/proc/self/exe", copy, ec);
  if (ec) return fail("cannot copy goinstr to " + copy.string() + ": " + ec.message());
  fs::permissions(copy,
                  fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                      fs::perms::others_read | fs::perms::others_exec,
                  ec);
  if (ec) return fail("cannot make " + copy.string() + " executable: " + ec.message());
  return copy.string();
}

Result<BenchSetup> make_setup(const BenchOptions& options, BenchConfig config,
                              const fs::path& bin_dir, std::chrono::system_clock::time_point now) {
  BenchSetup setup;
  setup.quick = options.quick;
  ASSIGN_OR_RETURN(setup.stages, stages_for(config, options.quick));
  ASSIGN_OR_RETURN(setup.service_dir, find_service_dir(config.service_dir));
  ASSIGN_OR_RETURN(auto otlp, load::parse_url(config.otlp_endpoint));
  setup.otlp = {otlp.host, otlp.port};
  setup.config = std::move(config);
  setup.out_dir = fs::absolute(options.out_dir.empty() ? default_out_dir(now) : options.out_dir);
  setup.log_dir = setup.out_dir / "logs";
  std::error_code ec;
  fs::create_directories(setup.log_dir, ec);
  if (ec) return fail("cannot create " + setup.log_dir.string() + ": " + ec.message());
  setup.bin_dir = bin_dir / "variants";
  fs::create_directories(setup.bin_dir, ec);
  if (ec) return fail("cannot create " + setup.bin_dir.string() + ": " + ec.message());
  ASSIGN_OR_RETURN(setup.goinstr, copy_of_goinstr(bin_dir));
  return setup;
}

// Whether the database answers; the reason when it does not.
std::string check_database(BenchSetup& setup) {
  auto dsn = parse_dsn(setup.config.database_dsn);
  if (!dsn) return dsn.error().message;
  auto up = postgres_check(*dsn, std::chrono::seconds(3));
  setup.database_up = up.has_value();
  return up ? "" : up.error().message;
}

class Orchestra {
 public:
  Orchestra(BenchSetup& setup, BenchOutcome& outcome, const std::atomic<bool>& stop)
      : setup_(setup), outcome_(outcome), stop_(stop) {}

  Result<> prepare(const std::vector<VariantConfig>& variants,
                   const std::vector<ScenarioConfig>& scenarios) {
    variants_ = variants;
    scenarios_ = scenarios;
    // Checked even when no scenario needs it: {dsn} is empty for the service when it is down.
    std::string database_problem = check_database(setup_);
    for (const auto& s : scenarios) {
      outcome_.results.scenarios.push_back(prepare_scenario(s, setup_, database_problem));
      if (outcome_.results.scenarios.back().skipped)
        console_.note(fmt::format("scenario {}: skipped: {}", s.name,
                                  outcome_.results.scenarios.back().skip_reason));
    }
    for (const auto& v : variants) {
      if (stop_) return fail("interrupted");
      outcome_.results.variants.push_back(prepare_variant(v, setup_, console_));
    }
    return write_results_json(outcome_.results, setup_.out_dir);
  }

  void run_all(int repeats) {
    auto plan = plan_runs(outcome_.results.variants, outcome_.results.scenarios, repeats);
    EtaEstimator eta(planned_run_s());
    int done = 0;
    for (const auto& planned : plan) {
      if (stop_) break;
      // A variant that broke in an earlier run of this bench has no more runs.
      bool skipped = outcome_.results.variants[planned.variant].skipped;
      if (!skipped && !run_planned(planned, done, static_cast<int>(plan.size()), eta)) break;
      ++done;
    }
    outcome_.interrupted = stop_;
    console_.end();
  }

 private:
  static double seconds_since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
  }

  // The load profile plus a guess at start and stop, until real runs tell.
  double planned_run_s() const {
    return std::chrono::duration<double>(load::total_duration(setup_.stages)).count() + 2;
  }

  ProgressState progress_state(const PlannedRun& planned, int done, int total) const {
    ProgressState state;
    state.run = done + 1;
    state.total = total;
    state.label =
        fmt::format("{} / {} / round {}", outcome_.results.variants[planned.variant].name,
                    outcome_.results.scenarios[planned.scenario].name, planned.repeat + 1);
    state.fraction = static_cast<double>(done) / total;
    state.last_rps = last_rps_;
    state.last_p99_ms = last_p99_ms_;
    return state;
  }

  // One run, with the progress line while it runs; false when it was interrupted.
  bool run_planned(const PlannedRun& planned, int done, int total, EtaEstimator& eta) {
    ProgressState state = progress_state(planned, done, total);
    auto started = Clock::now();
    auto progress = [&](const load::Progress& p) {
      double in_run = std::chrono::duration<double>(p.elapsed).count();
      state.fraction = (done + std::min(1.0, in_run / planned_run_s())) / total;
      state.eta_s = eta.eta(total - done - 1, seconds_since(started));
      console_.status(state);
      return !stop_;
    };
    RunAttempt attempt = run_one(
        setup_,
        {&variants_[planned.variant], &scenarios_[planned.scenario], planned.repeat, planned.order},
        progress);
    if (attempt.interrupted) return false;
    eta.finished_run(seconds_since(started));
    record(attempt, outcome_.results.variants[planned.variant]);
    state = progress_state(planned, done + 1, total);
    state.run = done + 1;
    state.eta_s = eta.per_run() * (total - done - 1);
    console_.finished(state);
    if (auto written = write_results_json(outcome_.results, setup_.out_dir); !written)
      console_.note("warning: " + written.error().message);
    return true;
  }

  void record(RunAttempt& attempt, Variant& variant) {
    RunRecord& run = attempt.record;
    bool variant_ran_before =
        std::any_of(outcome_.results.runs.begin(), outcome_.results.runs.end(),
                    [&](const RunRecord& r) { return r.variant == variant.name && r.ok; });
    if (attempt.setup_failed && !variant_ran_before) {
      variant.skipped = true;
      variant.skip_reason = run.failure;
      console_.note(fmt::format("{}: skipped: {}", variant.name, run.failure));
      outcome_.results.runs.erase(
          std::remove_if(outcome_.results.runs.begin(), outcome_.results.runs.end(),
                         [&](const RunRecord& r) { return r.variant == variant.name; }),
          outcome_.results.runs.end());
      return;
    }
    if (!run.ok)
      console_.note(fmt::format("{} / {} / round {}: failed: {}", run.variant, run.scenario,
                                run.repeat + 1, run.failure));
    if (run.ok) {
      last_rps_ = run.throughput_rps;
      last_p99_ms_ = run.p99_ms;
    }
    outcome_.results.runs.push_back(std::move(run));
  }

  BenchSetup& setup_;
  BenchOutcome& outcome_;
  const std::atomic<bool>& stop_;
  Console console_;
  std::vector<VariantConfig> variants_;
  std::vector<ScenarioConfig> scenarios_;
  std::optional<double> last_rps_;
  std::optional<double> last_p99_ms_;
};

}  // namespace

Result<> write_results_json(const BenchResults& results, const fs::path& out_dir) {
  fs::path target = out_dir / "results.json";
  fs::path temp = out_dir / "results.json.tmp";
  {
    std::ofstream out(temp);
    if (!out || !(out << to_json(results).dump(2) << "\n") || !out.flush())
      return fail_errno("cannot write " + temp.string());
  }
  std::error_code ec;
  fs::rename(temp, target, ec);
  if (ec) return fail("cannot write " + target.string() + ": " + ec.message());
  return {};
}

Result<BenchOutcome> run_bench(const BenchOptions& options, const std::atomic<bool>& stop) {
  ASSIGN_OR_RETURN(BenchConfig config, load_config(options));
  ASSIGN_OR_RETURN(auto variants, select_variants(config, options.variants));
  ASSIGN_OR_RETURN(auto scenarios, select_scenarios(config, options.scenarios));
  if (variants.empty()) return fail("no variant selected");
  if (scenarios.empty()) return fail("no scenario selected");
  int repeats = config.repeats.pick(options.quick);
  ASSIGN_OR_RETURN(TempDir bin_dir, TempDir::create());
  auto now = std::chrono::system_clock::now();
  ASSIGN_OR_RETURN(BenchSetup setup, make_setup(options, std::move(config), bin_dir.path(), now));

  BenchOutcome outcome;
  outcome.out_dir = setup.out_dir;
  BenchResults& results = outcome.results;
  results.profile = options.quick ? "quick" : "full";
  results.started_at = fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", utc(now));
  results.command = options.command_line;
  results.machine = describe_machine(setup.service_dir, setup.log_dir);

  Orchestra orchestra(setup, outcome, stop);
  if (auto prepared = orchestra.prepare(variants, scenarios); !prepared) {
    if (!stop) return std::unexpected(prepared.error());
    outcome.interrupted = true;
    return outcome;
  }
  orchestra.run_all(repeats);
  TRY(write_results_json(results, setup.out_dir));
  return outcome;
}

}  // namespace goinstr::bench
