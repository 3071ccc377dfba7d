// SPDX-License-Identifier: Apache-2.0
// `goinstr inspect [--json] BINARY`: the probe plan (agent/probe_plan.hpp) resolved against one Go
// binary: where each hook's entry probe would sit, what it costs per hit, what the naive entry+RET
// design would cost, and where each struct field is. The report is built once as JSON; the human
// output renders that JSON, so both always carry the same content.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "agent/probe_plan.hpp"
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
            {"fields", json::array()}};
  for (const auto& h : agent::kHttpServerHooks) j["hooks"].push_back(hook_json(bin, h));
  for (const auto& f : agent::kHttpServerFields) j["fields"].push_back(field_json(bin, f));
  return j;
}

const char* yes_no(const json& v) {
  return v.get<bool>() ? "yes" : "no";
}

void print_hook(const json& h) {
  std::printf("  %s  [%s%s]\n", h["symbol"].get<std::string>().c_str(),
              h["program"].get<std::string>().c_str(),
              h["optional"].get<bool>() ? ", optional" : "");
  if (!h["found"].get<bool>()) {
    std::printf("    NOT FOUND%s\n", h["optional"].get<bool>() ? " (optional hook)" : "");
    return;
  }
  uint64_t entry = h["entry"], end = h["end"];
  std::printf("    function     %s..%s (%llu bytes)\n", hex(entry).c_str(), hex(end).c_str(),
              static_cast<unsigned long long>(end - entry));
  if (h.contains("error")) {
    std::printf("    error        %s\n", h["error"].get<std::string>().c_str());
    return;
  }
  const json& s = h["entry_site"];
  std::printf("    entry site   +%llu at %s (file offset %s): %s\n",
              static_cast<unsigned long long>(s["func_offset"].get<uint64_t>()),
              hex(s["vaddr"]).c_str(), hex(s["file_offset"]).c_str(),
              s["insn"].get<std::string>().c_str());
  std::printf("                 %s, ~%.1f us per hit; %s\n", s["class"].get<std::string>().c_str(),
              s["cost_us"].get<double>(), s["reason"].get<std::string>().c_str());
  std::printf("    RET sites    %zu (single-stepped, ~9.5 us per hit)\n", h["return_sites"].size());
  const json& c = h["cost_us_per_call"];
  std::printf("    per call     ~%.1f us with the entry site; ~%.1f us for entry(+0)+RET probes\n",
              c["entry_site"].get<double>(), c["entry0_plus_ret"].get<double>());
}

void print_field(const json& f) {
  std::string name = f["type"].get<std::string>() + "." + f["field"].get<std::string>();
  if (!f["found"].get<bool>()) {
    std::printf("  %-34s %s: %s\n", name.c_str(), f["optional"].get<bool>() ? "absent" : "MISSING",
                f["error"].get<std::string>().c_str());
    return;
  }
  std::printf("  %-34s %5llu  %s\n", name.c_str(),
              static_cast<unsigned long long>(f["offset"].get<uint64_t>()),
              f["detail"].get<std::string>().c_str());
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
  std::printf("\nhooks\n");
  for (const json& h : r["hooks"]) print_hook(h);
  std::printf("\nfields (byte offsets)\n");
  for (const json& f : r["fields"]) print_field(f);
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
