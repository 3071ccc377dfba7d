// SPDX-License-Identifier: Apache-2.0
// Probe sites, hooks and fields as JSON (hooks.hpp), with the trap cost of each site.
#include "cli/inspect/hooks.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "agent/agent.hpp"

namespace goinstr::cli::inspect {
namespace {

using nlohmann::json;

const char* kind_name(agent::SiteKind k) {
  switch (k) {
    case agent::SiteKind::kEntry:
      return "entry";
    case agent::SiteKind::kReturns:
      return "returns";
    case agent::SiteKind::kCallTo:
      return "call_to";
    case agent::SiteKind::kBranchAfterCall:
      return "branch_after_call";
  }
  return "unknown";
}

}  // namespace

json site_json(const obj::ProbeSite& s) {
  return {{"vaddr", s.vaddr},
          {"file_offset", s.file_offset},
          {"func_offset", s.func_offset},
          {"insn", s.insn},
          {"class", obj::to_string(s.insn_class)},
          {"cost_us", obj::estimated_cost_us(s.insn_class)},
          {"reason", s.reason}};
}

// Cost per call: the chosen site is hit once; the naive design hits offset 0 once and one RET.
json hook_json(const obj::GoBinary& bin, const agent::HookSpec& hook) {
  json j = {{"symbol", hook.symbol}, {"program", hook.program}, {"optional", hook.optional}};
  auto fn = bin.find_function(hook.symbol);
  j["found"] = fn.has_value();
  if (!fn) return j;
  j["entry"] = fn->entry;
  j["end"] = fn->end;
  auto site = bin.entry_probe_site(*fn);
  auto at0 = bin.site_at(*fn, 0);
  auto rets = bin.return_sites(*fn);
  if (!site || !at0 || !rets) {
    j["error"] = !site ? site.error().message : !at0 ? at0.error().message : rets.error().message;
    return j;
  }
  j["entry_site"] = site_json(*site);
  j["return_sites"] = json::array();
  double ret_cost = 0;
  for (const auto& r : *rets) {
    j["return_sites"].push_back(site_json(r));
    ret_cost = std::max(ret_cost, obj::estimated_cost_us(r.insn_class));
  }
  j["cost_us_per_call"] = {{"entry_site", obj::estimated_cost_us(site->insn_class)},
                           {"entry0_plus_ret", obj::estimated_cost_us(at0->insn_class) + ret_cost}};
  return j;
}

// Each call hits one of the hook's sites: the entry site, one of the RETs, the call or the branch.
json plan_hook_json(const obj::GoBinary& bin, const agent::HookSpec& hook) {
  json j = {{"symbol", hook.symbol},
            {"program", hook.program},
            {"purpose", hook.purpose},
            {"optional", hook.optional},
            {"kind", kind_name(hook.kind)}};
  if (!hook.callee.empty()) j["callee"] = hook.callee;
  auto fn = bin.find_function(hook.symbol);
  j["found"] = fn.has_value();
  if (fn) {
    j["entry"] = fn->entry;
    j["end"] = fn->end;
  }
  auto sites = agent::resolve_hook_sites(bin, hook);
  if (!sites) {
    j["status"] = hook.optional ? "absent" : "missing";
    j["error"] = sites.error().message;
    return j;
  }
  j["status"] = "resolved";
  j["sites"] = json::array();
  double worst = 0;
  for (const auto& s : *sites) {
    j["sites"].push_back(site_json(s));
    worst = std::max(worst, obj::estimated_cost_us(s.insn_class));
  }
  j["cost_us_per_call"] = worst;
  if (hook.kind == agent::SiteKind::kEntry) {
    // What the naive design would cost instead: a probe at +0 and one on the RET taken.
    auto at0 = bin.site_at(*fn, 0);
    auto rets = bin.return_sites(*fn);
    if (at0 && rets) {
      double ret_cost = 0;
      for (const auto& r : *rets)
        ret_cost = std::max(ret_cost, obj::estimated_cost_us(r.insn_class));
      j["entry0_plus_ret_cost_us"] = obj::estimated_cost_us(at0->insn_class) + ret_cost;
    }
  }
  return j;
}

json field_json(const obj::GoBinary& bin, const agent::FieldSpec& f) {
  json j = {{"type", f.type}, {"field", f.field}, {"optional", f.optional}};
  auto off = bin.field_offset(f.type, f.field);
  j["found"] = off.has_value();
  if (!off) {
    j["error"] = off.error().message;
    return j;
  }
  j["offset"] = off->offset;
  j["source"] = off->source == obj::OffsetSource::kDwarf ? "dwarf" : "table";
  j["detail"] = off->detail;
  return j;
}

}  // namespace goinstr::cli::inspect
