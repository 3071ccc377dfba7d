// SPDX-License-Identifier: Apache-2.0
// The facts section (facts.hpp), including this machine's kernel lockdown mode, which decides
// whether the BPF write of a traceparent header would be refused.
#include "cli/inspect/facts.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/probe_plan.hpp"

namespace goinstr::cli::inspect {
namespace {

using nlohmann::json;

constexpr const char* kLockdownNote =
    "the kernel may still forbid the write: any lockdown mode but none refuses BPF writes to "
    "process memory (see /sys/kernel/security/lockdown)";

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

}  // namespace

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

}  // namespace goinstr::cli::inspect
