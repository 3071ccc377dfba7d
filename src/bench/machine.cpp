// SPDX-License-Identifier: Apache-2.0
#include "bench/machine.hpp"

#include <sys/utsname.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "bench/child.hpp"

namespace goinstr::bench {
namespace {

// The value of the first "key : value" line of a /proc file whose key starts with `key`.
std::string proc_field(const char* path, std::string_view key) {
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (!line.starts_with(key)) continue;
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    size_t start = line.find_first_not_of(" \t", colon + 1);
    return start == std::string::npos ? "" : line.substr(start);
  }
  return "";
}

std::string go_version(const std::filesystem::path& dir, const std::filesystem::path& log_dir) {
  auto done =
      run_to_end({"go version", dir, {}, log_dir / "go-version.log"}, std::chrono::seconds(120));
  if (!done || done->status != 0) return "unknown";
  return first_lines(done->output, 1);
}

}  // namespace

Machine describe_machine(const std::filesystem::path& service_dir,
                         const std::filesystem::path& log_dir) {
  Machine m;
  m.cpu_model = proc_field("/proc/cpuinfo", "model name");
  m.cores = static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN));
  // "MemTotal:       24567890 kB"
  m.memory_gib = std::atof(proc_field("/proc/meminfo", "MemTotal").c_str()) / (1024.0 * 1024.0);
  utsname u{};
  if (uname(&u) == 0) m.kernel = u.release;
  m.go_version = go_version(service_dir, log_dir);
  m.goinstr_version = kGoinstrVersion;
  return m;
}

}  // namespace goinstr::bench
