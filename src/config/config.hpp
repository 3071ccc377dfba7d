// SPDX-License-Identifier: Apache-2.0
// goinstr's configuration: a YAML file in the shape the FOSDEM talk shows, the standard OTEL_*
// variables, and command-line flags. Precedence, lowest to highest:
//   built-in defaults < YAML file (--config) < OTEL_* environment < command-line flags.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/result.hpp"
#include "export/exporter.hpp"

namespace goinstr::config {

struct Config {
  // instrumentation.*
  bool http_enabled = true;
  bool http_trace_headers = false;  // inject traceparent into outgoing requests
  bool database_enabled = true;
  bool database_capture_queries = false;  // db.query.text
  bool database_raw_queries = false;      // db.query.text as written, literals included
  bool grpc_enabled = true;               // google.golang.org/grpc servers and clients
  // Goroutines started while serving a request inherit it (one probe hit per `go` statement).
  bool follow_goroutines = true;

  // service.name: config, else OTEL_SERVICE_NAME, else (empty here) the executable name.
  std::string service_name;
  std::vector<std::pair<std::string, std::string>> resource_attributes;  // OTEL_RESOURCE_ATTRIBUTES

  // export.*: where spans go. No endpoint and no output file: the console.
  std::string endpoint;  // validated URL; empty = no OTLP export
  // OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is used as-is; every other endpoint is a base URL that the
  // HTTP exporter appends /v1/traces to (OTel exporter spec).
  bool endpoint_is_full_url = false;
  exporter::Protocol protocol = exporter::Protocol::kHttpProtobuf;
  std::vector<std::pair<std::string, std::string>> otlp_headers;
  std::string output_file;  // --output: OTLP-JSON lines
  bool console = true;      // false when another exporter is chosen or OTEL_TRACES_EXPORTER=none
  // OTEL_TRACES_EXPORTER as given ("otlp", "console", "none"); empty = unset, pick by the above.
  std::vector<std::string> traces_exporters;
  // OTEL_SDK_DISABLED=true: `run` starts the program uninstrumented, `attach` does nothing.
  bool sdk_disabled = false;

  // metrics.*: RED histograms derived from the spans, pushed over OTLP and/or scraped.
  bool metrics_enabled = true;            // false: no metrics at all
  int metric_export_interval_ms = 10000;  // OTEL_METRIC_EXPORT_INTERVAL
  // Where OTLP metrics go; empty = no OTLP metrics. It follows the generic endpoint (file,
  // OTEL_EXPORTER_OTLP_ENDPOINT, --endpoint), never OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (a full
  // traces URL); OTEL_EXPORTER_OTLP_METRICS_ENDPOINT replaces it with a full metrics URL.
  std::string metrics_endpoint;
  bool metrics_endpoint_is_full_url = false;
  // OTEL_METRICS_EXPORTER as given ("otlp", "none"); empty = unset.
  std::vector<std::string> metrics_exporters;
  std::string prometheus_address;  // export.prometheus, --prometheus: host:port or :port

  // Where each value came from, for `--help`-level diagnostics and the debug log. Keys are the
  // dotted YAML keys ("export.endpoint"); values read "file goinstr.yaml:9", "env
  // OTEL_SERVICE_NAME", "flag --endpoint". A key without an entry holds its default.
  std::map<std::string, std::string> sources;
};

// sources[key], or "default".
std::string source_of(const Config& config, const std::string& key);

// Command-line values; unset ones leave lower layers alone.
struct Flags {
  std::optional<std::string> config_file;
  std::optional<std::string> output_file;
  std::optional<std::string> endpoint;
  std::optional<std::string> protocol;
  std::optional<std::string> service_name;
  std::optional<std::string> prometheus_address;
};

using Environment = std::map<std::string, std::string>;
Environment current_environment();

// Parses YAML text; errors name the file, 1-based line and dotted key
// ("goinstr.yaml:4: instrumentation.http.enable: unknown key (did you mean 'enabled'?)").
Result<> apply_yaml(Config& config, const std::string& text, const std::string& filename);
Result<> apply_environment(Config& config, const Environment& env);
Result<> apply_flags(Config& config, const Flags& flags);
// Checks that need every layer: a host:port endpoint is only valid once the protocol is grpc.
Result<> validate(const Config& config);
// All layers in order, reading --config from disk, then validate().
Result<Config> load(const Flags& flags, const Environment& env);

// What the OTLP exporters need; meaningful when config.endpoint is set.
exporter::OtlpOptions otlp_options(const Config& config);
// The same for OTLP metrics (endpoint = metrics_endpoint, full URL or base for /v1/metrics);
// nullopt when metrics are disabled or have no endpoint.
std::optional<exporter::OtlpOptions> metrics_otlp_options(const Config& config);

}  // namespace goinstr::config
