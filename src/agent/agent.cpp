// SPDX-License-Identifier: Apache-2.0
#include "agent/agent.hpp"

#include <bpf/libbpf.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <span>

#include "agent/bpf_support.hpp"
#include "agent/clock.hpp"
#include "agent/http_server_offsets.hpp"
#include "agent/probe_offsets.hpp"
#include "agent/probe_plan.hpp"
#include "agent/stream_offsets.hpp"
#include "obj/go_binary.hpp"

namespace goinstr::agent {
namespace {

Result<obj::ProbeSite> entry_site(const obj::GoBinary& binary, const obj::GoFunction& fn) {
  ASSIGN_OR_RETURN(auto site, binary.entry_probe_site(fn));
  spdlog::debug("{}: probe at +{:#x} ({}, {}): {}", fn.name, site.func_offset, site.insn,
                obj::to_string(site.insn_class), site.reason);
  if (site.insn_class != obj::InsnClass::kEmulated) {
    spdlog::warn("{}: no emulated probe site; the probe at +{:#x} is {} (about {} us per hit)",
                 fn.name, site.func_offset, obj::to_string(site.insn_class),
                 obj::estimated_cost_us(site.insn_class));
  }
  return site;
}

}  // namespace

Result<std::vector<obj::ProbeSite>> resolve_hook_sites(const obj::GoBinary& binary,
                                                       const HookSpec& hook) {
  auto fn = binary.find_function(hook.symbol);
  if (!fn) return fail(std::string(hook.symbol) + " is not in the binary");
  switch (hook.kind) {
    case SiteKind::kEntry: {
      ASSIGN_OR_RETURN(auto site, entry_site(binary, *fn));
      return std::vector<obj::ProbeSite>{site};
    }
    case SiteKind::kReturns:
      return binary.return_sites(*fn);
    case SiteKind::kCallTo:
    case SiteKind::kBranchAfterCall: {
      auto callee = binary.find_function(hook.callee);
      if (!callee) return fail(std::string(hook.callee) + " is not in the binary");
      if (hook.kind == SiteKind::kCallTo) {
        ASSIGN_OR_RETURN(auto sites, binary.call_sites(*fn, *callee));
        if (sites.empty()) return fail(fmt::format("{} never calls {}", hook.symbol, hook.callee));
        return sites;
      }
      ASSIGN_OR_RETURN(auto site, binary.branch_after_call(*fn, *callee));
      return std::vector<obj::ProbeSite>{site};
    }
  }
  return fail("unknown site kind");
}

namespace {

// Attaches every hook of a family; a missing optional hook is logged, a missing required one
// fails the family.
Result<> attach_family(GoProbes& probes, const obj::GoBinary& binary,
                       std::span<const HookSpec> hooks, const std::string& executable, pid_t pid) {
  for (const HookSpec& hook : hooks) {
    if (!hook.unless.empty() && binary.find_function(hook.unless)) continue;
    auto sites = resolve_hook_sites(binary, hook);
    if (!sites) {
      if (hook.optional) {
        spdlog::debug("{}: optional hook skipped: {}", executable, sites.error().message);
        continue;
      }
      return std::unexpected(sites.error());
    }
    for (const auto& site : *sites)
      TRY(probes.attach(hook.program, executable, pid, site.file_offset, hook.cookie));
  }
  return {};
}

bool has_symbol(const obj::GoBinary& binary, std::string_view symbol) {
  return binary.find_function(symbol).has_value();
}

// Whether any of `hooks` is a function of the binary (alternatives across releases).
bool has_any(const obj::GoBinary& binary, std::initializer_list<std::string_view> symbols) {
  for (std::string_view s : symbols)
    if (has_symbol(binary, s)) return true;
  return false;
}

// /sys/kernel/security/lockdown reads "none [integrity] confidentiality"; any mode but none
// forbids bpf_probe_write_user. Unknown (securityfs not mounted) is not a refusal: the load
// itself will tell.
bool kernel_locked_down() {
  FILE* f = std::fopen("/sys/kernel/security/lockdown", "r");
  if (!f) return false;
  char buf[128] = {};
  size_t n = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  return std::string_view(buf, n).find("[none]") == std::string_view::npos;
}

}  // namespace

Agent::Agent(AgentOptions options, SpanSink sink)
    : options_(options),
      spans_(sink, options.max_request_duration_ns),
      client_spans_(sink, server_lookup()),
      db_spans_(sink, options.database, server_lookup()),
      grpc_server_(sink, options.max_request_duration_ns),
      grpc_client_(sink, server_lookup(), options.max_request_duration_ns) {
  grpc_server_.set_caller_lookup([this](const std::string& ip, int64_t port,
                                        const std::string& path, uint64_t start_ns,
                                        uint32_t stream_id) {
    return grpc_client_.claim_caller(ip, port, path, start_ns, stream_id);
  });
  spans_.set_peer_lookup(
      [this](const std::string& ip, int64_t port,
             const std::string& path) -> std::optional<std::pair<model::TraceId, model::SpanId>> {
        auto peer = client_spans_.claim_by_local_address(ip, port, path);
        if (!peer) return std::nullopt;
        return std::pair{peer->trace_id, peer->span_id};
      });
}

TraceLookup Agent::server_lookup() {
  return [this](uint32_t pid, uint64_t span) { return server_trace(pid, span); };
}

std::optional<model::TraceId> Agent::server_trace(uint32_t pid, uint64_t span_id) const {
  if (auto trace = spans_.trace_of(pid, span_id)) return trace;
  return grpc_server_.trace_of(pid, span_id);
}

Agent::~Agent() {
  finish();
  if (ring_) ring_buffer__free(ring_);
}

Result<std::unique_ptr<GoProbes>> Agent::load_probes(const obj::GoBinary& binary,
                                                     TargetFacts& facts,
                                                     const std::string& executable, pid_t pid) {
  std::vector<std::string> notes;
  ProbeConfig config;
  // A program without a net/http server (a gRPC-only service) has none of its types either.
  config.http_server = options_.http_enabled && has_symbol(binary, kHttpServerHooks[0].symbol);
  if (config.http_server) {
    auto server = resolve_http_server_offsets(binary, &notes);
    if (!server) return std::unexpected(server.error().context(executable));
    config.server = *server;
  }
  ASSIGN_OR_RETURN(config.runtime, resolve_runtime_offsets(binary, &notes));
  facts = gather_target_facts(binary, &notes);

  config.goroutines = options_.follow_goroutines && config.runtime.g_parent_goid != 0;
  if (options_.database_enabled && (has_symbol(binary, kDatabaseHooks[0].symbol) ||
                                    has_symbol(binary, kDatabaseHooks[1].symbol))) {
    if (auto db = resolve_db_offsets(binary, &notes)) {
      config.db = *db;
      config.db.db_connector = facts.db_connector_offset;
      config.db.dsn_connector_itab = facts.dsn_connector_itab.value_or(0);
      config.database = true;
    } else {
      spdlog::warn("{}: database spans off: {}", executable, db.error().message);
    }
  }
  if (options_.http_client_enabled && has_symbol(binary, kHttpClientHooks[0].symbol)) {
    if (auto client = resolve_http_client_offsets(binary, &notes)) {
      config.client = *client;
      config.http_client = true;
    } else {
      spdlog::warn("{}: HTTP client spans off: {}", executable, client.error().message);
    }
  }
  configure_streams(binary, facts, executable, config, notes);
  if (options_.trace_headers && config.http_client) {
    if (kernel_locked_down()) {
      injection_refused_ = true;
    } else if (!facts.bufio_writer_itab || !config.client.bufio_writer_n) {
      spdlog::warn("{}: traceparent injection off: cannot identify bufio.Writer in this binary",
                   executable);
    } else {
      config.inject = true;
      config.bufio_writer_itab = *facts.bufio_writer_itab;
    }
    // Trace ids are chosen in BPF even without injection, so spans agree either way.
    config.server.propagate = 1;
    config.grpc.propagate = 1;
    config.runtime.live_check = 1;
  }
  for (const auto& n : notes) spdlog::debug("{}: {}", executable, n);
  if (!config.http_server && !config.database && !config.http_client && !config.grpc_server &&
      !config.grpc_client)
    return fail(executable +
                ": nothing goinstr traces is in this program (no net/http server or client, no "
                "google.golang.org/grpc, no database/sql), or it is switched off in the config");

  auto probes = GoProbes::load(config, options_.ringbuf_bytes);
  if (!probes && config.inject) {
    // The kernel refused the program that writes user memory: lockdown where securityfs is not
    // mounted, or the verifier. Say which error it was; the rest is traced without it.
    spdlog::debug("loading with traceparent injection failed: {}", probes.error().message);
    injection_refused_ = true;
    config.inject = false;
    probes = GoProbes::load(config, options_.ringbuf_bytes);
  }
  if (!probes) return std::unexpected(probes.error());
  if (injection_refused_)
    spdlog::warn(
        "trace_headers is on, but this kernel forbids BPF writes to process memory (lockdown); "
        "outgoing requests go without traceparent, everything else is traced");
  TRY((*probes)->set_error_messages(facts.error_message_offsets));
  if (config.http_server) TRY(attach_family(**probes, binary, kHttpServerHooks, executable, pid));
  // The HTTP server family, when the program has one, must attach; another family that cannot is
  // reported and left out (the linker drops what a program never calls, e.g. execDC in a program
  // without Exec).
  auto optional_family = [&](bool on, std::span<const HookSpec> hooks, const char* family) {
    if (!on) return;
    if (auto attached = attach_family(**probes, binary, hooks, executable, pid); !attached)
      spdlog::warn("{}: {} not traced: {}", executable, family, attached.error().message);
  };
  optional_family(config.database, kDatabaseHooks, "database/sql");
  optional_family(config.http_client, kHttpClientHooks, "net/http client");
  optional_family(config.inject, kInjectionHooks, "traceparent injection");
  optional_family(config.goroutines, kGoroutineHooks, "goroutine hand-off");
  optional_family(config.http_server && config.http2, kHttp2ServerHooks, "HTTP/2 server");
  optional_family(config.grpc_server, kGrpcServerHooks, "gRPC server");
  optional_family(config.grpc_client, kGrpcClientHooks, "gRPC client");
  return probes;
}

void Agent::configure_streams(const obj::GoBinary& binary, const TargetFacts& facts,
                              const std::string& executable, ProbeConfig& config,
                              std::vector<std::string>& notes) const {
  if (config.http_server) {  // HTTP/2 requests use the HTTP/1 start hook and Request offsets
    config.h2 = resolve_http2_server_offsets(binary, &notes);
    // A server whose end hook is missing would only pile up starts: it stays off.
    auto& std_h2 = config.h2.impl[GOINSTR_HTTP2_STD];
    if (!has_any(binary, {kHttp2ServerHooks[0].symbol, kHttp2ServerHooks[2].symbol})) std_h2.on = 0;
    auto& xnet = config.h2.impl[GOINSTR_HTTP2_XNET];
    if (!has_symbol(binary, kHttp2ServerHooks[5].symbol)) xnet.on = 0;
    config.http2 = std_h2.on || xnet.on;
  }
  if (!options_.grpc_enabled) return;
  bool server = has_symbol(binary, kGrpcServerHooks[0].symbol);
  bool client = has_symbol(binary, kGrpcClientHooks[0].symbol);
  if (!server && !client) return;
  GrpcOffsets grpc = resolve_grpc_offsets(binary, facts.grpc_status_error_itab.value_or(0), &notes);
  config.grpc = grpc.offsets;
  config.grpc_server = server && grpc.server;
  config.grpc_client = client && grpc.client;
  if (server && !grpc.server)
    spdlog::warn("{}: gRPC server spans off: its struct offsets are unknown (see debug log)",
                 executable);
  if (client && !grpc.client)
    spdlog::warn("{}: gRPC client spans off: its struct offsets are unknown (see debug log)",
                 executable);
  if (config.grpc_server &&
      !has_any(binary, {kGrpcServerHooks[2].symbol, kGrpcServerHooks[3].symbol})) {
    spdlog::warn("{}: gRPC server spans off: no (*http2Server).writeStatus or WriteStatus",
                 executable);
    config.grpc_server = false;
  }
}

Result<TargetInfo> Agent::trace(const std::string& executable, pid_t pid) {
  ASSIGN_OR_RETURN(auto binary, obj::GoBinary::open(executable));
  route_libbpf_logs();
  TRY(check_bpf_privileges());
  TargetInfo info{executable, binary.go_version(), pid};
  if (!options_.http_enabled && !options_.database_enabled && !options_.http_client_enabled &&
      !options_.grpc_enabled)
    return info;

  auto facts = std::make_shared<TargetFacts>();
  ASSIGN_OR_RETURN(auto probes, load_probes(binary, *facts, executable, pid));
  sources_.push_back(std::make_unique<Source>(Source{this, targets_.size()}));
  int fd = probes->events_fd();
  if (!ring_) {
    ring_ = ring_buffer__new(fd, &Agent::on_record, sources_.back().get(), nullptr);
    if (!ring_) return fail_errno("create ring buffer consumer");
  } else if (int rc = ring_buffer__add(ring_, fd, &Agent::on_record, sources_.back().get());
             rc < 0) {
    return fail_errno("add ring buffer", -rc);
  }
  targets_.push_back(Target{info, std::move(probes), std::move(facts)});
  return info;
}

Result<> Agent::start() {
  if (!ring_) return fail("nothing to trace");
  pump_ = std::thread([this] { pump_loop(); });
  return {};
}

// One ring is already in order and is handled in place. With several (one per traced executable)
// records are copied out and handled in timestamp order once the rings are drained: a caller's
// client record must be seen before the callee's server record for the two to be linked.
int Agent::on_record(void* ctx, void* data, size_t size) {
  auto* source = static_cast<Source*>(ctx);
  Agent* agent = source->agent;
  if (size < sizeof(goinstr_event_header)) return 0;
  if (agent->targets_.size() == 1) {
    agent->dispatch(data, size, *agent->targets_[source->target].facts);
    return 0;
  }
  const auto* hdr = static_cast<const goinstr_event_header*>(data);
  agent->batch_.push_back(
      Record{hdr->ts_ns, source->target, std::string(static_cast<const char*>(data), size)});
  return 0;
}

void Agent::drain() {
  batch_.clear();
  ring_buffer__consume(ring_);
  std::stable_sort(batch_.begin(), batch_.end(),
                   [](const Record& a, const Record& b) { return a.ts_ns < b.ts_ns; });
  for (const Record& r : batch_)
    dispatch(r.bytes.data(), r.bytes.size(), *targets_[r.target].facts);
  batch_.clear();
}

namespace {

std::string error_type_name(const TargetFacts& facts, uint64_t itab) {
  auto it = facts.error_types.find(itab);
  return it == facts.error_types.end() ? std::string() : it->second;
}

std::string fixed_message(const TargetFacts& facts, uint64_t itab) {
  auto it = facts.fixed_error_messages.find(itab);
  return it == facts.fixed_error_messages.end() ? std::string() : it->second;
}

}  // namespace

void Agent::dispatch(const void* data, size_t size, const TargetFacts& facts) {
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
    case GOINSTR_EVENT_DB_START:
      if (size >= sizeof(db_start)) {
        const auto& r = *static_cast<const db_start*>(data);
        auto it = db_targets_.find({r.hdr.pid, r.db_ptr});
        db_spans_.on_start(r, it != db_targets_.end() ? it->second : DbTarget{facts.db_system});
      }
      break;
    case GOINSTR_EVENT_DB_TARGET:
      if (size >= sizeof(db_target)) {
        const auto& r = *static_cast<const db_target*>(data);
        std::string_view dsn(r.dsn, std::min<size_t>(r.dsn_len, GOINSTR_DSN_MAX));
        // Bounded: a program opening databases in a loop cannot grow this without limit.
        if (db_targets_.size() > 4096) db_targets_.clear();
        db_targets_[{r.hdr.pid, r.db_ptr}] = db_target_from_dsn(facts, dsn);
      }
      break;
    case GOINSTR_EVENT_DB_END:
      if (size >= sizeof(db_end)) {
        const auto& r = *static_cast<const db_end*>(data);
        db_spans_.on_end(r, error_type_name(facts, r.err_itab), fixed_message(facts, r.err_itab));
      }
      break;
    case GOINSTR_EVENT_HTTP_CLIENT_START:
      if (size >= sizeof(http_client_start))
        client_spans_.on_start(*static_cast<const http_client_start*>(data));
      break;
    case GOINSTR_EVENT_HTTP_CLIENT_CONN:
      if (size >= sizeof(http_client_conn))
        client_spans_.on_conn(*static_cast<const http_client_conn*>(data));
      break;
    case GOINSTR_EVENT_HTTP_CLIENT_END:
      if (size >= sizeof(http_client_end)) {
        const auto& r = *static_cast<const http_client_end*>(data);
        client_spans_.on_end(r, error_type_name(facts, r.err_itab),
                             fixed_message(facts, r.err_itab));
      }
      break;
    case GOINSTR_EVENT_GRPC_SERVER_START:
      if (size >= sizeof(grpc_server_start))
        grpc_server_.on_start(*static_cast<const grpc_server_start*>(data));
      break;
    case GOINSTR_EVENT_GRPC_SERVER_END:
      if (size >= sizeof(grpc_server_end))
        grpc_server_.on_end(*static_cast<const grpc_server_end*>(data));
      break;
    case GOINSTR_EVENT_GRPC_CLIENT_START:
      if (size >= sizeof(grpc_client_start))
        grpc_client_.on_start(*static_cast<const grpc_client_start*>(data));
      break;
    case GOINSTR_EVENT_GRPC_CLIENT_CONN:
      if (size >= sizeof(grpc_client_conn))
        grpc_client_.on_conn(*static_cast<const grpc_client_conn*>(data));
      break;
    case GOINSTR_EVENT_GRPC_CLIENT_END:
      if (size >= sizeof(grpc_client_end)) {
        const auto& r = *static_cast<const grpc_client_end*>(data);
        grpc_client_.on_end(r, error_type_name(facts, r.err_itab));
      }
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
      drain();
    }
    auto now = std::chrono::steady_clock::now();
    if (now - last_check > std::chrono::seconds(1)) {
      last_check = now;
      std::lock_guard lock(mu_);
      uint64_t mono_ns = clock_ns(CLOCK_MONOTONIC);
      spans_.expire(mono_ns);
      grpc_server_.expire(mono_ns);
      grpc_client_.expire(mono_ns);
      warn_on_new_drops();
    }
    std::this_thread::sleep_for(options_.poll_interval);
  }
}

std::array<uint64_t, GOINSTR_COUNTERS> Agent::kernel_counters() const {
  std::array<uint64_t, GOINSTR_COUNTERS> totals{};
  for (const auto& t : targets_) {
    auto c = t.probes->counters();
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
  if (ring_) drain();
  spans_.abandon_all();
  client_spans_.abandon_all();
  db_spans_.abandon_all();
  grpc_server_.abandon_all();
  grpc_client_.abandon_all();
}

Report Agent::report() const {
  Report r;
  auto c = kernel_counters();
  r.ringbuf_full = c[GOINSTR_COUNTER_RINGBUF_FULL];
  r.read_failed = c[GOINSTR_COUNTER_READ_FAILED];
  r.injected = c[GOINSTR_COUNTER_INJECTED];
  r.inject_present = c[GOINSTR_COUNTER_INJECT_PRESENT];
  r.inject_no_room = c[GOINSTR_COUNTER_INJECT_NO_ROOM];
  r.inject_failed = c[GOINSTR_COUNTER_INJECT_FAILED];
  r.goroutines_linked = c[GOINSTR_COUNTER_GOROUTINES_LINKED];
  r.invalid_traceparent = c[GOINSTR_COUNTER_INVALID_TRACEPARENT];
  r.injection_refused = injection_refused_;
  std::lock_guard lock(mu_);
  r.http_server = spans_.stats();
  r.http_client = client_spans_.stats();
  r.database = db_spans_.stats();
  r.grpc_server = grpc_server_.stats();
  r.grpc_client = grpc_client_.stats();
  return r;
}

}  // namespace goinstr::agent
