// SPDX-License-Identifier: Apache-2.0
#include "cli/session.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <mutex>

#include "agent/bpf_support.hpp"
#include "config/resource.hpp"

namespace goinstr::cli {
namespace {

Result<std::vector<std::unique_ptr<exporter::SpanExporter>>> make_exporters(
    const config::Config& config) {
  std::vector<std::unique_ptr<exporter::SpanExporter>> out;
  if (!config.endpoint.empty()) {
    auto options = config::otlp_options(config);
    out.push_back(config.protocol == exporter::Protocol::kGrpc
                      ? exporter::make_otlp_grpc_exporter(options)
                      : exporter::make_otlp_http_exporter(options));
  }
  if (!config.output_file.empty()) {
    ASSIGN_OR_RETURN(auto file, exporter::make_json_lines_exporter(config.output_file));
    out.push_back(std::move(file));
  }
  if (config.console) out.push_back(exporter::make_console_exporter(stdout));
  return out;
}

// RED metrics need somewhere to go: an OTLP metrics endpoint or a Prometheus address.
Result<std::unique_ptr<metrics::SpanMetrics>> start_metrics(const config::Config& config,
                                                            metrics::ResourceFn resource_for_pid) {
  auto otlp = config::metrics_otlp_options(config);
  if (config.sdk_disabled || !config.metrics_enabled ||
      (!otlp && config.prometheus_address.empty()))
    return nullptr;
  metrics::SpanMetricsOptions options;
  options.otlp = std::move(otlp);
  options.export_interval = std::chrono::milliseconds(config.metric_export_interval_ms);
  options.prometheus_address = config.prometheus_address;
  auto started = metrics::SpanMetrics::start(options, std::move(resource_for_pid));
  if (!started)
    return std::unexpected(started.error().context(
        "export.prometheus (" + config::source_of(config, "export.prometheus") + ")"));
  return std::move(*started);
}

// One line for what metrics did, one warning for what they lost.
void report_metrics(const metrics::SpanMetrics& m) {
  const auto s = m.summary();
  std::string outputs;
  if (s.otlp)
    outputs += fmt::format("; {} OTLP exports sent {} data points", s.otlp->exports,
                           s.otlp->points_exported);
  if (s.scrapes) outputs += fmt::format("; {} Prometheus scrapes served", *s.scrapes);
  spdlog::info("metrics: {} spans measured in {} series{}", s.aggregator.measurements,
               s.aggregator.series, outputs);
  const uint64_t failed = s.otlp ? s.otlp->failed_exports : 0;
  if (s.aggregator.dropped_series_limit || failed)
    spdlog::warn(
        "metrics lost: {} spans not measured (series limit reached), {} OTLP metric "
        "exports failed",
        s.aggregator.dropped_series_limit, failed);
}

std::string executable_of(pid_t pid) {
  std::error_code ec;
  auto path = std::filesystem::read_symlink("/proc/" + std::to_string(pid) + "/exe", ec);
  return ec ? std::string() : path.string();
}

}  // namespace

void add_common_flags(CLI::App& cmd, config::Flags& flags) {
  cmd.add_option("--config", flags.config_file,
                 "YAML configuration file (see docs/configuration.md)");
  cmd.add_option(
      "--output", flags.output_file,
      "Also write spans to FILE as OTLP-JSON lines (one ExportTraceServiceRequest per line)");
  cmd.add_option(
      "--endpoint", flags.endpoint,
      "OTLP endpoint, e.g. http://localhost:4318 (http/protobuf) or http://localhost:4317 (grpc)");
  cmd.add_option("--protocol", flags.protocol, "OTLP protocol: grpc or http/protobuf");
  cmd.add_option("--service-name", flags.service_name, "service.name of the traced service");
  cmd.add_option("--prometheus", flags.prometheus_address,
                 "Serve RED metrics for Prometheus at http://ADDR/metrics (ADDR: host:port or "
                 ":port)");
}

sigset_t handled_signals() {
  sigset_t set;
  sigemptyset(&set);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGCHLD})
    sigaddset(&set, sig);
  return set;
}

void block_handled_signals() {
  sigset_t set = handled_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

Result<std::unique_ptr<Session>> Session::create(const config::Flags& flags) {
  std::unique_ptr<Session> s(new Session());
  ASSIGN_OR_RETURN(s->config_, config::load(flags, config::current_environment()));
  // Before anything starts: `run` must not launch the service only to fail on privileges.
  if (!s->config_.sdk_disabled) TRY(agent::check_bpf_privileges());
  ASSIGN_OR_RETURN(auto exporters, make_exporters(s->config_));

  // Resources are per process: `attach --exe` may see many. Computed once per pid and kept, so a
  // process that has exited still exports with its own attributes.
  auto cache = std::make_shared<std::pair<std::mutex, std::map<int32_t, model::Resource>>>();
  config::Config cfg = s->config_;
  auto target = s->target_;
  auto resource_for_pid = [cache, cfg, target](int32_t pid) {
    std::lock_guard lock(cache->first);
    auto it = cache->second.find(pid);
    if (it == cache->second.end()) {
      std::lock_guard target_lock(target->mu);
      std::string exe = executable_of(pid);
      if (exe.empty()) exe = target->executable;  // the process has exited already
      it = cache->second.emplace(pid, config::detect_resource(cfg, pid, exe, target->go_version))
               .first;
    }
    return it->second;
  };
  // Before the agent: a Prometheus port that cannot be bound must stop `run` before it starts.
  ASSIGN_OR_RETURN(s->metrics_, start_metrics(s->config_, resource_for_pid));
  s->processor_ = std::make_unique<exporter::BatchProcessor>(std::move(exporters), resource_for_pid,
                                                             exporter::BatchOptions{});
  agent::AgentOptions options;
  options.http_enabled = s->config_.http_enabled;
  options.http_client_enabled = s->config_.http_enabled;
  options.database_enabled = s->config_.database_enabled;
  options.grpc_enabled = s->config_.grpc_enabled;
  options.database.capture_queries = s->config_.database_capture_queries;
  options.database.raw_queries = s->config_.database_raw_queries;
  options.trace_headers = s->config_.http_trace_headers;
  options.follow_goroutines = s->config_.follow_goroutines;
  auto* processor = s->processor_.get();
  auto* metrics = s->metrics_.get();
  s->agent_ = std::make_unique<agent::Agent>(options, [processor, metrics](model::Span&& span) {
    if (metrics) metrics->record(span);  // before the move: metrics read the finished span
    processor->submit(std::move(span));
  });
  return s;
}

Result<agent::TargetInfo> Session::trace(const std::string& executable, pid_t pid) {
  ASSIGN_OR_RETURN(auto info, agent_->trace(executable, pid));
  traced_ = true;
  std::lock_guard lock(target_->mu);
  std::error_code ec;
  auto canonical = std::filesystem::canonical(executable, ec);
  target_->executable = ec ? executable : canonical.string();
  target_->go_version = info.go_version;
  return info;
}

Session::~Session() {
  finish();
}

bool Session::finish() {
  if (finished_ || !agent_) return true;  // a Session that failed to build has nothing to flush
  finished_ = true;
  agent_->finish();
  processor_->flush();
  processor_->shutdown();
  if (metrics_) metrics_->shutdown();  // after the agent: its last spans are in the last export
  if (!traced_) return true;           // nothing was attached: no report to give
  if (metrics_) report_metrics(*metrics_);
  auto r = agent_->report();
  auto e = processor_->stats();
  const auto& h = r.http_server;
  const auto& c = r.http_client;
  const auto& d = r.database;
  const auto& gs = r.grpc_server;
  const auto& gc = r.grpc_client;
  // BatchProcessor counts per exporter: with a file and an OTLP endpoint each span counts twice.
  spdlog::info(
      "{} spans made: {} HTTP server ({} continued an incoming traceparent), {} gRPC server ({} "
      "continued), {} HTTP client ({} with a parent), {} gRPC client ({} with a parent), {} "
      "database ({} with a parent); {} span deliveries to exporters succeeded",
      h.spans + gs.spans + c.spans + gc.spans + d.spans, h.spans, h.continued_traces, gs.spans,
      gs.continued_traces, c.spans, c.with_parent, gc.spans, gc.with_parent, d.spans, d.with_parent,
      e.exported);
  if (r.goroutines_linked)
    spdlog::info("{} goroutines inherited the request that started them", r.goroutines_linked);
  if (gs.via_net_http)
    spdlog::info("{} gRPC calls served through grpc.Server.ServeHTTP are traced as HTTP/2 requests",
                 gs.via_net_http);
  if (gc.links_by_order_wrong)
    spdlog::warn(
        "{} gRPC server spans were linked to the wrong caller span: concurrent calls of one method "
        "on one connection, matched in the order they started",
        gc.links_by_order_wrong);
  if (config_.http_trace_headers) {
    spdlog::info(
        "traceparent: {} injected, {} requests already had one, {} not injected (buffer full or "
        "flushed), {} writes refused{}",
        r.injected, r.inject_present, r.inject_no_room, r.inject_failed,
        r.injection_refused ? "; injection off: the kernel forbids BPF writes (lockdown)" : "");
  }
  uint64_t abandoned = h.abandoned_starts + gs.abandoned_starts + c.abandoned_starts +
                       gc.abandoned_starts + d.abandoned_starts;
  uint64_t lost = r.ringbuf_full + e.dropped_queue_full + e.dropped_export_failed + abandoned;
  uint64_t unmatched = h.unmatched_ends + gs.unmatched_ends + c.unmatched_ends + gc.unmatched_ends +
                       d.unmatched_ends;
  uint64_t bad_traceparent = h.invalid_traceparent + r.invalid_traceparent;
  if (lost || r.read_failed || unmatched || bad_traceparent) {
    spdlog::warn(
        "lost: {} records dropped by the kernel (ring buffer full), {} spans dropped by a full "
        "export queue, {} by failed exports, {} operations that never finished ({} HTTP requests: "
        "hijacked, panicked or open at exit; {} gRPC calls served and {} made, {} database and {} "
        "HTTP client calls left open); also {} ends without a start, {} failed memory reads, {} "
        "malformed traceparent headers",
        r.ringbuf_full, e.dropped_queue_full, e.dropped_export_failed, abandoned,
        h.abandoned_starts, gs.abandoned_starts, gc.abandoned_starts, d.abandoned_starts,
        c.abandoned_starts, unmatched, r.read_failed, bad_traceparent);
  }
  return r.ringbuf_full + e.dropped_queue_full + e.dropped_export_failed == 0;
}

}  // namespace goinstr::cli
