// SPDX-License-Identifier: Apache-2.0
#include "bench/sampler.hpp"

namespace goinstr::bench {
namespace {

std::optional<ProcessSample> sample_of(pid_t pid) {
  if (pid <= 0) return std::nullopt;
  auto sample = read_process(pid);
  return sample ? std::optional(*sample) : std::nullopt;
}

}  // namespace

Sampler::Sampler(SampleTargets targets, std::chrono::milliseconds interval)
    : targets_(targets), interval_(interval) {}

Sampler::~Sampler() {
  if (thread_.joinable()) finish();
}

void Sampler::start() {
  started_ = std::chrono::steady_clock::now();
  take();
  thread_ = std::thread([this] { loop(); });
}

std::vector<Sample> Sampler::finish() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  take();
  std::lock_guard lock(mutex_);
  return std::move(samples_);
}

void Sampler::take() {
  Sample s;
  s.service = sample_of(targets_.service);
  s.agent = sample_of(targets_.agent);
  s.collector = sample_of(targets_.collector);
  if (auto cpu = read_system_cpu()) s.system = *cpu;
  s.t_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  std::lock_guard lock(mutex_);
  samples_.push_back(std::move(s));
}

void Sampler::loop() {
  // Ticks on a fixed grid from start(), so a slow read does not stretch every later interval.
  auto next = started_ + interval_;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      if (wake_.wait_until(lock, next, [this] { return stopping_; })) return;
    }
    take();
    next += interval_;
  }
}

}  // namespace goinstr::bench
