// SPDX-License-Identifier: Apache-2.0
// Builds the inspect report (report.hpp) from its parts: hooks and fields (hooks.hpp), facts
// (facts.hpp), family status (status.hpp) and cost (cost.hpp).
#include "cli/inspect/report.hpp"

#include <nlohmann/json.hpp>
#include <utility>

#include "agent/probe_offsets.hpp"
#include "agent/probe_plan.hpp"
#include "agent/target_facts.hpp"
#include "cli/inspect/cost.hpp"
#include "cli/inspect/facts.hpp"
#include "cli/inspect/families.hpp"
#include "cli/inspect/hooks.hpp"
#include "cli/inspect/status.hpp"

namespace goinstr::cli::inspect {

using nlohmann::json;

json build_report(const obj::GoBinary& bin) {
  const obj::BuildInfo& bi = bin.build_info();
  json j = {{"path", bin.path()},
            {"go_version", bi.go_version},
            {"main_path", bi.main_path},
            {"main_module",
             {{"path", bi.main_module.path},
              {"version", bi.main_module.version},
              {"sum", bi.main_module.sum}}},
            {"pie", bin.is_pie()},
            {"static", bin.is_static()},
            {"stripped", !bin.has_symbols()},
            {"dwarf", bin.has_dwarf()},
            {"build_id", bin.build_id()},
            {"function_source", bin.function_source()},
            {"text_base", bin.text_base()},
            {"text_base_source", bin.text_base_source()},
            {"hooks", json::array()},
            {"fields", json::array()},
            {"other_fields", json::array()},
            {"http2_fields", json::array()},
            {"grpc_fields", json::array()}};
  for (const auto& h : agent::kHttpServerHooks) j["hooks"].push_back(hook_json(bin, h));
  for (const auto& f : agent::kHttpServerFields) j["fields"].push_back(field_json(bin, f));
  for (const auto& f : agent::kOtherFields) j["other_fields"].push_back(field_json(bin, f));
  for (const auto& f : agent::kHttp2Fields) j["http2_fields"].push_back(field_json(bin, f));
  for (const auto& f : agent::kGrpcFields) j["grpc_fields"].push_back(field_json(bin, f));

  agent::TargetFacts facts = agent::gather_target_facts(bin, nullptr);
  auto client = agent::resolve_http_client_offsets(bin, nullptr);
  j["facts"] = facts_json(bin, facts, client);
  j["families"] = json::array();
  j["cost_estimate"] = {
      {"scope",
       "uprobe trap cost only, from the measured cost per hit (emulated ~0.5 us, single-stepped "
       "~9.5 us); the BPF programs' own run time is measured separately (docs/benchmarks.md)"},
      {"families", json::array()}};
  for (const Family& f : families()) {
    json fam = family_json(bin, f, j["facts"], j["families"], client);
    j["cost_estimate"]["families"].push_back(family_cost_json(f, fam));
    j["families"].push_back(std::move(fam));
  }
  return j;
}

}  // namespace goinstr::cli::inspect
