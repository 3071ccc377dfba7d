// SPDX-License-Identifier: Apache-2.0
// A family's status (status.hpp): absent when the binary lacks what it traces, off when a required
// hook, its offsets or a fact it needs is missing, on otherwise.
#include "cli/inspect/status.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "agent/stream_offsets.hpp"
#include "cli/inspect/hooks.hpp"

namespace goinstr::cli::inspect {
namespace {

using nlohmann::json;

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

}  // namespace

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

}  // namespace goinstr::cli::inspect
