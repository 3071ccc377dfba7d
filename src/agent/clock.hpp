// SPDX-License-Identifier: Apache-2.0
// BPF stamps events with CLOCK_MONOTONIC (bpf_ktime_get_ns); spans need Unix time. The offset
// between the two is taken once, at start: NTP slews both clocks alike, and a step of the wall
// clock during a run moves our spans by the same step, which is what an SDK in the process does.
#pragma once

#include <cstdint>
#include <ctime>

namespace goinstr::agent {

inline uint64_t clock_ns(clockid_t id) {
  timespec ts{};
  clock_gettime(id, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000ULL + static_cast<uint64_t>(ts.tv_nsec);
}

class MonotonicToUnix {
 public:
  MonotonicToUnix() : offset_ns_(clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_MONOTONIC)) {}
  uint64_t operator()(uint64_t monotonic_ns) const { return monotonic_ns + offset_ns_; }

 private:
  uint64_t offset_ns_;
};

}  // namespace goinstr::agent
