// SPDX-License-Identifier: Apache-2.0
#include "agent/agent.hpp"

#include <bpf/libbpf.h>
#include <spdlog/spdlog.h>

#include "agent/bpf_support.hpp"
#include "agent/clock.hpp"
#include "agent/http_server_offsets.hpp"
#include "agent/probe_plan.hpp"
#include "obj/go_binary.hpp"

namespace goinstr::agent {
namespace {

Result<obj::ProbeSite> probe_site(const obj::GoBinary& binary, std::string_view symbol) {
  auto fn = binary.find_function(symbol);
  if (!fn) {
    return fail(std::string(symbol) + " is not in the binary (is net/http linked in?)");
  }
  ASSIGN_OR_RETURN(auto site, binary.entry_probe_site(*fn));
  spdlog::debug("{}: probe at +{:#x} ({}, {}): {}", symbol, site.func_offset, site.insn,
                obj::to_string(site.insn_class), site.reason);
  if (site.insn_class != obj::InsnClass::kEmulated) {
    spdlog::warn("{}: no emulated probe site; the probe at +{:#x} is {} (about {} us per hit)",
                 symbol, site.func_offset, obj::to_string(site.insn_class),
                 obj::estimated_cost_us(site.insn_class));
  }
  return site;
}

}  // namespace

Agent::Agent(AgentOptions options, SpanSink sink)
    : options_(options), spans_(std::move(sink), options.max_request_duration_ns) {}

Agent::~Agent() {
  finish();
  if (ring_) ring_buffer__free(ring_);
}

Result<TargetInfo> Agent::trace(const std::string& executable, pid_t pid) {
  ASSIGN_OR_RETURN(auto binary, obj::GoBinary::open(executable));
  route_libbpf_logs();
  TRY(check_bpf_privileges());
  TargetInfo info{executable, binary.go_version(), pid};
  if (!options_.http_enabled) return info;

  std::vector<std::string> notes;
  auto offsets = resolve_http_server_offsets(binary, &notes);
  if (!offsets) return std::unexpected(offsets.error().context(executable));
  for (const auto& n : notes) spdlog::debug("{}: {}", executable, n);
  ASSIGN_OR_RETURN(auto start_site, probe_site(binary, kHttpServerHooks[0].symbol));
  ASSIGN_OR_RETURN(auto end_site, probe_site(binary, kHttpServerHooks[1].symbol));

  ASSIGN_OR_RETURN(auto probes, HttpServerProbes::load(*offsets, options_.ringbuf_bytes));
  TRY(probes->attach(executable, pid, start_site.file_offset, end_site.file_offset));

  int fd = probes->events_fd();
  if (!ring_) {
    ring_ = ring_buffer__new(fd, &Agent::on_record, this, nullptr);
    if (!ring_) return fail_errno("create ring buffer consumer");
  } else if (int rc = ring_buffer__add(ring_, fd, &Agent::on_record, this); rc < 0) {
    return fail_errno("add ring buffer", -rc);
  }
  targets_.push_back(Target{info, std::move(probes)});
  return info;
}

Result<> Agent::start() {
  if (!ring_) return fail("nothing to trace");
  pump_ = std::thread([this] { pump_loop(); });
  return {};
}

int Agent::on_record(void* ctx, void* data, size_t size) {
  static_cast<Agent*>(ctx)->dispatch(data, size);
  return 0;
}

void Agent::dispatch(const void* data, size_t size) {
  if (size < sizeof(goinstr_event_header)) return;
  const auto* hdr = static_cast<const goinstr_event_header*>(data);
  switch (hdr->type) {
    case GOINSTR_EVENT_HTTP_SERVER_START:
      if (size >= sizeof(http_server_start))
        spans_.on_start(*static_cast<const http_server_start*>(data));
      break;
    case GOINSTR_EVENT_HTTP_SERVER_END:
      if (size >= sizeof(http_server_end))
        spans_.on_end(*static_cast<const http_server_end*>(data));
      break;
    default:
      spdlog::debug("unknown record type {}", hdr->type);
  }
}

void Agent::pump_loop() {
  auto last_check = std::chrono::steady_clock::now();
  while (!stop_.load(std::memory_order_relaxed)) {
    {
      std::lock_guard lock(mu_);
      ring_buffer__consume(ring_);
    }
    auto now = std::chrono::steady_clock::now();
    if (now - last_check > std::chrono::seconds(1)) {
      last_check = now;
      std::lock_guard lock(mu_);
      spans_.expire(clock_ns(CLOCK_MONOTONIC));
      warn_on_new_drops();
    }
    std::this_thread::sleep_for(options_.poll_interval);
  }
}

std::array<uint64_t, GOINSTR_COUNTERS> Agent::kernel_counters() const {
  std::array<uint64_t, GOINSTR_COUNTERS> totals{};
  for (const auto& t : targets_) {
    auto c = t.http_server->counters();
    for (size_t i = 0; i < totals.size(); ++i) totals[i] += c[i];
  }
  return totals;
}

void Agent::warn_on_new_drops() {
  uint64_t dropped = kernel_counters()[GOINSTR_COUNTER_RINGBUF_FULL];
  if (dropped > warned_drops_) {
    spdlog::warn(
        "the kernel dropped {} records so far: ring buffer full (raise its size or "
        "lower the poll interval)",
        dropped);
    warned_drops_ = dropped;
  }
}

void Agent::finish() {
  if (pump_.joinable()) {
    stop_ = true;
    pump_.join();
  }
  std::lock_guard lock(mu_);
  if (ring_) ring_buffer__consume(ring_);
  spans_.abandon_all();
}

Report Agent::report() const {
  Report r;
  auto c = kernel_counters();
  r.ringbuf_full = c[GOINSTR_COUNTER_RINGBUF_FULL];
  r.read_failed = c[GOINSTR_COUNTER_READ_FAILED];
  std::lock_guard lock(mu_);
  r.http_server = spans_.stats();
  return r;
}

}  // namespace goinstr::agent
