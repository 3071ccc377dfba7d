// SPDX-License-Identifier: Apache-2.0
#include "bench/setup.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>

#include "bench/child.hpp"

namespace goinstr::bench {
namespace {

namespace fs = std::filesystem;

constexpr auto kBuildTimeout = std::chrono::minutes(15);
constexpr size_t kReasonLines = 6;

bool on_path(const std::string& command) {
  if (command.find('/') != std::string::npos) return access(command.c_str(), X_OK) == 0;
  const char* path = std::getenv("PATH");
  std::string_view dirs = path ? path : "/usr/bin:/bin";
  while (!dirs.empty()) {
    size_t colon = dirs.find(':');
    fs::path dir(colon == 0 ? std::string_view(".") : dirs.substr(0, colon));
    dirs = colon == std::string_view::npos ? std::string_view{} : dirs.substr(colon + 1);
    if (access((dir / command).c_str(), X_OK) == 0) return true;
  }
  return false;
}

// Why the variant cannot run on this machine at all, or "".
std::string unavailable_because(const VariantConfig& v) {
  if (!v.requires_command.empty() && !on_path(v.requires_command))
    return v.requires_command + " not found on PATH";
  if (v.needs_root && geteuid() != 0) return "needs root (run goinstr bench as root)";
  return "";
}

}  // namespace

Placeholders BenchSetup::placeholders() const {
  return {{"dir", service_dir.string()},
          {"dsn", database_up ? config.database_dsn : ""},
          {"otlp", config.otlp_endpoint},
          {"goinstr", goinstr}};
}

fs::path BenchSetup::binary_of(const std::string& variant) const {
  return bin_dir / variant;
}

Result<fs::path> find_service_dir(const std::string& dir) {
  fs::path p(dir);
  if (p.is_absolute()) {
    if (!fs::exists(p / "go.mod")) return fail("service.dir " + dir + " has no go.mod");
    return p;
  }
  std::vector<fs::path> roots = {fs::current_path()};
#ifdef GOINSTR_SOURCE_DIR
  roots.emplace_back(GOINSTR_SOURCE_DIR);
#endif
  for (const auto& root : roots)
    if (fs::exists(root / p / "go.mod")) return fs::absolute(root / p).lexically_normal();
  std::vector<std::string> tried;
  for (const auto& root : roots) tried.push_back((root / p).string());
  return fail(fmt::format("service.dir '{}': no go.mod in {} (give an absolute path)", dir,
                          fmt::join(tried, " or ")));
}

Scenario prepare_scenario(const ScenarioConfig& config, const BenchSetup& setup,
                          const std::string& database_problem) {
  Scenario s;
  s.name = config.name;
  s.method = config.method;
  s.path = config.path;
  if (config.needs == "database" && !setup.database_up) {
    s.skipped = true;
    s.skip_reason = "the database is not usable: " + database_problem;
  }
  return s;
}

Variant prepare_variant(const VariantConfig& config, const BenchSetup& setup, Console& console) {
  Variant v;
  v.name = config.name;
  v.description = config.description;
  v.facts = config.facts;
  if (std::string why = unavailable_because(config); !why.empty()) {
    v.skipped = true;
    v.skip_reason = why;
    console.note(fmt::format("{}: skipped: {}", v.name, why));
    return v;
  }
  Placeholders values = setup.placeholders();
  values["bin"] = setup.binary_of(config.name).string();
  std::string command = expand(config.build, values, Quoting::shell);
  int builds = setup.config.builds.pick(setup.quick);
  for (int i = 0; i < builds; ++i) {
    fs::path log = setup.log_dir / fmt::format("build-{}-{}.log", config.name, i + 1);
    auto done = run_to_end({command, setup.service_dir, {}, log}, kBuildTimeout);
    if (!done || done->status != 0) {
      v.skipped = true;
      v.skip_reason = done ? fmt::format("build failed ({}): {}: {}", describe_status(done->status),
                                         command, first_lines(done->output, kReasonLines))
                           : "build could not start: " + done.error().message;
      console.note(fmt::format("{}: skipped: {}", v.name, v.skip_reason));
      return v;
    }
    v.build_seconds.push_back(done->seconds);
    console.note(fmt::format("{}: built in {:.1f} s ({})", v.name, done->seconds, command));
  }
  std::error_code ec;
  v.binary_bytes = fs::file_size(setup.binary_of(config.name), ec);
  if (ec) {
    v.skipped = true;
    v.skip_reason =
        fmt::format("the build made no {}: {}", setup.binary_of(config.name).string(), command);
    console.note(fmt::format("{}: skipped: {}", v.name, v.skip_reason));
  }
  return v;
}

}  // namespace goinstr::bench
