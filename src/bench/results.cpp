// SPDX-License-Identifier: Apache-2.0
#include "bench/results.hpp"

namespace goinstr::bench {

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Machine, cpu_model, cores, memory_gib, kernel,
                                                go_version, goinstr_version)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(VariantFacts, privileges, modifies_source,
                                                modifies_binary, go_versions, how)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Variant, name, description, skipped, skip_reason,
                                                build_seconds, facts, binary_bytes)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Scenario, name, method, path, skipped, skip_reason)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ProcessUsage, cpu_user_s, cpu_system_s,
                                                rss_peak_mib, rss_mean_mib)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(TimelinePoint, t_s, rps, p50_ms, p99_ms, vus,
                                                service_cpu_pct, service_rss_mib, system_cpu_pct,
                                                agent_cpu_pct)

double RunRecord::cpu_per_request_us() const {
  if (responses == 0) return 0;
  double cpu = service.cpu_s() + (agent ? agent->cpu_s() : 0.0);
  return cpu * 1e6 / static_cast<double>(responses);
}

namespace {

nlohmann::json run_to_json(const RunRecord& r) {
  nlohmann::json j = {{"variant", r.variant},
                      {"scenario", r.scenario},
                      {"repeat", r.repeat},
                      {"order", r.order},
                      {"ok", r.ok},
                      {"failure", r.failure},
                      {"duration_s", r.duration_s},
                      {"requests", r.requests},
                      {"responses", r.responses},
                      {"errors", r.errors},
                      {"timeouts", r.timeouts},
                      {"throughput_rps", r.throughput_rps},
                      {"p50_ms", r.p50_ms},
                      {"p90_ms", r.p90_ms},
                      {"p99_ms", r.p99_ms},
                      {"p999_ms", r.p999_ms},
                      {"max_ms", r.max_ms},
                      {"service", r.service},
                      {"load_generator_cpu_s", r.load_generator_cpu_s},
                      {"system_cpu_pct", r.system_cpu_pct},
                      {"cpu_per_request_us", r.cpu_per_request_us()},
                      {"timeline", r.timeline}};
  j["agent"] = r.agent ? nlohmann::json(*r.agent) : nlohmann::json(nullptr);
  j["collector"] = r.collector ? nlohmann::json(*r.collector) : nlohmann::json(nullptr);
  return j;
}

RunRecord run_from_json(const nlohmann::json& j) {
  RunRecord r;
  r.variant = j.value("variant", "");
  r.scenario = j.value("scenario", "");
  r.repeat = j.value("repeat", 0);
  r.order = j.value("order", 0);
  r.ok = j.value("ok", true);
  r.failure = j.value("failure", "");
  r.duration_s = j.value("duration_s", 0.0);
  r.requests = j.value("requests", uint64_t{0});
  r.responses = j.value("responses", uint64_t{0});
  r.errors = j.value("errors", uint64_t{0});
  r.timeouts = j.value("timeouts", uint64_t{0});
  r.throughput_rps = j.value("throughput_rps", 0.0);
  r.p50_ms = j.value("p50_ms", 0.0);
  r.p90_ms = j.value("p90_ms", 0.0);
  r.p99_ms = j.value("p99_ms", 0.0);
  r.p999_ms = j.value("p999_ms", 0.0);
  r.max_ms = j.value("max_ms", 0.0);
  if (j.contains("service")) r.service = j["service"].get<ProcessUsage>();
  if (j.contains("agent") && !j["agent"].is_null()) r.agent = j["agent"].get<ProcessUsage>();
  if (j.contains("collector") && !j["collector"].is_null())
    r.collector = j["collector"].get<ProcessUsage>();
  r.load_generator_cpu_s = j.value("load_generator_cpu_s", 0.0);
  r.system_cpu_pct = j.value("system_cpu_pct", 0.0);
  if (j.contains("timeline")) r.timeline = j["timeline"].get<std::vector<TimelinePoint>>();
  return r;
}

}  // namespace

nlohmann::json to_json(const BenchResults& r) {
  nlohmann::json runs = nlohmann::json::array();
  for (const auto& run : r.runs) runs.push_back(run_to_json(run));
  return {{"schema_version", r.schema_version},
          {"profile", r.profile},
          {"started_at", r.started_at},
          {"command", r.command},
          {"machine", r.machine},
          {"variants", r.variants},
          {"scenarios", r.scenarios},
          {"runs", runs}};
}

Result<BenchResults> results_from_json(const nlohmann::json& j) {
  try {
    BenchResults r;
    r.schema_version = j.value("schema_version", 0);
    if (r.schema_version != kResultsSchemaVersion)
      return fail("results.json has schema_version " + std::to_string(r.schema_version) +
                  "; this goinstr reads version " + std::to_string(kResultsSchemaVersion));
    r.profile = j.value("profile", "");
    r.started_at = j.value("started_at", "");
    r.command = j.value("command", "");
    if (j.contains("machine")) r.machine = j["machine"].get<Machine>();
    if (j.contains("variants")) r.variants = j["variants"].get<std::vector<Variant>>();
    if (j.contains("scenarios")) r.scenarios = j["scenarios"].get<std::vector<Scenario>>();
    for (const auto& run : j.value("runs", nlohmann::json::array()))
      r.runs.push_back(run_from_json(run));
    return r;
  } catch (const nlohmann::json::exception& e) {
    return fail(std::string("results.json: ") + e.what());
  }
}

}  // namespace goinstr::bench
