// SPDX-License-Identifier: Apache-2.0
// The shared configuration vectors (data/config/vectors.json) against the agent's C++ config. The
// woven Go runtime runs the same file (gort/internal/config/vectors_test.go), so the two
// implementations of one configuration cannot drift apart. No flags here: the woven program has
// no flags layer, so apply_flags runs with empty Flags, as load() does without any.
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "config/config.hpp"
#include "config/values.hpp"
#include "export/otlp_http_post.hpp"

namespace goinstr::config {
namespace {

using json = nlohmann::ordered_json;  // keeps the file's key order in messages

const json& vectors() {
  static const json file = [] {
    std::ifstream in(GOINSTR_CONFIG_VECTORS);
    if (!in) return json();
    return json::parse(in, nullptr, /*allow_exceptions=*/false);
  }();
  return file;
}

json pairs(const KeyValues& kv) {
  json out = json::array();
  for (const auto& [key, value] : kv) out.push_back({key, value});
  return out;
}

// The value of every dotted key a vector may expect; the Go test has the same table.
const std::map<std::string, std::function<json(const Config&)>>& fields() {
  static const std::map<std::string, std::function<json(const Config&)>> table = {
      {"instrumentation.http.enabled", [](const Config& c) { return json(c.http_enabled); }},
      {"instrumentation.http.trace_headers",
       [](const Config& c) { return json(c.http_trace_headers); }},
      {"instrumentation.database.enabled",
       [](const Config& c) { return json(c.database_enabled); }},
      {"instrumentation.database.capture_queries",
       [](const Config& c) { return json(c.database_capture_queries); }},
      {"instrumentation.database.raw_queries",
       [](const Config& c) { return json(c.database_raw_queries); }},
      {"instrumentation.grpc.enabled", [](const Config& c) { return json(c.grpc_enabled); }},
      {"instrumentation.follow_goroutines",
       [](const Config& c) { return json(c.follow_goroutines); }},
      {"service.name", [](const Config& c) { return json(c.service_name); }},
      {"resource.attributes", [](const Config& c) { return pairs(c.resource_attributes); }},
      {"export.endpoint", [](const Config& c) { return json(c.endpoint); }},
      {"export.endpoint_is_full_url", [](const Config& c) { return json(c.endpoint_is_full_url); }},
      {"export.protocol",
       [](const Config& c) { return json(std::string(protocol_name(c.protocol))); }},
      {"export.headers", [](const Config& c) { return pairs(c.otlp_headers); }},
      {"export.output", [](const Config& c) { return json(c.output_file); }},
      {"export.console", [](const Config& c) { return json(c.console); }},
      {"export.exporters", [](const Config& c) { return json(c.traces_exporters); }},
      {"export.prometheus", [](const Config& c) { return json(c.prometheus_address); }},
      {"sdk.disabled", [](const Config& c) { return json(c.sdk_disabled); }},
      {"metrics.enabled", [](const Config& c) { return json(c.metrics_enabled); }},
      {"metrics.export_interval_ms",
       [](const Config& c) { return json(c.metric_export_interval_ms); }},
      {"metrics.endpoint", [](const Config& c) { return json(c.metrics_endpoint); }},
      {"metrics.endpoint_is_full_url",
       [](const Config& c) { return json(c.metrics_endpoint_is_full_url); }},
      {"metrics.exporters", [](const Config& c) { return json(c.metrics_exporters); }},
      // The URLs the OTLP/HTTP exporters post to; "" when that signal has no endpoint.
      {"url.traces",
       [](const Config& c) {
         return json(c.endpoint.empty() ? std::string()
                                        : exporter::otlp_url(otlp_options(c), "/v1/traces"));
       }},
      {"url.metrics",
       [](const Config& c) {
         auto options = metrics_otlp_options(c);
         return json(options ? exporter::otlp_url(*options, "/v1/metrics") : std::string());
       }},
  };
  return table;
}

// The layers load() stacks, with the file given as text named goinstr.yaml.
Result<Config> run(const json& v) {
  Config config;
  if (v.contains("yaml")) TRY(apply_yaml(config, v["yaml"].get<std::string>(), "goinstr.yaml"));
  Environment env;
  if (v.contains("env"))
    for (const auto& [name, value] : v["env"].items()) env[name] = value.get<std::string>();
  TRY(apply_environment(config, env));
  TRY(apply_flags(config, Flags{}));
  TRY(validate(config));
  return config;
}

TEST(ConfigVectors, EveryCaseIsWellFormed) {
  ASSERT_TRUE(vectors().is_array() && !vectors().empty())
      << "cannot read or parse " << GOINSTR_CONFIG_VECTORS;
  const std::set<std::string> known = {"name",   "note",  "yaml",         "env",
                                       "expect", "error", "error_prefix", "sources"};
  std::set<std::string> names;
  for (const json& v : vectors()) {
    SCOPED_TRACE(v.dump());
    for (const auto& [key, value] : v.items())
      EXPECT_TRUE(known.contains(key)) << "unknown key \"" << key << "\"";
    ASSERT_TRUE(v.contains("name") && v["name"].is_string());
    EXPECT_TRUE(names.insert(v["name"].get<std::string>()).second) << "duplicate name";
    EXPECT_EQ(v.contains("expect") + v.contains("error") + v.contains("error_prefix"), 1)
        << "needs exactly one of expect, error, error_prefix";
    EXPECT_TRUE(v.contains("expect") || !v.contains("sources")) << "sources without expect";
    const json expect = v.value("expect", json::object());
    for (const auto& [key, value] : expect.items())
      EXPECT_TRUE(fields().contains(key)) << "unknown field \"" << key << "\"";
  }
}

// The "defaults" case names every field, so a default that drifts on either side fails.
TEST(ConfigVectors, DefaultsCaseNamesEveryField) {
  for (const json& v : vectors()) {
    if (v.value("name", "") != "defaults") continue;
    for (const auto& [key, get] : fields())
      EXPECT_TRUE(v["expect"].contains(key)) << "defaults lacks \"" << key << "\"";
    return;
  }
  FAIL() << "no case named \"defaults\"";
}

TEST(ConfigVectors, Cases) {
  const Config defaults;
  for (const json& v : vectors()) {
    SCOPED_TRACE(v.value("name", "?"));
    auto result = run(v);
    if (v.contains("error")) {
      ASSERT_FALSE(result) << "expected error " << v["error"];
      EXPECT_EQ(result.error().message, v["error"].get<std::string>());
      continue;
    }
    if (v.contains("error_prefix")) {
      ASSERT_FALSE(result) << "expected error starting " << v["error_prefix"];
      EXPECT_TRUE(result.error().message.starts_with(v["error_prefix"].get<std::string>()))
          << result.error().message;
      continue;
    }
    ASSERT_TRUE(result) << result.error().message;
    // Fields the case does not name must keep their defaults: no side effects.
    const json& expect = v["expect"];
    for (const auto& [key, get] : fields()) {
      json want = expect.contains(key) ? expect[key] : get(defaults);
      EXPECT_EQ(get(*result), want) << key;
    }
    const json sources = v.value("sources", json::object());
    for (const auto& [key, want] : sources.items())
      EXPECT_EQ(source_of(*result, key), want.get<std::string>()) << "source of " << key;
  }
}

}  // namespace
}  // namespace goinstr::config
