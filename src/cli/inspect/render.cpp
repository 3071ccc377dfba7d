// SPDX-License-Identifier: Apache-2.0
// The human output (render.hpp): the binary's header lines, then the facts, the families, the
// field offsets and the cost estimate.
#include "cli/inspect/render.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/inspect/render_parts.hpp"

namespace goinstr::cli::inspect {
namespace {

using nlohmann::json;

const char* yes_no(const json& v) {
  return v.get<bool>() ? "yes" : "no";
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

}  // namespace

std::string hex(uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string str(const json& v) {
  return v.is_string() ? v.get<std::string>() : v.dump();
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
  // The server's fields are required only where the program has a net/http server.
  bool http_server = false;
  for (const json& f : r["families"])
    if (f["key"] == "http_server") http_server = f["status"] != "absent";
  std::printf("\nnet/http server fields (byte offsets)\n");
  for (const json& f : r["fields"]) print_field(f, !http_server);
  std::printf("\nother fields: database, client, injection, goroutines (byte offsets)\n");
  for (const json& f : r["other_fields"]) print_field(f, true);
  std::printf("\nHTTP/2 fields (byte offsets; one set per Go version)\n");
  for (const json& f : r["http2_fields"]) print_field(f, true);
  std::printf("\ngRPC fields (byte offsets)\n");
  for (const json& f : r["grpc_fields"]) print_field(f, true);
  print_costs(r);
}

}  // namespace goinstr::cli::inspect
