// SPDX-License-Identifier: Apache-2.0
// Value parsers shared by the YAML, environment and flag layers. Errors are bare reasons
// ("bad port '99999' (expected 1-65535)"); each layer prefixes its own location ("goinstr.yaml:9:
// export.endpoint: " or "OTEL_EXPORTER_OTLP_ENDPOINT: "), so one rule reads the same everywhere.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.hpp"
#include "config/config.hpp"
#include "export/exporter.hpp"

namespace goinstr::config {

using KeyValues = std::vector<std::pair<std::string, std::string>>;

// "grpc" or "http/protobuf"; http/json is named but refused, since no exporter speaks it.
Result<exporter::Protocol> parse_protocol(std::string_view text);
std::string_view protocol_name(exporter::Protocol protocol);
// Where OTLP goes when OTEL_TRACES_EXPORTER=otlp names no endpoint (the OTel defaults).
std::string default_endpoint(exporter::Protocol protocol);

// http://host[:port][/path] or https://...; with allow_host_port also a bare host:port, which only
// the gRPC exporter accepts (validate() enforces that once the protocol is final).
Result<> check_endpoint(std::string_view endpoint, bool allow_host_port);
bool has_url_scheme(std::string_view endpoint);

// A Prometheus listen address: "host:port", "[v6]:port" or ":port" (all interfaces), port 1-65535.
Result<> check_listen_address(std::string_view address);
// A positive whole number of milliseconds (OTEL_METRIC_EXPORT_INTERVAL,
// metrics.export_interval_ms).
Result<int> parse_interval_ms(std::string_view text);

// W3C-baggage-like "k=v,k2=v2" lists (OTEL_RESOURCE_ATTRIBUTES, OTEL_EXPORTER_OTLP_HEADERS): keys
// and values are trimmed and percent-decoded; empty members are skipped.
Result<KeyValues> parse_key_values(std::string_view text);
Result<std::string> percent_decode(std::string_view text);
// Replaces entries of `into` whose key matches one in `from` (case-insensitively for headers),
// appends the rest.
void merge_key_values(KeyValues& into, const KeyValues& from, bool ignore_case);

// Levenshtein distance, and the candidate close enough to be a likely typo of `word`.
size_t edit_distance(std::string_view a, std::string_view b);
std::optional<std::string> closest_match(std::string_view word,
                                         std::span<const std::string> candidates);

std::string_view trim(std::string_view text);
std::string to_lower(std::string_view text);

// Re-derives the endpoint defaults (traces and metrics) and Config::console after a layer changed
// exporter settings.
void resolve_exporters(Config& config);

}  // namespace goinstr::config
