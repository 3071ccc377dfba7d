// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "config/config.hpp"

namespace goinstr::config {
namespace {

// Applies `text` as goinstr.yaml and returns the error message ("" on success).
std::string yaml_error(const std::string& text, Config* out = nullptr) {
  Config config;
  auto result = apply_yaml(config, text, "goinstr.yaml");
  if (out) *out = config;
  return result ? "" : result.error().message;
}

TEST(Yaml, FullExampleFromTheTalk) {
  Config config;
  ASSERT_EQ(yaml_error(R"(
service:
  name: demo
instrumentation:
  http:
    enabled: false
    trace_headers: true
  database:
    enabled: false
    capture_queries: true
export:
  endpoint: http://localhost:4318
  protocol: grpc
  headers: {authorization: "Bearer x"}
  output: spans.jsonl
)",
                       &config),
            "");
  EXPECT_EQ(config.service_name, "demo");
  EXPECT_FALSE(config.http_enabled);
  EXPECT_TRUE(config.http_trace_headers);
  EXPECT_FALSE(config.database_enabled);
  EXPECT_TRUE(config.database_capture_queries);
  EXPECT_EQ(config.endpoint, "http://localhost:4318");
  EXPECT_FALSE(config.endpoint_is_full_url);
  EXPECT_EQ(config.protocol, exporter::Protocol::kGrpc);
  std::vector<std::pair<std::string, std::string>> headers = {{"authorization", "Bearer x"}};
  EXPECT_EQ(config.otlp_headers, headers);
  EXPECT_EQ(config.output_file, "spans.jsonl");
  EXPECT_FALSE(config.console);
  EXPECT_EQ(config.sources["export.endpoint"], "file goinstr.yaml:12");
  EXPECT_EQ(config.sources["instrumentation.http.enabled"], "file goinstr.yaml:6");
}

TEST(Yaml, EmptyAndCommentOnlyFilesKeepDefaults) {
  for (const char* text : {"", "\n\n", "# nothing yet\n", "service:\ninstrumentation:\n"}) {
    Config config;
    ASSERT_EQ(yaml_error(text, &config), "") << text;
    EXPECT_TRUE(config.http_enabled);
    EXPECT_TRUE(config.console);
    EXPECT_TRUE(config.endpoint.empty());
  }
}

TEST(Yaml, NullLeafKeepsDefault) {
  Config config;
  ASSERT_EQ(yaml_error("instrumentation:\n  http:\n    enabled:\n", &config), "");
  EXPECT_TRUE(config.http_enabled);
}

TEST(Yaml, UnknownKeySuggestsClosest) {
  EXPECT_EQ(yaml_error("instrumentation:\n  http:\n    enabled: true\n    enable: true\n"),
            "goinstr.yaml:4: instrumentation.http.enable: unknown key (did you mean 'enabled'?)");
  EXPECT_EQ(yaml_error("exports:\n  endpoint: http://x\n"),
            "goinstr.yaml:1: exports: unknown key (did you mean 'export'?)");
  EXPECT_EQ(yaml_error("export:\n  endpont: http://x\n"),
            "goinstr.yaml:2: export.endpont: unknown key (did you mean 'endpoint'?)");
  EXPECT_EQ(yaml_error("instrumentation:\n  databse: {enabled: true}\n"),
            "goinstr.yaml:2: instrumentation.databse: unknown key (did you mean 'database'?)");
}

TEST(Yaml, UnknownKeyWithoutNearMatch) {
  EXPECT_EQ(yaml_error("service:\n  name: a\n  version: 2\n"),
            "goinstr.yaml:3: service.version: unknown key");
  EXPECT_EQ(yaml_error("instrumentation:\n  kafka:\n    enabled: true\n"),
            "goinstr.yaml:2: instrumentation.kafka: unknown key");
}

TEST(Yaml, WrongTypes) {
  EXPECT_EQ(yaml_error("instrumentation:\n  http:\n    enabled: yes please\n"),
            "goinstr.yaml:3: instrumentation.http.enabled: expected a boolean (true/false), got "
            "'yes please'");
  EXPECT_EQ(yaml_error("instrumentation:\n  database:\n    capture_queries: yes\n"),
            "goinstr.yaml:3: instrumentation.database.capture_queries: expected a boolean "
            "(true/false), got 'yes'");
  EXPECT_EQ(yaml_error("instrumentation:\n  http: true\n"),
            "goinstr.yaml:2: instrumentation.http: expected a mapping, got 'true'");
  EXPECT_EQ(yaml_error("service:\n  name: [a, b]\n"),
            "goinstr.yaml:2: service.name: expected a string, got a list");
  EXPECT_EQ(yaml_error("export:\n  headers: Bearer x\n"),
            "goinstr.yaml:2: export.headers: expected a mapping of header names to values, got "
            "'Bearer x'");
  EXPECT_EQ(yaml_error("export:\n  headers:\n    a: {b: c}\n"),
            "goinstr.yaml:3: export.headers.a: expected a string, got a mapping");
  EXPECT_EQ(yaml_error("- service\n"),
            "goinstr.yaml:1: expected a mapping at the top level, got a list");
}

TEST(Yaml, BooleansAreCaseInsensitiveYaml12) {
  Config config;
  ASSERT_EQ(
      yaml_error("instrumentation:\n  http: {enabled: False, trace_headers: TRUE}\n", &config), "");
  EXPECT_FALSE(config.http_enabled);
  EXPECT_TRUE(config.http_trace_headers);
}

TEST(Yaml, BadEndpointAndProtocol) {
  EXPECT_EQ(yaml_error("export:\n  endpoint: http://localhost:99999\n"),
            "goinstr.yaml:2: export.endpoint: 'http://localhost:99999': bad port '99999' "
            "(expected 1-65535)");
  EXPECT_EQ(yaml_error("export:\n  endpoint: \"http://my collector\"\n"),
            "goinstr.yaml:2: export.endpoint: 'http://my collector' contains whitespace");
  EXPECT_EQ(yaml_error("export:\n  protocol: http/json\n"),
            "goinstr.yaml:2: export.protocol: protocol http/json is not supported (use "
            "http/protobuf or grpc)");
  EXPECT_EQ(yaml_error("\n\nexport:\n  protocol: zipkin\n"),
            "goinstr.yaml:4: export.protocol: unknown protocol 'zipkin' (expected http/protobuf or "
            "grpc)");
  EXPECT_EQ(yaml_error("export:\n  output: ''\n"),
            "goinstr.yaml:2: export.output: expected a file name, got ''");
}

TEST(Yaml, DuplicateKey) {
  EXPECT_EQ(yaml_error("export:\n  endpoint: http://a\n  endpoint: http://b\n"),
            "goinstr.yaml:3: export.endpoint: duplicate key");
}

TEST(Yaml, SyntaxErrorsCarryTheLine) {
  EXPECT_EQ(yaml_error("service:\n  name: demo\nexport: [1,\n"),
            "goinstr.yaml:4: invalid YAML: end of sequence flow not found");
  EXPECT_EQ(yaml_error("service:\n  name: a: b\n"),
            "goinstr.yaml:2: invalid YAML: illegal map value");
  EXPECT_EQ(yaml_error("a: 1\n---\nb: 2\n"), "goinstr.yaml: expected one YAML document, found 2");
}

TEST(Yaml, HostPortEndpointIsAcceptedForLaterProtocolChoice) {
  Config config;
  ASSERT_EQ(yaml_error("export:\n  endpoint: collector:4317\n", &config), "");
  EXPECT_EQ(config.endpoint, "collector:4317");
}

}  // namespace
}  // namespace goinstr::config
