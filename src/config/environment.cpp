// SPDX-License-Identifier: Apache-2.0
// The standard OTEL_* variables (OpenTelemetry "SDK environment variables" and "OTLP exporter"
// specs). As those specs say, an empty variable counts as unset; unlike them, an invalid value is
// an error rather than a warning, because silently exporting nowhere is the worse failure.
#include <fmt/format.h>

#include <algorithm>

#include "config/config.hpp"
#include "config/values.hpp"

extern char** environ;

namespace goinstr::config {
namespace {

std::optional<std::string> lookup(const Environment& env, const std::string& name) {
  auto it = env.find(name);
  if (it == env.end() || trim(it->second).empty()) return std::nullopt;
  return std::string(trim(it->second));
}

std::unexpected<Error> env_error(std::string_view name, std::string_view reason) {
  return fail(fmt::format("{}: {}", name, reason));
}

// The traces-specific variable wins over the generic one; returns the name that was used.
std::optional<std::pair<std::string, std::string>> lookup_signal(const Environment& env,
                                                                 const std::string& traces,
                                                                 const std::string& generic) {
  if (auto v = lookup(env, traces)) return std::pair{traces, *v};
  if (auto v = lookup(env, generic)) return std::pair{generic, *v};
  return std::nullopt;
}

// "otlp, Console" -> {"otlp", "console"}: trimmed, lowercased, empty members skipped.
std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    auto comma = text.find(',');
    std::string name = to_lower(trim(text.substr(0, comma)));
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    if (!name.empty()) out.push_back(std::move(name));
  }
  return out;
}

Result<> apply_resource(Config& config, const Environment& env) {
  if (auto name = lookup(env, "OTEL_SERVICE_NAME")) {
    config.service_name = *name;
    config.sources["service.name"] = "env OTEL_SERVICE_NAME";
  }
  if (auto text = lookup(env, "OTEL_RESOURCE_ATTRIBUTES")) {
    auto attributes = parse_key_values(*text);
    if (!attributes) return env_error("OTEL_RESOURCE_ATTRIBUTES", attributes.error().message);
    config.resource_attributes = std::move(*attributes);
    config.sources["resource.attributes"] = "env OTEL_RESOURCE_ATTRIBUTES";
  }
  return {};
}

// Metrics never take the traces URL (it ends in /v1/traces): the metrics-specific one, used as-is,
// else the generic base URL. Called after both were validated.
void apply_metrics_endpoint(Config& config, const Environment& env) {
  auto found =
      lookup_signal(env, "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT");
  if (!found) return;
  config.metrics_endpoint = found->second;
  config.metrics_endpoint_is_full_url = found->first == "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT";
  config.sources["metrics.endpoint"] = "env " + found->first;
}

Result<> apply_endpoint(Config& config, const Environment& env) {
  // All are validated, so a broken generic value is reported even while a signal one wins.
  for (const char* name : {"OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
                           "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"}) {
    if (auto v = lookup(env, name)) {
      if (auto ok = check_endpoint(*v, /*allow_host_port=*/true); !ok)
        return env_error(name, ok.error().message);
    }
  }
  apply_metrics_endpoint(config, env);
  auto found =
      lookup_signal(env, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT");
  if (!found) return {};
  config.endpoint = found->second;
  // Spec: the signal-specific URL is used as-is, the generic one gets /v1/traces appended.
  config.endpoint_is_full_url = found->first == "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
  config.sources["export.endpoint"] = "env " + found->first;
  return {};
}

Result<> apply_protocol_and_headers(Config& config, const Environment& env) {
  if (auto found =
          lookup_signal(env, "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL")) {
    auto protocol = parse_protocol(found->second);
    if (!protocol) return env_error(found->first, protocol.error().message);
    config.protocol = *protocol;
    config.sources["export.protocol"] = "env " + found->first;
  }
  // Generic first, then traces-specific, so a header named in both takes the traces value.
  for (const char* name : {"OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_TRACES_HEADERS"}) {
    auto text = lookup(env, name);
    if (!text) continue;
    auto headers = parse_key_values(*text);
    if (!headers) return env_error(name, headers.error().message);
    merge_key_values(config.otlp_headers, *headers, /*ignore_case=*/true);
    config.sources["export.headers"] = std::string("env ") + name;
  }
  return {};
}

Result<> apply_exporters(Config& config, const Environment& env) {
  auto text = lookup(env, "OTEL_TRACES_EXPORTER");
  if (!text) return {};
  std::vector<std::string> chosen;
  for (auto& name : split_list(*text)) {
    if (name != "otlp" && name != "console" && name != "none")
      return env_error(
          "OTEL_TRACES_EXPORTER",
          fmt::format("unsupported exporter '{}' (expected otlp, console or none)", name));
    chosen.push_back(std::move(name));
  }
  bool none = std::find(chosen.begin(), chosen.end(), "none") != chosen.end();
  if (none && chosen.size() > 1)
    return env_error("OTEL_TRACES_EXPORTER", "'none' cannot be combined with other exporters");
  // The list names the exporters to run, so an endpoint from the file or the environment without
  // "otlp" in it is dropped; a --endpoint flag, one layer up, still turns OTLP back on.
  bool otlp = std::find(chosen.begin(), chosen.end(), "otlp") != chosen.end();
  if (!otlp && !config.endpoint.empty()) {
    config.endpoint.clear();
    config.sources["export.endpoint"] = "cleared by env OTEL_TRACES_EXPORTER";
  }
  config.traces_exporters = std::move(chosen);
  config.sources["export.exporters"] = "env OTEL_TRACES_EXPORTER";
  return {};
}

// OTEL_METRICS_EXPORTER selects OTLP metrics only; Prometheus is goinstr's own server, turned on
// by an address (the spec's "prometheus" value names no address, so it is refused with a hint).
Result<> apply_metrics_exporters(Config& config, const Environment& env) {
  auto text = lookup(env, "OTEL_METRICS_EXPORTER");
  if (!text) return {};
  std::vector<std::string> chosen;
  for (auto& name : split_list(*text)) {
    if (name == "prometheus")
      return env_error("OTEL_METRICS_EXPORTER",
                       "'prometheus' needs an address: use --prometheus ADDR or export.prometheus");
    if (name != "otlp" && name != "none")
      return env_error("OTEL_METRICS_EXPORTER",
                       fmt::format("unsupported exporter '{}' (expected otlp or none)", name));
    chosen.push_back(std::move(name));
  }
  bool none = std::find(chosen.begin(), chosen.end(), "none") != chosen.end();
  if (none && chosen.size() > 1)
    return env_error("OTEL_METRICS_EXPORTER", "'none' cannot be combined with other exporters");
  // As for traces: an endpoint from the file or the environment is dropped, --endpoint still wins.
  if (none && !config.metrics_endpoint.empty()) {
    config.metrics_endpoint.clear();
    config.sources["metrics.endpoint"] = "cleared by env OTEL_METRICS_EXPORTER";
  }
  config.metrics_exporters = std::move(chosen);
  config.sources["metrics.exporters"] = "env OTEL_METRICS_EXPORTER";
  return {};
}

Result<> apply_metric_interval(Config& config, const Environment& env) {
  auto text = lookup(env, "OTEL_METRIC_EXPORT_INTERVAL");
  if (!text) return {};
  auto ms = parse_interval_ms(*text);
  if (!ms) return env_error("OTEL_METRIC_EXPORT_INTERVAL", ms.error().message);
  config.metric_export_interval_ms = *ms;
  config.sources["metrics.export_interval_ms"] = "env OTEL_METRIC_EXPORT_INTERVAL";
  return {};
}

Result<> apply_sdk_disabled(Config& config, const Environment& env) {
  auto text = lookup(env, "OTEL_SDK_DISABLED");
  if (!text) return {};
  std::string value = to_lower(*text);
  if (value != "true" && value != "false")
    return env_error("OTEL_SDK_DISABLED", fmt::format("expected true or false, got '{}'", *text));
  config.sdk_disabled = value == "true";
  config.sources["sdk.disabled"] = "env OTEL_SDK_DISABLED";
  return {};
}

}  // namespace

Environment current_environment() {
  Environment env;
  for (char** entry = environ; entry && *entry; ++entry) {
    std::string_view text(*entry);
    auto eq = text.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(std::string(text.substr(0, eq)), std::string(text.substr(eq + 1)));
  }
  return env;
}

Result<> apply_environment(Config& config, const Environment& env) {
  TRY(apply_resource(config, env));
  TRY(apply_endpoint(config, env));
  TRY(apply_protocol_and_headers(config, env));
  TRY(apply_exporters(config, env));          // after the endpoint: it may clear it
  TRY(apply_metrics_exporters(config, env));  // likewise for the metrics endpoint
  TRY(apply_metric_interval(config, env));
  TRY(apply_sdk_disabled(config, env));
  resolve_exporters(config);
  return {};
}

}  // namespace goinstr::config
