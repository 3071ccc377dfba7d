// SPDX-License-Identifier: Apache-2.0
// The --config file. The schema is small and fixed, so it is a table of dotted keys rather than a
// generic binding: every key yaml-cpp hands us is checked against it, which is what lets a typo
// fail with the line and a suggestion instead of being silently ignored.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <set>

#include "config/config.hpp"
#include "config/values.hpp"

namespace goinstr::config {
namespace {

constexpr std::array<std::string_view, 7> kSections = {"service",
                                                       "instrumentation",
                                                       "instrumentation.http",
                                                       "instrumentation.database",
                                                       "instrumentation.grpc",
                                                       "export",
                                                       "metrics"};

struct BoolKey {
  std::string_view key;
  bool Config::*field;
};
constexpr std::array<BoolKey, 8> kBoolKeys = {{
    {"instrumentation.http.enabled", &Config::http_enabled},
    {"instrumentation.http.trace_headers", &Config::http_trace_headers},
    {"instrumentation.database.enabled", &Config::database_enabled},
    {"instrumentation.database.capture_queries", &Config::database_capture_queries},
    {"instrumentation.database.raw_queries", &Config::database_raw_queries},
    {"instrumentation.grpc.enabled", &Config::grpc_enabled},
    {"instrumentation.follow_goroutines", &Config::follow_goroutines},
    {"metrics.enabled", &Config::metrics_enabled},
}};
// Integer keys are parsed as OTEL_METRIC_EXPORT_INTERVAL is, so both layers accept the same text.
struct IntKey {
  std::string_view key;
  int Config::*field;
};
constexpr std::array<IntKey, 1> kIntKeys = {{
    {"metrics.export_interval_ms", &Config::metric_export_interval_ms},
}};
constexpr std::array<std::string_view, 6> kStringKeys = {"service.name",    "export.endpoint",
                                                         "export.protocol", "export.headers",
                                                         "export.output",   "export.prometheus"};

bool is_section(std::string_view key) {
  return std::find(kSections.begin(), kSections.end(), key) != kSections.end();
}

bool is_leaf(std::string_view key) {
  return std::find(kStringKeys.begin(), kStringKeys.end(), key) != kStringKeys.end() ||
         std::any_of(kBoolKeys.begin(), kBoolKeys.end(),
                     [&](const BoolKey& b) { return b.key == key; }) ||
         std::any_of(kIntKeys.begin(), kIntKeys.end(),
                     [&](const IntKey& i) { return i.key == key; });
}

// The known keys directly under `prefix` ("" for the top level), for "did you mean".
std::vector<std::string> children_of(std::string_view prefix) {
  std::vector<std::string> all(kSections.begin(), kSections.end());
  all.insert(all.end(), kStringKeys.begin(), kStringKeys.end());
  for (const auto& b : kBoolKeys) all.emplace_back(b.key);
  for (const auto& i : kIntKeys) all.emplace_back(i.key);
  std::vector<std::string> out;
  for (const auto& key : all) {
    std::string_view rest = key;
    if (!prefix.empty()) {
      if (!rest.starts_with(prefix) || rest.size() <= prefix.size() || rest[prefix.size()] != '.')
        continue;
      rest.remove_prefix(prefix.size() + 1);
    }
    if (rest.find('.') == std::string_view::npos) out.emplace_back(rest);
  }
  return out;
}

std::string describe(const YAML::Node& node) {
  if (node.IsMap()) return "a mapping";
  if (node.IsSequence()) return "a list";
  if (node.IsNull()) return "nothing";
  return fmt::format("'{}'", node.Scalar());
}

class YamlLayer {
 public:
  YamlLayer(Config& config, const std::string& filename) : config_(config), filename_(filename) {}

  Result<> apply(const std::string& text) {
    std::vector<YAML::Node> documents;
    try {
      documents = YAML::LoadAll(text);
    } catch (const YAML::ParserException& e) {
      return fail(fmt::format("{}:{}: invalid YAML: {}", filename_, e.mark.line + 1, e.msg));
    }
    if (documents.size() > 1)
      return fail(
          fmt::format("{}: expected one YAML document, found {}", filename_, documents.size()));
    if (documents.empty() || documents[0].IsNull()) return {};
    const YAML::Node& root = documents[0];
    if (!root.IsMap())
      return fail(fmt::format("{}:{}: expected a mapping at the top level, got {}", filename_,
                              root.Mark().line + 1, describe(root)));
    TRY(walk(root, ""));
    resolve_exporters(config_);
    return {};
  }

 private:
  std::unexpected<Error> error(int line, std::string_view key, std::string_view reason) const {
    return fail(fmt::format("{}:{}: {}: {}", filename_, line, key, reason));
  }

  Result<> walk(const YAML::Node& map, const std::string& prefix) {
    std::set<std::string> seen;
    for (const auto& entry : map) {
      int line = entry.first.Mark().line + 1;
      if (!entry.first.IsScalar())
        return error(line, prefix.empty() ? "(top level)" : prefix, "expected a key name");
      const std::string& name = entry.first.Scalar();
      std::string key = prefix.empty() ? name : prefix + "." + name;
      if (!seen.insert(key).second) return error(line, key, "duplicate key");
      // An empty value (every child commented out) leaves the defaults alone.
      if (entry.second.IsNull() && (is_section(key) || is_leaf(key))) continue;
      if (is_section(key)) {
        if (!entry.second.IsMap())
          return error(line, key, "expected a mapping, got " + describe(entry.second));
        TRY(walk(entry.second, key));
      } else if (is_leaf(key)) {
        TRY(apply_leaf(key, entry.second, line));
        config_.sources[key] = fmt::format("file {}:{}", filename_, line);
      } else {
        auto suggestion = closest_match(name, children_of(prefix));
        return error(line, key,
                     suggestion ? fmt::format("unknown key (did you mean '{}'?)", *suggestion)
                                : std::string("unknown key"));
      }
    }
    return {};
  }

  Result<> apply_leaf(const std::string& key, const YAML::Node& value, int line) {
    for (const auto& b : kBoolKeys) {
      if (b.key != key) continue;
      std::string text = value.IsScalar() ? to_lower(value.Scalar()) : "";
      // YAML 1.2 booleans only: yaml-cpp would also take yes/no/on/off, which reads as a typo.
      if (!value.IsScalar() || (text != "true" && text != "false"))
        return error(line, key, "expected a boolean (true/false), got " + describe(value));
      config_.*b.field = text == "true";
      return {};
    }
    for (const auto& i : kIntKeys) {
      if (i.key != key) continue;
      auto parsed = value.IsScalar() ? parse_interval_ms(value.Scalar()) : fail("");
      if (!parsed)
        return error(line, key,
                     "expected a positive whole number of milliseconds, got " + describe(value));
      config_.*i.field = *parsed;
      return {};
    }
    if (key == "export.headers") return apply_headers(value, line);
    if (!value.IsScalar()) return error(line, key, "expected a string, got " + describe(value));
    const std::string& text = value.Scalar();
    if (key == "service.name") {
      config_.service_name = text;
    } else if (key == "export.endpoint") {
      if (auto ok = check_endpoint(text, /*allow_host_port=*/true); !ok)
        return error(line, key, ok.error().message);
      config_.endpoint = text;
      config_.endpoint_is_full_url = false;
      // The file has one endpoint; metrics go to its /v1/metrics.
      config_.metrics_endpoint = text;
      config_.metrics_endpoint_is_full_url = false;
      config_.sources["metrics.endpoint"] = fmt::format("file {}:{}", filename_, line);
    } else if (key == "export.prometheus") {
      if (auto ok = check_listen_address(text); !ok) return error(line, key, ok.error().message);
      config_.prometheus_address = text;
    } else if (key == "export.protocol") {
      auto protocol = parse_protocol(text);
      if (!protocol) return error(line, key, protocol.error().message);
      config_.protocol = *protocol;
    } else if (key == "export.output") {
      if (text.empty()) return error(line, key, "expected a file name, got ''");
      config_.output_file = text;
    }
    return {};
  }

  Result<> apply_headers(const YAML::Node& value, int line) {
    const char* expected = "expected a mapping of header names to values, got ";
    if (!value.IsMap()) return error(line, "export.headers", expected + describe(value));
    KeyValues headers;
    for (const auto& entry : value) {
      int entry_line = entry.first.Mark().line + 1;
      if (!entry.first.IsScalar() || entry.first.Scalar().empty())
        return error(entry_line, "export.headers", "expected a header name");
      std::string key = "export.headers." + entry.first.Scalar();
      if (!entry.second.IsScalar())
        return error(entry_line, key, "expected a string, got " + describe(entry.second));
      headers.emplace_back(entry.first.Scalar(), entry.second.Scalar());
    }
    config_.otlp_headers = std::move(headers);
    return {};
  }

  Config& config_;
  const std::string& filename_;
};

}  // namespace

Result<> apply_yaml(Config& config, const std::string& text, const std::string& filename) {
  return YamlLayer(config, filename).apply(text);
}

}  // namespace goinstr::config
