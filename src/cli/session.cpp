// SPDX-License-Identifier: Apache-2.0
#include "cli/session.hpp"

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
  s->processor_ = std::make_unique<exporter::BatchProcessor>(std::move(exporters), resource_for_pid,
                                                             exporter::BatchOptions{});
  agent::AgentOptions options;
  options.http_enabled = s->config_.http_enabled;
  auto* processor = s->processor_.get();
  s->agent_ = std::make_unique<agent::Agent>(
      options, [processor](model::Span&& span) { processor->submit(std::move(span)); });
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
  if (!traced_) return true;  // nothing was attached: no report to give
  auto r = agent_->report();
  auto e = processor_->stats();
  const auto& h = r.http_server;
  // BatchProcessor counts per exporter: with a file and an OTLP endpoint each span counts twice.
  spdlog::info(
      "{} spans made ({} continued an incoming traceparent); {} span deliveries to "
      "exporters succeeded",
      h.spans, h.continued_traces, e.exported);
  uint64_t lost =
      r.ringbuf_full + e.dropped_queue_full + e.dropped_export_failed + h.abandoned_starts;
  if (lost || r.read_failed || h.unmatched_ends || h.invalid_traceparent) {
    spdlog::warn(
        "lost: {} records dropped by the kernel (ring buffer full), {} spans dropped by a full "
        "export queue, {} by failed exports, {} requests that never finished (hijacked, panicked, "
        "or still open at exit); also {} ends without a start, {} failed memory reads, {} "
        "malformed traceparent headers",
        r.ringbuf_full, e.dropped_queue_full, e.dropped_export_failed, h.abandoned_starts,
        h.unmatched_ends, r.read_failed, h.invalid_traceparent);
  }
  return r.ringbuf_full + e.dropped_queue_full + e.dropped_export_failed == 0;
}

}  // namespace goinstr::cli
