// SPDX-License-Identifier: Apache-2.0
#include "bench/run_one.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <optional>
#include <thread>

#include "bench/child.hpp"
#include "bench/listener.hpp"
#include "bench/probe.hpp"
#include "bench/record.hpp"
#include "bench/sampler.hpp"

namespace goinstr::bench {
namespace {

using namespace std::chrono_literals;
using std::chrono::duration_cast;
using std::chrono::milliseconds;

constexpr auto kServiceGrace = 5s;  // SIGTERM, then SIGKILL
constexpr auto kAgentGrace = 10s;   // an agent flushes its spans on SIGTERM
constexpr size_t kLogLines = 8;

// "127.0.0.1:41234" as the service printed it; a wildcard host is reached on loopback.
Result<HostPort> parse_listen_address(std::string text) {
  text.erase(0, text.find_first_not_of(" \t"));
  text.erase(text.find_last_not_of(" \t\r") + 1);
  size_t colon = text.rfind(':');
  if (colon == std::string::npos) return fail("no port in '" + text + "'");
  HostPort address;
  address.host = text.substr(0, colon);
  if (address.host.starts_with("[")) address.host = address.host.substr(1, address.host.size() - 2);
  if (address.host.empty() || address.host == "0.0.0.0") address.host = "127.0.0.1";
  if (address.host == "::") address.host = "::1";
  int port = std::atoi(text.c_str() + colon + 1);
  if (port <= 0 || port > 65535) return fail("bad port in '" + text + "'");
  address.port = static_cast<uint16_t>(port);
  return address;
}

std::string url_host(const HostPort& a) {
  return a.host.find(':') != std::string::npos ? "[" + a.host + "]" : a.host;
}

std::map<std::string, std::string> expand_env(const std::map<std::string, std::string>& env,
                                              const Placeholders& values) {
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : env) out[k] = expand(v, values, Quoting::none);
  return out;
}

load::Plan plan_for(const BenchSetup& setup, const ScenarioConfig& scenario,
                    const HostPort& address) {
  load::Plan plan;
  plan.url = fmt::format("http://{}:{}{}", url_host(address), address.port, scenario.path);
  plan.method = scenario.method;
  plan.body = scenario.body;
  for (const auto& h : scenario.headers) plan.headers.push_back(h);
  plan.model = load::ClosedModel{setup.stages};
  plan.timeout = setup.config.request_timeout;
  plan.threads = setup.config.load_threads;
  return plan;
}

class Run {
 public:
  Run(const BenchSetup& setup, const RunRequest& request)
      : setup_(setup), variant_(*request.variant), scenario_(*request.scenario) {
    attempt_.record.variant = variant_.name;
    attempt_.record.scenario = scenario_.name;
    attempt_.record.repeat = request.repeat;
    attempt_.record.order = request.order;
    log_prefix_ = fmt::format("run-{:03}-{}-{}", request.order + 1, variant_.name, scenario_.name);
    values_ = setup.placeholders();
    values_["bin"] = setup.binary_of(variant_.name).string();
    values_["addr"] = "127.0.0.1:0";
  }

  RunAttempt execute(const load::ProgressCallback& progress) {
    if (auto ready = bring_up(); !ready) {
      fail_run(ready.error().message, true);
    } else {
      measure(progress);
    }
    stop_all();
    return std::move(attempt_);
  }

 private:
  Result<> bring_up() {
    std::string start = variant_.start.empty() ? setup_.config.service_start : variant_.start;
    // exec: the service replaces the shell, so its pid is the one to sample and to attach to.
    auto service = Child::start({"exec " + expand(start, values_, Quoting::shell),
                                 setup_.service_dir, expand_env(variant_.env, values_),
                                 setup_.log_dir / (log_prefix_ + ".service.log")});
    if (!service) return fail("cannot start the service: " + service.error().message);
    service_.emplace(std::move(*service));
    auto printed =
        service_->wait_for_text(setup_.config.service_ready,
                                duration_cast<milliseconds>(setup_.config.service_ready_timeout));
    if (!printed)
      return fail(not_ready("the service", *service_, setup_.config.service_ready,
                            setup_.config.service_ready_timeout));
    auto address = parse_listen_address(*printed);
    if (!address) return fail("the service's address: " + address.error().message);
    address_ = *address;
    values_["pid"] = std::to_string(service_->pid());
    values_["port"] = std::to_string(address_.port);
    if (!variant_.attach.empty()) TRY(attach());
    auto answered = wait_for_http(address_, "/",
                                  duration_cast<milliseconds>(setup_.config.service_ready_timeout),
                                  [this] { return service_->running(); });
    if (!service_->running()) return fail(exited("the service", *service_));
    if (!answered)
      return fail("the service does not answer HTTP: " + answered.error().message +
                  output_tail(*service_));
    return {};
  }

  Result<> attach() {
    auto agent = Child::start({"exec " + expand(variant_.attach, values_, Quoting::shell),
                               setup_.service_dir, expand_env(variant_.attach_env, values_),
                               setup_.log_dir / (log_prefix_ + ".agent.log")});
    if (!agent) return fail("cannot start the attach command: " + agent.error().message);
    agent_.emplace(std::move(*agent));
    auto timeout = duration_cast<milliseconds>(variant_.attach_timeout);
    if (!variant_.attach_ready.empty() && !agent_->wait_for_text(variant_.attach_ready, timeout))
      return fail(
          not_ready("the attach command", *agent_, variant_.attach_ready, variant_.attach_timeout));
    std::this_thread::sleep_for(variant_.attach_delay);
    if (!agent_->running()) return fail(exited("the attach command", *agent_));
    return {};
  }

  void measure(const load::ProgressCallback& progress) {
    SampleTargets targets;
    targets.service = service_->pid();
    targets.agent = agent_ ? agent_->pid() : -1;
    if (auto collector = find_listening_pid(setup_.otlp.port)) targets.collector = *collector;
    Sampler sampler(targets, duration_cast<milliseconds>(setup_.config.sample_interval));
    sampler.start();
    auto load = load::run(plan_for(setup_, scenario_, address_), progress);
    std::vector<Sample> samples = sampler.finish();
    if (!load) return fail_run("the load generator could not start: " + load.error().message);
    fill_measurements(attempt_.record, *load, samples, agent_.has_value());
    if (!service_->running()) return fail_run(exited("the service", *service_) + " during the run");
    if (agent_ && !agent_->running())
      return fail_run(exited("the attach command", *agent_) + " during the run");
    if (load->cancelled) {
      attempt_.interrupted = true;
      return fail_run("interrupted");
    }
    if (load->counts.responses == 0) {
      std::string why;
      for (const auto& [kind, message] : load->first_errors) why += "; " + kind + ": " + message;
      return fail_run("no response from the service" + why);
    }
  }

  // Agent first, so it can still read the service while it flushes.
  void stop_all() {
    if (agent_) agent_->stop(kAgentGrace);
    if (service_) service_->stop(kServiceGrace);
  }

  void fail_run(std::string why, bool setup = false) {
    attempt_.record.ok = false;
    attempt_.record.failure = std::move(why);
    attempt_.setup_failed = setup;
  }

  std::string not_ready(const std::string& who, Child& child, const std::string& ready,
                        load::Nanos timeout) {
    if (!child.running()) return exited(who, child);
    return fmt::format("{} did not print '{}' within {}{}", who, ready,
                       load::format_duration(timeout), output_tail(child));
  }

  std::string exited(const std::string& who, Child& child) {
    child.running();
    return fmt::format("{} exited ({}){}", who, describe_status(child.status().value_or(-1)),
                       output_tail(child));
  }

  // ": <last lines> (logs/NAME)", or " with no output (logs/NAME)".
  std::string output_tail(const Child& child) const {
    bool is_agent = agent_ && &child == &*agent_;
    std::string log = "logs/" + log_prefix_ + (is_agent ? ".agent.log" : ".service.log");
    std::string tail = last_lines(child.output(), kLogLines);
    if (tail.empty()) return " with no output (" + log + ")";
    return ": " + tail + " (" + log + ")";
  }

  const BenchSetup& setup_;
  const VariantConfig& variant_;
  const ScenarioConfig& scenario_;
  RunAttempt attempt_;
  std::string log_prefix_;
  Placeholders values_;
  std::optional<Child> service_;
  std::optional<Child> agent_;
  HostPort address_;
};

}  // namespace

RunAttempt run_one(const BenchSetup& setup, const RunRequest& request,
                   const load::ProgressCallback& progress) {
  return Run(setup, request).execute(progress);
}

}  // namespace goinstr::bench
