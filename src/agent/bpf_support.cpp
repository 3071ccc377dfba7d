// SPDX-License-Identifier: Apache-2.0
#include "agent/bpf_support.hpp"

#include <bpf/libbpf.h>
#include <spdlog/spdlog.h>

#include <cstdarg>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <string>

namespace goinstr::agent {
namespace {

int libbpf_to_spdlog(enum libbpf_print_level level, const char* format, va_list args) {
  // Verifier logs arrive as one message of many kilobytes: sized, never cut.
  va_list copy;
  va_copy(copy, args);
  int n = vsnprintf(nullptr, 0, format, copy);
  va_end(copy);
  std::string line(n > 0 ? static_cast<size_t>(n) + 1 : 1, '\0');
  vsnprintf(line.data(), line.size(), format, args);
  std::string_view text(line.data(), n > 0 ? static_cast<size_t>(n) : 0);
  while (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  // Everything at debug: a failing call comes back to us as an error and is reported once.
  if (level != LIBBPF_DEBUG || spdlog::should_log(spdlog::level::trace))
    spdlog::debug("libbpf: {}", text);
  return n;
}

uint64_t effective_capabilities() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("CapEff:", 0) == 0) return std::stoull(line.substr(7), nullptr, 16);
  return 0;
}

}  // namespace

void route_libbpf_logs() {
  static std::once_flag once;
  std::call_once(once, [] { libbpf_set_print(libbpf_to_spdlog); });
}

Result<> check_bpf_privileges() {
  constexpr int kCapSysAdmin = 21, kCapPerfmon = 38, kCapBpf = 39;
  uint64_t caps = effective_capabilities();
  std::string missing;
  for (auto [bit, name] : {std::pair{kCapBpf, "CAP_BPF"}, std::pair{kCapPerfmon, "CAP_PERFMON"},
                           std::pair{kCapSysAdmin, "CAP_SYS_ADMIN"}}) {
    if (!(caps >> bit & 1)) missing += (missing.empty() ? "" : ", ") + std::string(name);
  }
  if (missing.empty()) return {};
  return fail("goinstr needs root to load eBPF programs and attach uprobes (missing " + missing +
              "): run it with sudo");
}

}  // namespace goinstr::agent
