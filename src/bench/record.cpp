// SPDX-License-Identifier: Apache-2.0
#include "bench/record.hpp"

#include <algorithm>

namespace goinstr::bench {
namespace {

constexpr double kNsPerMs = 1e6;
constexpr double kShortestTail_s = 0.5;

double ms(uint64_t ns) {
  return static_cast<double>(ns) / kNsPerMs;
}

double cpu_of(const ProcessSample& s) {
  return s.user_s + s.system_s;
}

// The last sample at or before `t`, and the first at or after `t_end` (clamped to the ends),
// which bracket the interval [t, t_end].
std::pair<const Sample*, const Sample*> bracket(const std::vector<Sample>& samples, double t,
                                                double t_end) {
  const Sample* from = &samples.front();
  const Sample* to = &samples.back();
  for (const auto& s : samples) {
    if (s.t_s <= t) from = &s;
    if (s.t_s >= t_end) {
      to = &s;
      break;
    }
  }
  return {from, to};
}

// CPU of one process between two samples, in percent of one core.
double cpu_percent(const Sample& from, const Sample& to, SampleField which) {
  const auto& a = from.*which;
  const auto& b = to.*which;
  double dt = to.t_s - from.t_s;
  if (!a || !b || dt <= 0) return 0;
  return std::max(0.0, cpu_of(*b) - cpu_of(*a)) / dt * 100.0;
}

}  // namespace

std::optional<ProcessUsage> usage_of(const std::vector<Sample>& samples, SampleField which) {
  const ProcessSample* first = nullptr;
  const ProcessSample* last = nullptr;
  double rss_sum = 0;
  int seen = 0;
  ProcessUsage usage;
  for (const auto& s : samples) {
    const auto& p = s.*which;
    if (!p) continue;
    if (!first) first = &*p;
    last = &*p;
    usage.rss_peak_mib = std::max(usage.rss_peak_mib, p->rss_mib);
    rss_sum += p->rss_mib;
    ++seen;
  }
  if (seen == 0) return std::nullopt;
  usage.cpu_user_s = std::max(0.0, last->user_s - first->user_s);
  usage.cpu_system_s = std::max(0.0, last->system_s - first->system_s);
  usage.rss_mean_mib = rss_sum / seen;
  return usage;
}

std::vector<TimelinePoint> timeline_of(const load::Results& load,
                                       const std::vector<Sample>& samples) {
  std::vector<TimelinePoint> points;
  for (const auto& second : load.seconds) {
    // The drain after the last stage is a sliver of a second; its rate (a few responses over a
    // few milliseconds) would plot as a spike that never happened.
    if (&second == &load.seconds.back() && second.duration_s < kShortestTail_s) continue;
    TimelinePoint p;
    p.t_s = second.second;
    p.rps = second.rps();
    p.vus = second.vus;
    load::Histogram latency;
    latency.add_sparse(second.latency);
    p.p50_ms = ms(latency.percentile(50));
    p.p99_ms = ms(latency.percentile(99));
    if (!samples.empty()) {
      auto [from, to] = bracket(samples, p.t_s, p.t_s + second.duration_s);
      p.service_cpu_pct = cpu_percent(*from, *to, &Sample::service);
      p.agent_cpu_pct = cpu_percent(*from, *to, &Sample::agent);
      p.system_cpu_pct = busy_percent(from->system, to->system);
      if (to->service) p.service_rss_mib = to->service->rss_mib;
    }
    points.push_back(p);
  }
  return points;
}

void fill_measurements(RunRecord& run, const load::Results& load,
                       const std::vector<Sample>& samples, bool has_agent) {
  const load::Counts& c = load.counts;
  run.duration_s = std::chrono::duration<double>(load.elapsed).count();
  run.requests = c.requests;
  run.responses = c.responses;
  run.errors = c.errors();
  run.timeouts = c.timeouts;
  run.throughput_rps = load.rps();
  run.p50_ms = ms(load.latency.percentile(50));
  run.p90_ms = ms(load.latency.percentile(90));
  run.p99_ms = ms(load.latency.percentile(99));
  run.p999_ms = ms(load.latency.percentile(99.9));
  run.max_ms = ms(load.latency.max());
  run.service = usage_of(samples, &Sample::service).value_or(ProcessUsage{});
  run.agent = has_agent ? usage_of(samples, &Sample::agent) : std::nullopt;
  run.collector = usage_of(samples, &Sample::collector);
  run.load_generator_cpu_s = load.cpu_seconds;
  run.system_cpu_pct =
      samples.empty() ? 0 : busy_percent(samples.front().system, samples.back().system);
  run.timeline = timeline_of(load, samples);
}

}  // namespace goinstr::bench
