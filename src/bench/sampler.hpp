// SPDX-License-Identifier: Apache-2.0
// Samples the service, the agent and the collector (and the whole machine) at a fixed interval
// on a thread of its own while the load generator runs on the calling thread. The first sample
// is taken by start() and the last by finish(), so the samples span exactly the measured window.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "bench/proc_stats.hpp"

namespace goinstr::bench {

struct Sample {
  double t_s = 0;  // since start()
  std::optional<ProcessSample> service;
  std::optional<ProcessSample> agent;
  std::optional<ProcessSample> collector;
  CpuTimes system;
};

struct SampleTargets {
  pid_t service = -1;
  pid_t agent = -1;      // -1: none
  pid_t collector = -1;  // -1: unknown
};

class Sampler {
 public:
  Sampler(SampleTargets targets, std::chrono::milliseconds interval);
  ~Sampler();
  Sampler(const Sampler&) = delete;
  Sampler& operator=(const Sampler&) = delete;

  void start();
  // Stops the thread, takes the last sample and hands over all of them.
  std::vector<Sample> finish();

 private:
  void take();
  void loop();

  SampleTargets targets_;
  std::chrono::milliseconds interval_;
  std::chrono::steady_clock::time_point started_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::vector<Sample> samples_;
  std::thread thread_;
};

}  // namespace goinstr::bench
