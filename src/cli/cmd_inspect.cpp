// SPDX-License-Identifier: Apache-2.0
// `goinstr inspect [--json] BINARY`: the probe plan (agent/probe_plan.hpp) resolved against one Go
// binary, family by family, exactly as the agent attaches it (agent::resolve_hook_sites): every
// probe site, what it costs per hit, what the naive entry+RET design would cost, an estimate of the
// trap cost per request, where each struct field is, and what else the agent learns about the
// binary (agent/target_facts.hpp). The report is built once as JSON; the human output renders that
// JSON, so both always carry the same content.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "agent/agent.hpp"
#include "agent/probe_offsets.hpp"
#include "agent/probe_plan.hpp"
#include "agent/stream_offsets.hpp"
#include "agent/target_facts.hpp"
#include "cli/commands.hpp"
#include "obj/go_binary.hpp"

namespace goinstr::cli {
namespace {

using nlohmann::json;
namespace obj = goinstr::obj;

std::string hex(uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

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

// One step of a family's work per unit (a request, an operation, ...): each time, exactly one site
// of one of its programs is hit. Alternatives (a query or an exec starts an operation) share a
// step.
struct CostStep {
  std::string_view label;
  std::vector<std::string_view> programs;
};

struct Family {
  std::string_view key;
  std::string_view name;
  std::span<const agent::HookSpec> hooks;
  std::string_view only_with;  // the setting that attaches the family, if it is off by default
  std::string_view unit;       // what the cost estimate is per
  std::vector<CostStep> steps;
  std::string_view cost_note;  // hits the steps leave out
};

// The HTTP/2 family's own hooks and the HTTP/1 start hook, where net/http's own HTTP/2 server
// starts its spans.
std::span<const agent::HookSpec> http2_hooks() {
  static const std::vector<agent::HookSpec> hooks = [] {
    std::vector<agent::HookSpec> v(agent::kHttp2ServerHooks.begin(),
                                   agent::kHttp2ServerHooks.end());
    v.push_back(agent::kHttpServerHooks[0]);
    return v;
  }();
  return hooks;
}

const std::vector<Family>& families() {
  static const std::vector<Family> kFamilies = {
      {"http_server",
       "net/http server",
       agent::kHttpServerHooks,
       "",
       "request",
       {{"span start", {"uprobe__net_http__server_start"}},
        {"span end", {"uprobe__net_http__server_end"}}},
       ""},
      {"database",
       "database/sql",
       agent::kDatabaseHooks,
       "",
       "operation",
       {{"start",
         {"uprobe__db__query_dc", "uprobe__db__exec_dc", "uprobe__db__stmt_query",
          "uprobe__db__stmt_exec", "uprobe__db__begin", "uprobe__db__commit",
          "uprobe__db__rollback"}},
        {"end marker",
         {"uprobe__db__release", "uprobe__db__release_fm", "uprobe__db__rows_ready"}}},
       "a query hits a release marker once more when its rows are closed (that hit ends nothing)"},
      {"http_client",
       "net/http client",
       agent::kHttpClientHooks,
       "",
       "outgoing request",
       {{"span start", {"uprobe__http_client__start"}},
        {"span end at a RET", {"uprobe__http_client__end"}},
        {"connection", {"uprobe__http_client__conn"}}},
       "a retried request hits the connection probe once per attempt"},
      {"injection",
       "traceparent injection",
       agent::kInjectionHooks,
       "instrumentation.http.trace_headers",
       "outgoing request",
       {{"header block start", {"uprobe__http_client__write_start"}},
        {"after the program's headers", {"uprobe__http_client__headers_written"}}},
       ""},
      {"goroutines",
       "goroutine hand-off",
       agent::kGoroutineHooks,
       "",
       "go statement",
       {{"goroutine created", {"uprobe__go__goroutine_created"}}},
       ""},
      {"http2_server",
       "net/http HTTP/2 server",
       http2_hooks(),
       "",
       "HTTP/2 request",
       {{"traceparent from the HEADERS frame", {"uprobe__net_http2__headers"}},
        {"span start", {"uprobe__net_http__server_start"}},
        {"x/net span start", {"uprobe__net_http2__xnet_start"}},
        {"span end", {"uprobe__net_http2__end"}}},
       "net/http's own server starts at the HTTP/1 start hook (no x/net start hit); x/net's "
       "h2c server does not pass it (no HTTP/1 start hit)"},
      {"grpc_server",
       "gRPC server",
       agent::kGrpcServerHooks,
       "",
       "RPC",
       {{"traceparent from the request metadata", {"uprobe__grpc__server_headers"}},
        {"span start", {"uprobe__grpc__server_start"}},
        {"span end", {"uprobe__grpc__server_end", "uprobe__grpc__server_end_net_http"}}},
       ""},
      {"grpc_client",
       "gRPC client",
       agent::kGrpcClientHooks,
       "",
       "call",
       {{"span start", {"uprobe__grpc__client_start"}},
        {"connection", {"uprobe__grpc__client_conn"}},
        {"span end", {"uprobe__grpc__client_end"}}},
       "a retried call hits the start and connection probes once per attempt"},
  };
  return kFamilies;
}

// A hook resolved exactly as the agent attaches it (agent::resolve_hook_sites). Each call hits one
// of its sites: the entry site, one of the RETs, the call or the branch.
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

// "none [integrity] confidentiality" -> "integrity"; nullopt when securityfs is not readable.
std::optional<std::string> lockdown_here() {
  FILE* f = std::fopen("/sys/kernel/security/lockdown", "r");
  if (!f) return std::nullopt;
  char buf[128] = {};
  size_t n = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  std::string_view text(buf, n);
  auto open = text.find('['), close = text.find(']');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open)
    return std::nullopt;
  return std::string(text.substr(open + 1, close - open - 1));
}

constexpr const char* kLockdownNote =
    "the kernel may still forbid the write: any lockdown mode but none refuses BPF writes to "
    "process memory (see /sys/kernel/security/lockdown)";

json facts_json(const obj::GoBinary& bin, const agent::TargetFacts& facts,
                const Result<http_client_offsets>& client) {
  json j;
  j["sql_drivers"] = facts.drivers;
  j["db_system_name"] = facts.db_system;
  j["error_types"] = {{"known", facts.error_types.size()},
                      {"readable_messages",
                       facts.error_message_offsets.size() + facts.fixed_error_messages.size()}};
  if (bin.is_pie())
    j["error_types"]["note"] = "PIE binary: itab addresses move with the load bias, types unknown";

  auto parent = bin.field_offset("runtime.g", "parentGoid");
  j["goroutine_handoff"] = {{"parent_goid", parent.has_value()}, {"followed", parent.has_value()}};
  if (parent) {
    j["goroutine_handoff"]["offset"] = parent->offset;
    j["goroutine_handoff"]["source"] = parent->detail;
  } else {
    j["goroutine_handoff"]["note"] = "runtime.g.parentGoid is absent (Go < 1.21)";
  }

  std::vector<std::string> why_not;
  if (!bin.find_function(agent::kHttpClientHooks[0].symbol)) {
    why_not.push_back("no net/http client in this binary");
  } else if (!client) {
    why_not.push_back("net/http client offsets: " + client.error().message);
  } else if (!client->bufio_writer_n) {
    why_not.push_back("bufio.Writer buf and n offsets are unknown");
  }
  if (bin.is_pie()) {
    why_not.push_back("PIE binary: the bufio.Writer itab address is only known at run time");
  } else if (!facts.bufio_writer_itab) {
    why_not.push_back("no *bufio.Writer io.Writer itab in this binary");
  }
  json inj = {{"possible", why_not.empty()}, {"only_with", "instrumentation.http.trace_headers"},
              {"pie", bin.is_pie()},         {"bufio_writer_itab", nullptr},
              {"reasons", why_not},          {"kernel", kLockdownNote},
              {"lockdown_here", nullptr}};
  if (facts.bufio_writer_itab) inj["bufio_writer_itab"] = *facts.bufio_writer_itab;
  if (auto mode = lockdown_here()) inj["lockdown_here"] = *mode;
  j["traceparent_injection"] = inj;
  return j;
}

// Why a family is not attached at all, before looking at its hooks (as the agent decides); empty
// when it is.
std::string absent_reason(const obj::GoBinary& bin, const Family& f, const json& facts,
                          const json& families_so_far) {
  auto gate = [&](std::string_view what) -> std::string {
    if (bin.find_function(f.hooks[0].symbol)) return "";
    return std::string(what) + " (" + std::string(f.hooks[0].symbol) + " is not in the binary)";
  };
  if (f.key == "http_server") return gate("no net/http server in this binary");
  if (f.key == "database") {
    // As the agent decides: a query or an exec path is enough.
    if (bin.find_function(f.hooks[1].symbol)) return "";
    return gate("the program does not use database/sql");
  }
  if (f.key == "http_client") return gate("the program makes no net/http client requests");
  if (f.key == "injection") {
    for (const json& other : families_so_far)
      if (other["key"] == "http_client" && other["status"] != "on")
        return "needs the net/http client family, which is " + other["status"].get<std::string>();
    return "";
  }
  if (f.key == "goroutines" && !facts["goroutine_handoff"]["parent_goid"].get<bool>())
    return "runtime.g.parentGoid is absent (Go < 1.21): goroutine hand-off not followed";
  if (f.key == "http2_server") {
    bool any = std::any_of(f.hooks.begin(), f.hooks.end(), [&](const agent::HookSpec& h) {
      return h.program == "uprobe__net_http2__end" && bin.find_function(h.symbol);
    });
    if (!any) return "no HTTP/2 server in this binary (no handlerDone of net/http or x/net)";
    for (const json& other : families_so_far)
      if (other["key"] == "http_server" && other["status"] != "on")
        return "needs the net/http server family, which is " + other["status"].get<std::string>();
    return "";
  }
  if (f.key == "grpc_server") return gate("no google.golang.org/grpc server in this binary");
  if (f.key == "grpc_client") return gate("the program makes no google.golang.org/grpc calls");
  return "";
}

// Why an HTTP/2 or gRPC family that is in the binary cannot run, as the agent decides: its offsets
// (agent/stream_offsets.hpp) or, for the gRPC server, its end hook.
std::string stream_family_off(const obj::GoBinary& bin, std::string_view key) {
  if (key == "http2_server") {
    auto h2 = agent::resolve_http2_server_offsets(bin, nullptr);
    if (!h2.impl[GOINSTR_HTTP2_STD].on && !h2.impl[GOINSTR_HTTP2_XNET].on)
      return "its struct offsets are unknown (no DWARF, and no table for this version)";
    return "";
  }
  if (key != "grpc_server" && key != "grpc_client") return "";
  auto grpc = agent::resolve_grpc_offsets(bin, 0, nullptr);
  if (key == "grpc_server" && !grpc.server)
    return "its struct offsets are unknown (no DWARF, and no table for this grpc version)";
  if (key == "grpc_client" && !grpc.client)
    return "its struct offsets are unknown (no DWARF, and no table for this grpc version)";
  if (key == "grpc_server" && !bin.find_function(agent::kGrpcServerHooks[2].symbol) &&
      !bin.find_function(agent::kGrpcServerHooks[3].symbol))
    return "no (*http2Server).writeStatus or WriteStatus: its spans could not end";
  return "";
}

json family_json(const obj::GoBinary& bin, const Family& f, const json& facts,
                 const json& families_so_far, const Result<http_client_offsets>& client) {
  json j = {{"key", f.key}, {"name", f.name}, {"hooks", json::array()}};
  j["only_with"] = f.only_with.empty() ? json(nullptr) : json(f.only_with);
  for (const auto& h : f.hooks) j["hooks"].push_back(plan_hook_json(bin, h));
  if (std::string why = absent_reason(bin, f, facts, families_so_far); !why.empty()) {
    j["status"] = "absent";
    j["reason"] = why;
    return j;
  }
  for (const json& h : j["hooks"]) {
    if (h["status"] == "missing") {
      j["status"] = "off";
      j["reason"] = "required hook missing: " + h["error"].get<std::string>();
      return j;
    }
  }
  if (f.key == "http_client" && !client) {
    j["status"] = "off";
    j["reason"] = client.error().message;
    return j;
  }
  if (auto why = stream_family_off(bin, f.key); !why.empty()) {
    j["status"] = "off";
    j["reason"] = why;
    return j;
  }
  if (f.key == "injection" && !facts["traceparent_injection"]["possible"].get<bool>()) {
    j["status"] = "off";
    j["reason"] = facts["traceparent_injection"]["reasons"][0];
    return j;
  }
  bool any = std::any_of(j["hooks"].begin(), j["hooks"].end(),
                         [](const json& h) { return h["status"] == "resolved"; });
  j["status"] = any ? "on" : "off";
  if (!any) j["reason"] = "none of its hooks could be resolved";
  return j;
}

// Per unit of work, one hit per step, on the costliest site any of the step's hooks resolved to.
json family_cost_json(const Family& f, const json& fam) {
  json j = {{"family", f.key}, {"unit", f.unit}, {"status", fam["status"]}};
  j["only_with"] = fam["only_with"];
  if (fam["status"] != "on") return j;
  json steps = json::array();
  int emulated = 0, single_stepped = 0, other = 0;
  double total = 0;
  for (const CostStep& step : f.steps) {
    std::optional<json> worst;
    for (const json& h : fam["hooks"]) {
      if (h["status"] != "resolved") continue;
      if (std::find(step.programs.begin(), step.programs.end(), h["program"].get<std::string>()) ==
          step.programs.end())
        continue;
      for (const json& s : h["sites"])
        if (!worst || s["cost_us"].get<double>() > (*worst)["cost_us"].get<double>()) worst = s;
    }
    if (!worst) continue;  // an optional step this binary lacks: no hit
    std::string cls = (*worst)["class"];
    (cls == "emulated" ? emulated : cls == "single-stepped" ? single_stepped : other)++;
    total += (*worst)["cost_us"].get<double>();
    steps.push_back({{"step", step.label}, {"class", cls}, {"cost_us", (*worst)["cost_us"]}});
  }
  j["steps"] = steps;
  j["hits"] = steps.size();
  j["emulated"] = emulated;
  j["single_stepped"] = single_stepped;
  if (other) j["other"] = other;
  j["cost_us"] = total;
  if (!f.cost_note.empty()) j["note"] = f.cost_note;
  return j;
}

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

const char* yes_no(const json& v) {
  return v.get<bool>() ? "yes" : "no";
}

std::string str(const json& v) {
  return v.is_string() ? v.get<std::string>() : v.dump();
}

void print_site_line(const char* label, const json& s) {
  std::printf("    %-12s +%llu at %s (file offset %s): %s\n", label,
              static_cast<unsigned long long>(s["func_offset"].get<uint64_t>()),
              hex(s["vaddr"]).c_str(), hex(s["file_offset"]).c_str(),
              s["insn"].get<std::string>().c_str());
}

void print_plan_hook(const json& h) {
  std::string kind = h["kind"];
  std::string where = kind == "entry"     ? "entry"
                      : kind == "returns" ? "every RET"
                      : kind == "call_to" ? "each call of " + str(h["callee"])
                                          : "first branch after the call of " + str(h["callee"]);
  std::printf("  %s  [%s, %s%s]\n", str(h["symbol"]).c_str(), str(h["program"]).c_str(),
              where.c_str(), h["optional"].get<bool>() ? ", optional" : "");
  std::printf("    purpose      %s\n", str(h["purpose"]).c_str());
  if (h["found"].get<bool>()) {
    uint64_t entry = h["entry"], end = h["end"];
    std::printf("    function     %s..%s (%llu bytes)\n", hex(entry).c_str(), hex(end).c_str(),
                static_cast<unsigned long long>(end - entry));
  }
  if (h["status"] == "absent") {
    std::printf("    absent       %s (optional: a note, the family works without it)\n",
                str(h["error"]).c_str());
    return;
  }
  if (h["status"] == "missing") {
    std::printf("    MISSING      %s (required: this family cannot be traced)\n",
                str(h["error"]).c_str());
    return;
  }
  const json& sites = h["sites"];
  if (kind == "entry" || kind == "branch_after_call") {
    const json& s = sites[0];
    print_site_line("site", s);
    std::printf("                 %s, ~%.1f us per hit; %s\n", str(s["class"]).c_str(),
                s["cost_us"].get<double>(), str(s["reason"]).c_str());
    if (h.contains("entry0_plus_ret_cost_us"))
      std::printf("    per call     ~%.1f us here; ~%.1f us for entry(+0)+RET probes\n",
                  h["cost_us_per_call"].get<double>(), h["entry0_plus_ret_cost_us"].get<double>());
    return;
  }
  // Several sites, one of which each call hits.
  size_t single = 0;
  for (const json& s : sites) single += s["class"] == "single-stepped";
  std::string classes = single == sites.size() ? "each single-stepped"
                        : single == 0          ? "each " + str(sites[0]["class"])
                                               : std::to_string(single) + " single-stepped";
  std::printf("    %-12s %zu, one hit per %s, %s (~%.1f us per hit)\n",
              kind == "returns" ? "RET sites" : "call sites", sites.size(),
              kind == "returns" ? "call" : "execution", classes.c_str(),
              h["cost_us_per_call"].get<double>());
  for (const json& s : sites) print_site_line("", s);
}

void print_family(const json& f) {
  std::string status = f["status"];
  if (status == "on" && !f["only_with"].is_null()) status = "available";
  std::printf("\n%s%s: %s\n", str(f["name"]).c_str(),
              f["only_with"].is_null() ? "" : " (only with trace_headers)", status.c_str());
  if (f.contains("reason"))
    std::printf("  %s: %s\n", status == "absent" ? "note" : "why", str(f["reason"]).c_str());
  if (status == "absent") return;
  for (const json& h : f["hooks"]) print_plan_hook(h);
}

void print_field(const json& f, bool always_optional = false) {
  std::string name = f["type"].get<std::string>() + "." + f["field"].get<std::string>();
  if (!f["found"].get<bool>()) {
    bool optional = always_optional || f["optional"].get<bool>();
    std::printf("  %-34s %s: %s\n", name.c_str(), optional ? "absent" : "MISSING",
                f["error"].get<std::string>().c_str());
    return;
  }
  std::printf("  %-34s %5llu  %s\n", name.c_str(),
              static_cast<unsigned long long>(f["offset"].get<uint64_t>()),
              f["detail"].get<std::string>().c_str());
}

void print_facts(const json& r) {
  const json& f = r["facts"];
  std::string drivers;
  for (const json& d : f["sql_drivers"]) drivers += (drivers.empty() ? "" : ", ") + str(d);
  std::printf("\nfacts\n");
  std::printf("  SQL drivers    %s -> db.system.name %s\n",
              drivers.empty() ? "none known" : drivers.c_str(), str(f["db_system_name"]).c_str());
  const json& e = f["error_types"];
  std::printf("  error types    %zu known, %zu with readable messages%s%s\n",
              e["known"].get<size_t>(), e["readable_messages"].get<size_t>(),
              e.contains("note") ? "; " : "", e.contains("note") ? str(e["note"]).c_str() : "");
  const json& g = f["goroutine_handoff"];
  if (g["parent_goid"].get<bool>()) {
    std::printf("  goroutines     runtime.g.parentGoid at %llu (%s): hand-off followed\n",
                static_cast<unsigned long long>(g["offset"].get<uint64_t>()),
                str(g["source"]).c_str());
  } else {
    std::printf("  goroutines     %s: hand-off not followed\n", str(g["note"]).c_str());
  }
  const json& t = f["traceparent_injection"];
  if (t["possible"].get<bool>()) {
    std::printf(
        "  traceparent    injection possible (bufio.Writer itab %s, not PIE), only with "
        "trace_headers\n",
        hex(t["bufio_writer_itab"]).c_str());
  } else {
    std::string why;
    for (const json& w : t["reasons"]) why += (why.empty() ? "" : "; ") + str(w);
    std::printf("  traceparent    injection not possible: %s\n", why.c_str());
  }
  std::string here = t["lockdown_here"].is_null() ? "unknown"
                     : t["lockdown_here"] == "none"
                         ? "none"
                         : str(t["lockdown_here"]) + ", so this machine refuses the write";
  std::printf("                 %s;\n                 lockdown here: %s\n", kLockdownNote,
              here.c_str());
}

void print_costs(const json& r) {
  const json& c = r["cost_estimate"];
  std::printf(
      "\ncost estimate (trap cost only: emulated ~0.5 us, single-stepped ~9.5 us per hit;\n"
      "               BPF program time is measured separately, docs/benchmarks.md)\n");
  size_t i = 0;
  for (const json& fc : c["families"]) {
    const json& fam = r["families"][i++];
    std::string name = str(fam["name"]);
    if (fc["status"] != "on") {
      std::printf("  %-22s none: family %s\n", name.c_str(), str(fc["status"]).c_str());
      continue;
    }
    size_t hits = fc["hits"], emu = fc["emulated"], ss = fc["single_stepped"];
    std::string split;
    if (emu) split += std::to_string(emu) + " emulated";
    if (ss) split += (split.empty() ? "" : ", ") + std::to_string(ss) + " single-stepped";
    std::printf("  %-22s ~%.1f us per %s%s: %zu hit%s (%s)\n", name.c_str(),
                fc["cost_us"].get<double>(), str(fc["unit"]).c_str(),
                fc["only_with"].is_null() ? "" : " with trace_headers", hits, hits == 1 ? "" : "s",
                split.c_str());
    std::string steps;
    for (const json& s : fc["steps"])
      steps += (steps.empty() ? "" : " + ") + str(s["step"]) + " (" + str(s["class"]) + ")";
    std::printf("  %-22s = %s\n", "", steps.c_str());
    if (fc.contains("note")) std::printf("  %-22s   %s\n", "", str(fc["note"]).c_str());
  }
}

void print_human(const json& r) {
  const json& mod = r["main_module"];
  std::string version = mod["version"].get<std::string>();
  std::printf("binary       %s\n", r["path"].get<std::string>().c_str());
  std::printf("go           %s\n", r["go_version"].get<std::string>().c_str());
  std::printf("main module  %s%s\n", mod["path"].get<std::string>().c_str(),
              version.empty() ? "" : (" " + version).c_str());
  std::printf("flags        PIE=%s static=%s stripped=%s DWARF=%s\n", yes_no(r["pie"]),
              yes_no(r["static"]), yes_no(r["stripped"]), yes_no(r["dwarf"]));
  std::printf("build-id     %s\n", r["build_id"].get<std::string>().c_str());
  std::printf("functions    from %s, text base %s (%s)\n",
              r["function_source"].get<std::string>().c_str(), hex(r["text_base"]).c_str(),
              r["text_base_source"].get<std::string>().c_str());
  print_facts(r);
  for (const json& f : r["families"]) print_family(f);
  std::printf("\nfields (byte offsets)\n");
  for (const json& f : r["fields"]) print_field(f);
  std::printf("\nother fields: database, client, injection, goroutines (byte offsets)\n");
  for (const json& f : r["other_fields"]) print_field(f, true);
  std::printf("\nHTTP/2 fields (byte offsets; one set per Go version)\n");
  for (const json& f : r["http2_fields"]) print_field(f, true);
  std::printf("\ngRPC fields (byte offsets)\n");
  for (const json& f : r["grpc_fields"]) print_field(f, true);
  print_costs(r);
}

}  // namespace

void add_inspect_command(CLI::App& app, Action& action) {
  struct Options {
    bool json = false;
    std::string binary;
  };
  auto opts = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "inspect", "Show how goinstr would instrument a Go binary (functions, probe sites, offsets)");
  cmd->add_flag("--json", opts->json, "Print the report as JSON");
  cmd->add_option("BINARY", opts->binary, "Go executable to analyse")->required();
  cmd->callback([opts, &action] {
    action = [opts]() -> int {
      auto bin = obj::GoBinary::open(opts->binary);
      if (!bin) {
        std::fprintf(stderr, "goinstr: inspect: %s\n", bin.error().message.c_str());
        return 1;
      }
      json report = build_report(*bin);
      if (opts->json) {
        std::cout << report.dump(2) << "\n";
      } else {
        print_human(report);
      }
      return 0;
    };
  });
}

}  // namespace goinstr::cli
