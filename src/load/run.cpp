// SPDX-License-Identifier: Apache-2.0
#include "load/run.hpp"

#include <netdb.h>
#include <sys/resource.h>
#include <time.h>

#include <cstring>
#include <memory>
#include <thread>

#include "load/request.hpp"
#include "load/worker.hpp"

namespace goinstr::load {
namespace {

uint64_t monotonic_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000 + static_cast<uint64_t>(ts.tv_nsec);
}

// Resolved once: a load test measures the server, not the resolver.
Result<void> resolve(const Url& url, RunSetup& setup) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  std::string port = std::to_string(url.port);
  int rc = getaddrinfo(url.host.c_str(), port.c_str(), &hints, &res);
  if (rc != 0) return fail("resolve " + url.host + ": " + gai_strerror(rc));
  std::memcpy(&setup.addr, res->ai_addr, res->ai_addrlen);
  setup.addr_len = res->ai_addrlen;
  freeaddrinfo(res);
  return {};
}

// 1000 VUs need 1000 sockets; the soft limit is often 1024, the hard one much higher.
void raise_fd_limit(uint64_t sockets) {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return;
  rlim_t want = sockets + 64;
  if (rl.rlim_cur >= want) return;
  rl.rlim_cur = rl.rlim_max == RLIM_INFINITY ? want : std::min<rlim_t>(want, rl.rlim_max);
  setrlimit(RLIMIT_NOFILE, &rl);
}

Nanos planned_duration(const Plan& plan) {
  if (const auto* closed = std::get_if<ClosedModel>(&plan.model)) {
    return total_duration(closed->stages);
  }
  return std::get<OpenModel>(plan.model).duration;
}

uint64_t sockets_needed(const Plan& plan) {
  if (const auto* closed = std::get_if<ClosedModel>(&plan.model)) return max_vus(closed->stages);
  return std::get<OpenModel>(plan.model).connections;
}

// Turns the workers' cumulative counters into the once-a-second progress report.
class Reporter {
 public:
  Reporter(RunSetup& setup, const LiveCounters* live, const ProgressCallback& cb)
      : setup_(setup), live_(live), cb_(cb) {}

  void tick() {
    if (!cb_) return;
    Progress p;
    uint64_t t = monotonic_ns();
    p.elapsed = Nanos(t - setup_.start_ns);
    p.planned = Nanos(setup_.end_ns - setup_.start_ns);
    const auto* open = std::get_if<OpenModel>(&setup_.plan.model);
    p.open_model = open != nullptr;
    p.target_rate = open ? open->rate : 0;
    for (unsigned i = 0; i < setup_.threads; ++i) {
      p.requests += live_[i].requests.load(std::memory_order_relaxed);
      p.responses += live_[i].responses.load(std::memory_order_relaxed);
      p.errors += live_[i].errors.load(std::memory_order_relaxed);
      p.timeouts += live_[i].timeouts.load(std::memory_order_relaxed);
      p.dropped += live_[i].dropped.load(std::memory_order_relaxed);
      p.vus += live_[i].vus.load(std::memory_order_relaxed);
    }
    uint64_t since = t - (last_ns_ ? last_ns_ : setup_.start_ns);
    p.rps = since ? static_cast<double>(p.responses - last_responses_) * 1e9 /
                        static_cast<double>(since)
                  : 0;
    last_ns_ = t;
    last_responses_ = p.responses;
    if (!cb_(p)) setup_.stop.store(true, std::memory_order_relaxed);
  }

 private:
  RunSetup& setup_;
  const LiveCounters* live_;
  const ProgressCallback& cb_;
  uint64_t last_ns_ = 0;
  uint64_t last_responses_ = 0;
};

void merge_seconds(std::vector<WorkerOutput>& outs, Results& r) {
  std::map<uint32_t, std::pair<SecondStats, Histogram>> by_second;
  for (auto& out : outs) {
    for (auto& rec : out.seconds) {
      auto [it, inserted] = by_second.try_emplace(rec.second);
      auto& [s, h] = it->second;
      const SecondStats& w = rec.stats;
      if (inserted) s.duration_s = 0;
      s.second = rec.second;
      s.duration_s = std::max(s.duration_s, w.duration_s);
      s.requests += w.requests;
      s.responses += w.responses;
      s.successes += w.successes;
      s.http_errors += w.http_errors;
      s.transport_errors += w.transport_errors;
      s.timeouts += w.timeouts;
      s.dropped += w.dropped;
      s.vus += w.vus;
      s.connections += w.connections;
      h.add_sparse(w.latency);
    }
  }
  for (auto& [second, entry] : by_second) {
    auto& [s, h] = entry;
    bool empty = s.requests == 0 && s.responses == 0 && s.timeouts == 0 &&
                 s.transport_errors == 0 && s.dropped == 0;
    if (empty && s.duration_s < 0.001) continue;  // the run ended right on a second boundary
    s.latency = h.sparse();
    r.seconds.push_back(std::move(s));
  }
}

Results merge(const RunSetup& setup, std::vector<WorkerOutput>& outs) {
  Results r;
  r.plan = setup.plan;
  r.planned = Nanos(setup.end_ns - setup.start_ns);
  uint64_t finished = setup.start_ns;
  for (auto& out : outs) {
    r.counts.add(out.counts);
    for (auto [code, n] : out.status_codes) r.status_codes[code] += n;
    for (auto& [kind, msg] : out.first_errors) r.first_errors.try_emplace(kind, msg);
    r.latency.merge(out.latency);
    r.peak_vus += out.peak_vus;
    r.cpu_seconds += out.cpu_seconds;
    finished = std::max(finished, out.finished_ns);
  }
  r.elapsed = Nanos(finished - setup.start_ns);
  r.cancelled = setup.stop.load();
  merge_seconds(outs, r);
  return r;
}

}  // namespace

Result<Results> run(const Plan& plan, const ProgressCallback& progress) {
  TRY(validate(plan));
  ASSIGN_OR_RETURN(Url url, parse_url(plan.url));
  auto setup = std::make_unique<RunSetup>();
  setup->plan = plan;
  setup->request = build_request(plan, url);
  setup->head = plan.method == "HEAD";
  setup->threads = plan.threads;
  TRY(resolve(url, *setup));
  raise_fd_limit(sockets_needed(plan));

  auto live = std::make_unique<LiveCounters[]>(plan.threads);
  std::vector<std::unique_ptr<Worker>> workers;
  for (unsigned i = 0; i < plan.threads; ++i) {
    workers.push_back(std::make_unique<Worker>(*setup, i, live[i]));
    TRY(workers.back()->init());
  }
  Reporter reporter(*setup, live.get(), progress);
  auto started_at = std::chrono::system_clock::now();
  setup->start_ns = monotonic_ns();
  setup->end_ns = setup->start_ns + static_cast<uint64_t>(planned_duration(plan).count());

  std::vector<std::jthread> threads;
  for (unsigned i = 1; i < plan.threads; ++i) {
    threads.emplace_back([&, i] { workers[i]->run({}); });
  }
  workers[0]->run([&] { reporter.tick(); });
  threads.clear();  // joins

  std::vector<WorkerOutput> outs;
  for (auto& w : workers) outs.push_back(w->take());
  Results r = merge(*setup, outs);
  r.started_at = started_at;
  return r;
}

}  // namespace goinstr::load
