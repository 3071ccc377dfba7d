// SPDX-License-Identifier: Apache-2.0
// What /proc says about a process and about the machine: CPU time split into user and system
// (/proc/PID/stat, all threads, dead ones included), resident memory (/proc/PID/status VmRSS),
// and the whole machine's busy time (/proc/stat).
#pragma once

#include <sys/types.h>

#include <cstdint>

#include "common/result.hpp"

namespace goinstr::bench {

struct ProcessSample {
  double user_s = 0;
  double system_s = 0;
  double rss_mib = 0;
};

// Fails when the process is gone (or /proc cannot be read).
Result<ProcessSample> read_process(pid_t pid);

// Jiffies of all CPUs together since boot.
struct CpuTimes {
  uint64_t busy = 0;   // everything but idle and iowait
  uint64_t total = 0;  // busy + idle + iowait
};

Result<CpuTimes> read_system_cpu();

// Busy share of the machine between two readings, 0-100 (all cores = 100).
double busy_percent(const CpuTimes& from, const CpuTimes& to);

}  // namespace goinstr::bench
