// SPDX-License-Identifier: Apache-2.0
#include "load/results.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <variant>

namespace goinstr::load {
namespace {

using nlohmann::json;

double us(uint64_t ns) {
  return static_cast<double>(ns) / 1e3;
}
double secs(Nanos d) {
  return static_cast<double>(d.count()) / 1e9;
}

// 850us, 1.23ms, 2.5s: three significant figures are plenty for a summary.
std::string format_latency(uint64_t ns) {
  double v = static_cast<double>(ns);
  if (v < 1e6) return fmt::format("{:.0f}µs", v / 1e3);
  if (v < 1e9) return fmt::format("{:.3g}ms", v / 1e6);
  return fmt::format("{:.3g}s", v / 1e9);
}

json plan_json(const Plan& p) {
  json j = {{"url", p.url},
            {"method", p.method},
            {"headers", json::array()},
            {"body_bytes", p.body.size()},
            {"timeout_s", secs(p.timeout)},
            {"threads", p.threads}};
  for (const auto& [k, v] : p.headers) j["headers"].push_back({k, v});
  if (const auto* closed = std::get_if<ClosedModel>(&p.model)) {
    j["model"] = "closed";
    j["stages"] = json::array();
    for (const auto& s : closed->stages) {
      j["stages"].push_back({{"duration_s", secs(s.duration)}, {"target", s.target}});
    }
  } else {
    const auto& open = std::get<OpenModel>(p.model);
    j["model"] = "open";
    j["rate"] = open.rate;
    j["duration_s"] = secs(open.duration);
    j["connections"] = open.connections;
    j["max_queue"] = open.max_queue;
  }
  return j;
}

json counts_json(const Counts& c) {
  return {{"scheduled", c.scheduled},
          {"dropped", c.dropped},
          {"requests", c.requests},
          {"responses", c.responses},
          {"successes", c.successes},
          {"http_errors", c.http_errors},
          {"timeouts", c.timeouts},
          {"errors", c.errors()},
          {"transport_errors", c.transport_errors()},
          {"connect_errors", c.connect_errors},
          {"reset_errors", c.reset_errors},
          {"closed_errors", c.closed_errors},
          {"protocol_errors", c.protocol_errors},
          {"unfinished", c.unfinished},
          {"retries", c.retries},
          {"connections", c.connections}};
}

json latency_json(const Histogram& h) {
  return {{"count", h.count()},
          {"min", us(h.min())},
          {"mean", h.mean() / 1e3},
          {"p50", us(h.percentile(50))},
          {"p90", us(h.percentile(90))},
          {"p99", us(h.percentile(99))},
          {"p99_9", us(h.percentile(99.9))},
          {"max", us(h.max())}};
}

// The raw buckets let a consumer merge runs or ask for any percentile.
json histogram_json(const Histogram& h) {
  json buckets = json::array();
  for (auto [index, n] : h.sparse()) {
    buckets.push_back({Histogram::lowest_in(index), Histogram::width_of(index), n});
  }
  return {{"unit", "ns"},
          {"sub_buckets_per_power_of_two", Histogram::kSubBuckets},
          {"columns", {"lowest", "width", "count"}},
          {"buckets", std::move(buckets)}};
}

json second_json(const SecondStats& s) {
  Histogram h;
  h.add_sparse(s.latency);
  return {{"second", s.second},
          {"duration_s", s.duration_s},
          {"rps", s.rps()},
          {"requests", s.requests},
          {"responses", s.responses},
          {"successes", s.successes},
          {"http_errors", s.http_errors},
          {"transport_errors", s.transport_errors},
          {"errors", s.http_errors + s.transport_errors},
          {"timeouts", s.timeouts},
          {"dropped", s.dropped},
          {"vus", s.vus},
          {"connections", s.connections},
          {"p50_us", us(h.percentile(50))},
          {"p99_us", us(h.percentile(99))},
          {"max_us", us(h.max())}};
}

std::string model_line(const Results& r) {
  const Plan& p = r.plan;
  std::string threads = fmt::format("{} thread{}", p.threads, p.threads == 1 ? "" : "s");
  if (const auto* closed = std::get_if<ClosedModel>(&p.model)) {
    std::string stages;
    for (const auto& s : closed->stages) {
      stages +=
          fmt::format("{}{}:{}", stages.empty() ? "" : ",", format_duration(s.duration), s.target);
    }
    return fmt::format("closed, stages {}, peak {} VUs, {}", stages, r.peak_vus, threads);
  }
  const auto& open = std::get<OpenModel>(p.model);
  return fmt::format("open, {:g} req/s for {}, up to {} connections (peak {} busy), {}", open.rate,
                     format_duration(open.duration), open.connections, r.peak_vus, threads);
}

}  // namespace

void Counts::add(const Counts& o) {
  scheduled += o.scheduled;
  dropped += o.dropped;
  requests += o.requests;
  responses += o.responses;
  successes += o.successes;
  http_errors += o.http_errors;
  timeouts += o.timeouts;
  connect_errors += o.connect_errors;
  reset_errors += o.reset_errors;
  closed_errors += o.closed_errors;
  protocol_errors += o.protocol_errors;
  unfinished += o.unfinished;
  retries += o.retries;
  connections += o.connections;
}

double Results::rps() const {
  double s = secs(elapsed);
  return s > 0 ? static_cast<double>(counts.responses) / s : 0;
}

json to_json(const Results& r) {
  json j = {
      {"tool", "goinstr load"},
      {"format_version", 1},
      {"plan", plan_json(r.plan)},
      {"started_at",
       fmt::format("{:%FT%TZ}", fmt::gmtime(std::chrono::system_clock::to_time_t(r.started_at)))},
      {"planned_s", secs(r.planned)},
      {"elapsed_s", secs(r.elapsed)},
      {"cancelled", r.cancelled},
      {"rps", r.rps()},
      {"counts", counts_json(r.counts)},
      {"status_codes", json::object()},
      {"first_errors", r.first_errors},
      {"latency_us", latency_json(r.latency)},
      {"latency_histogram", histogram_json(r.latency)},
      {"peak_vus", r.peak_vus},
      {"cpu_seconds", r.cpu_seconds},
      {"seconds", json::array()}};
  for (auto [code, n] : r.status_codes) j["status_codes"][std::to_string(code)] = n;
  for (const auto& s : r.seconds) j["seconds"].push_back(second_json(s));
  return j;
}

std::string format_summary(const Results& r) {
  const Counts& c = r.counts;
  std::string out = fmt::format("goinstr load: {} {}\n", r.plan.method, r.plan.url);
  out += fmt::format("  model     {}\n", model_line(r));
  out += fmt::format("  time      {} planned, {:.3f}s elapsed{}\n", format_duration(r.planned),
                     secs(r.elapsed), r.cancelled ? " (cancelled)" : "");
  std::string codes;
  for (auto [code, n] : r.status_codes) {
    codes += fmt::format("{}{}: {}", codes.empty() ? "" : ", ", code, n);
  }
  auto row = [&out](std::string_view label, uint64_t n, const std::string& note) {
    out += fmt::format("  {:<10}{:>10}{}{}\n", label, n, note.empty() ? "" : "  ", note);
  };
  row("requests", c.requests, fmt::format("{:.1f} responses/s", r.rps()));
  row("ok", c.successes, codes.empty() ? "" : "status " + codes);
  row("http>=400", c.http_errors, "");
  row("errors", c.transport_errors(),
      fmt::format("connect {}, reset {}, closed {}, protocol {}", c.connect_errors, c.reset_errors,
                  c.closed_errors, c.protocol_errors));
  for (const auto& [kind, msg] : r.first_errors) {
    out += fmt::format("  {:<22}first {}: {}\n", "", kind, msg);
  }
  row("timeouts", c.timeouts, "");
  if (std::holds_alternative<OpenModel>(r.plan.model)) {
    row("dropped", c.dropped, fmt::format("of {} scheduled (wait queue full)", c.scheduled));
  }
  if (c.unfinished) row("unfinished", c.unfinished, "outstanding when stopped");
  if (c.retries) row("retried", c.retries, "keep-alive socket closed by the server first");
  const Histogram& h = r.latency;
  out +=
      fmt::format("  latency   mean {}  p50 {}  p90 {}  p99 {}  p99.9 {}  max {}\n",
                  format_latency(static_cast<uint64_t>(h.mean())), format_latency(h.percentile(50)),
                  format_latency(h.percentile(90)), format_latency(h.percentile(99)),
                  format_latency(h.percentile(99.9)), format_latency(h.max()));
  double per_request = c.requests ? r.cpu_seconds * 1e6 / static_cast<double>(c.requests) : 0;
  double share = secs(r.elapsed) > 0 ? 100 * r.cpu_seconds / secs(r.elapsed) : 0;
  out += fmt::format("  cpu       {:.2f}s ({:.0f}% of one core), {:.1f}µs per request\n",
                     r.cpu_seconds, share, per_request);
  return out;
}

std::string format_progress(const Progress& p) {
  std::string head = fmt::format(
      "[{:>4}/{}]", format_duration(std::chrono::duration_cast<std::chrono::seconds>(p.elapsed)),
      format_duration(p.planned));
  if (p.open_model) {
    return fmt::format("{} rate {:g}/s  busy {}  rps {:.0f}  errors {}  timeouts {}  dropped {}",
                       head, p.target_rate, p.vus, p.rps, p.errors, p.timeouts, p.dropped);
  }
  return fmt::format("{} vus {}  rps {:.0f}  errors {}  timeouts {}", head, p.vus, p.rps, p.errors,
                     p.timeouts);
}

}  // namespace goinstr::load
