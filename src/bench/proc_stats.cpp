// SPDX-License-Identifier: Apache-2.0
#include "bench/proc_stats.hpp"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace goinstr::bench {
namespace {

std::string trim_left(std::string text) {
  return text.substr(std::min(text.size(), text.find_first_not_of(" \t")));
}

Result<std::string> read_text(const std::string& path) {
  std::ifstream in(path);
  if (!in) return fail_errno("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

uint64_t to_u64(std::string_view text) {
  uint64_t v = 0;
  std::from_chars(text.data(), text.data() + text.size(), v);
  return v;
}

double ticks_to_seconds(uint64_t ticks) {
  static const double per_second = static_cast<double>(sysconf(_SC_CLK_TCK));
  return static_cast<double>(ticks) / per_second;
}

}  // namespace

Result<ProcessSample> read_process(pid_t pid) {
  std::string dir = "/proc/" + std::to_string(pid);
  ASSIGN_OR_RETURN(std::string stat, read_text(dir + "/stat"));
  // The command name is in parentheses and may hold spaces or parentheses itself: the fields
  // that follow start after the last ')'. utime and stime are fields 14 and 15 of the line.
  size_t close = stat.rfind(')');
  if (close == std::string::npos) return fail(dir + "/stat: unexpected format");
  std::istringstream fields(stat.substr(close + 1));
  std::vector<std::string> after_comm;
  for (std::string f; fields >> f && after_comm.size() < 13;) after_comm.push_back(f);
  if (after_comm.size() < 13) return fail(dir + "/stat: too few fields");
  ProcessSample sample;
  sample.user_s = ticks_to_seconds(to_u64(after_comm[11]));
  sample.system_s = ticks_to_seconds(to_u64(after_comm[12]));

  ASSIGN_OR_RETURN(std::string status, read_text(dir + "/status"));
  // A zombie has no VmRSS line: it holds no memory any more.
  if (size_t at = status.find("\nVmRSS:"); at != std::string::npos)
    sample.rss_mib = static_cast<double>(to_u64(trim_left(status.substr(at + 7)))) / 1024.0;
  return sample;
}

Result<CpuTimes> read_system_cpu() {
  ASSIGN_OR_RETURN(std::string stat, read_text("/proc/stat"));
  // "cpu  user nice system idle iowait irq softirq steal guest guest_nice"; guest time is
  // already counted in user, so it is not added again.
  std::istringstream line(stat.substr(0, stat.find('\n')));
  std::string label;
  line >> label;
  if (label != "cpu") return fail("/proc/stat: no cpu line");
  uint64_t v[8] = {};
  for (auto& x : v) line >> x;
  CpuTimes t;
  uint64_t idle = v[3] + v[4];
  t.busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
  t.total = t.busy + idle;
  return t;
}

double busy_percent(const CpuTimes& from, const CpuTimes& to) {
  if (to.total <= from.total || to.busy < from.busy) return 0;
  return 100.0 * static_cast<double>(to.busy - from.busy) /
         static_cast<double>(to.total - from.total);
}

}  // namespace goinstr::bench
