// SPDX-License-Identifier: Apache-2.0
#include "config/values.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace goinstr::config {
namespace {

constexpr std::string_view kDefaultEndpointSource = "default (OTEL_TRACES_EXPORTER=otlp)";
constexpr std::string_view kDefaultMetricsEndpointSource = "default (OTEL_METRICS_EXPORTER=otlp)";

bool is_host_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
}

bool contains(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

Result<> check_port(std::string_view text, std::string_view port) {
  int value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value < 1 ||
      value > 65535)
    return fail(fmt::format("'{}': bad port '{}' (expected 1-65535)", text, port));
  return {};
}

// Splits "host:port" or "[v6]:port" and checks both halves; `endpoint` is only for messages.
Result<> check_authority(std::string_view endpoint, std::string_view authority, bool need_port) {
  if (authority.find('@') != std::string_view::npos)
    return fail(
        fmt::format("'{}': credentials in the URL are not supported (use headers)", endpoint));
  std::string_view host = authority;
  std::optional<std::string_view> port;
  if (authority.starts_with('[')) {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return fail(fmt::format("'{}': unclosed '['", endpoint));
    host = authority.substr(1, close - 1);
    auto after = authority.substr(close + 1);
    if (!after.empty() && !after.starts_with(':'))
      return fail(fmt::format("'{}': unexpected '{}' after ']'", endpoint, after));
    if (!after.empty()) port = after.substr(1);
  } else if (auto colon = authority.find(':'); colon != std::string_view::npos) {
    if (authority.find(':', colon + 1) != std::string_view::npos)
      return fail(fmt::format("'{}': IPv6 addresses need brackets ([::1]:4317)", endpoint));
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) return fail(fmt::format("'{}': missing host", endpoint));
  bool bracketed = authority.starts_with('[');
  for (char c : host) {
    if (!is_host_char(c) &&
        !(bracketed && (c == ':' || std::isxdigit(static_cast<unsigned char>(c)))))
      return fail(fmt::format("'{}': invalid character '{}' in host", endpoint, c));
  }
  if (!port) {
    if (need_port)
      return fail(fmt::format(
          "'{}' is not a URL (expected http://host[:port], https://host[:port] or, for grpc, "
          "host:port)",
          endpoint));
    return {};
  }
  return check_port(endpoint, *port);
}

}  // namespace

Result<exporter::Protocol> parse_protocol(std::string_view text) {
  std::string value = to_lower(trim(text));
  if (value == "grpc") return exporter::Protocol::kGrpc;
  if (value == "http/protobuf") return exporter::Protocol::kHttpProtobuf;
  if (value == "http/json")
    return fail("protocol http/json is not supported (use http/protobuf or grpc)");
  return fail(fmt::format("unknown protocol '{}' (expected http/protobuf or grpc)", text));
}

std::string_view protocol_name(exporter::Protocol protocol) {
  return protocol == exporter::Protocol::kGrpc ? "grpc" : "http/protobuf";
}

std::string default_endpoint(exporter::Protocol protocol) {
  return protocol == exporter::Protocol::kGrpc ? "http://localhost:4317" : "http://localhost:4318";
}

Result<> check_listen_address(std::string_view address) {
  if (address.find('/') != std::string_view::npos)
    return fail(fmt::format("'{}': expected host:port or :port", address));
  const auto colon = address.rfind(':');
  if (!address.starts_with('[') && colon != address.find(':'))
    return fail(fmt::format("'{}': IPv6 addresses need brackets ([::1]:9464)", address));
  // ":9464" listens on every interface, as in Go; otherwise the host rules of endpoints apply.
  if (address.starts_with(':')) return check_port(address, address.substr(1));
  const bool has_port =
      colon != std::string_view::npos && (!address.starts_with('[') || address[colon - 1] == ']');
  if (!has_port) return fail(fmt::format("'{}': expected host:port or :port", address));
  return check_authority(address, address, /*need_port=*/true);
}

Result<int> parse_interval_ms(std::string_view text) {
  int value = 0;
  auto trimmed = trim(text);
  auto [end, ec] = std::from_chars(trimmed.data(), trimmed.data() + trimmed.size(), value);
  if (trimmed.empty() || ec != std::errc() || end != trimmed.data() + trimmed.size() || value < 1)
    return fail(fmt::format("expected a positive whole number of milliseconds, got '{}'", text));
  return value;
}

bool has_url_scheme(std::string_view endpoint) {
  return endpoint.find("://") != std::string_view::npos;
}

Result<> check_endpoint(std::string_view endpoint, bool allow_host_port) {
  if (endpoint.empty()) return fail("empty endpoint");
  if (std::any_of(endpoint.begin(), endpoint.end(),
                  [](char c) { return std::isspace(static_cast<unsigned char>(c)); }))
    return fail(fmt::format("'{}' contains whitespace", endpoint));
  auto sep = endpoint.find("://");
  if (sep == std::string_view::npos) {
    if (!allow_host_port)
      return fail(fmt::format("'{}': missing scheme (expected http:// or https://)", endpoint));
    if (endpoint.find_first_of("/?#") != std::string_view::npos)
      return fail(fmt::format("'{}': missing scheme (expected http:// or https://)", endpoint));
    return check_authority(endpoint, endpoint, /*need_port=*/true);
  }
  std::string scheme = to_lower(endpoint.substr(0, sep));
  if (scheme != "http" && scheme != "https")
    return fail(fmt::format("'{}': unsupported scheme '{}' (expected http:// or https://)",
                            endpoint, endpoint.substr(0, sep)));
  auto rest = endpoint.substr(sep + 3);
  return check_authority(endpoint, rest.substr(0, rest.find_first_of("/?#")), false);
}

Result<std::string> percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    bool complete = i + 2 < text.size();
    int hi = complete ? hex_value(text[i + 1]) : -1;
    int lo = complete ? hex_value(text[i + 2]) : -1;
    if (hi < 0 || lo < 0)
      return fail(fmt::format("invalid percent-encoding '{}'", text.substr(i, 3)));
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

Result<KeyValues> parse_key_values(std::string_view text) {
  KeyValues out;
  while (!text.empty()) {
    auto comma = text.find(',');
    auto member = trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    if (member.empty()) continue;
    auto eq = member.find('=');
    if (eq == std::string_view::npos) return fail(fmt::format("'{}' is not key=value", member));
    ASSIGN_OR_RETURN(std::string key, percent_decode(trim(member.substr(0, eq))));
    ASSIGN_OR_RETURN(std::string value, percent_decode(trim(member.substr(eq + 1))));
    if (key.empty()) return fail(fmt::format("'{}' has an empty key", member));
    merge_key_values(out, {{std::move(key), std::move(value)}}, false);
  }
  return out;
}

void merge_key_values(KeyValues& into, const KeyValues& from, bool ignore_case) {
  for (const auto& [key, value] : from) {
    auto same = [&](const auto& entry) {
      return ignore_case ? to_lower(entry.first) == to_lower(key) : entry.first == key;
    };
    if (auto it = std::find_if(into.begin(), into.end(), same); it != into.end())
      it->second = value;
    else
      into.emplace_back(key, value);
  }
}

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::optional<std::string> closest_match(std::string_view word,
                                         std::span<const std::string> candidates) {
  // Two edits catch the usual typos (enable/enabled, endpont, protcol) without suggesting
  // unrelated short keys.
  constexpr size_t kMaxDistance = 2;
  std::optional<std::string> best;
  size_t best_distance = kMaxDistance + 1;
  for (const auto& candidate : candidates) {
    size_t d = edit_distance(word, candidate);
    if (d < best_distance && d < candidate.size()) {
      best = candidate;
      best_distance = d;
    }
  }
  return best;
}

std::string_view trim(std::string_view text) {
  auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)); };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return text;
}

std::string to_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

namespace {

// OTEL_METRICS_EXPORTER=otlp without any endpoint goes to the OTel default, like traces.
void resolve_metrics_endpoint(Config& config) {
  if (!contains(config.metrics_exporters, "otlp")) return;
  if (config.metrics_endpoint.empty() ||
      source_of(config, "metrics.endpoint") == kDefaultMetricsEndpointSource) {
    config.metrics_endpoint = default_endpoint(config.protocol);
    config.metrics_endpoint_is_full_url = false;
    config.sources["metrics.endpoint"] = kDefaultMetricsEndpointSource;
  }
}

}  // namespace

void resolve_exporters(Config& config) {
  resolve_metrics_endpoint(config);
  const auto& chosen = config.traces_exporters;
  // The default endpoint follows the protocol, so a later --protocol grpc moves it to 4317.
  if (contains(chosen, "otlp") &&
      (config.endpoint.empty() || source_of(config, "export.endpoint") == kDefaultEndpointSource)) {
    config.endpoint = default_endpoint(config.protocol);
    config.endpoint_is_full_url = false;
    config.sources["export.endpoint"] = kDefaultEndpointSource;
  }
  if (contains(chosen, "console")) {
    config.console = true;
    config.sources["export.console"] = "env OTEL_TRACES_EXPORTER";
    return;
  }
  config.console =
      !contains(chosen, "none") && config.endpoint.empty() && config.output_file.empty();
  config.sources["export.console"] =
      contains(chosen, "none") ? "env OTEL_TRACES_EXPORTER" : "default (on when nothing else is)";
}

}  // namespace goinstr::config
