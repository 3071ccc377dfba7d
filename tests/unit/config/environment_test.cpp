// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "config/config.hpp"

namespace goinstr::config {
namespace {

std::string env_error(const Environment& env) {
  Config config;
  auto result = apply_environment(config, env);
  return result ? "" : result.error().message;
}

Config with_env(const Environment& env) {
  Config config;
  auto result = apply_environment(config, env);
  EXPECT_TRUE(result) << result.error().message;
  return config;
}

TEST(Environment, ServiceNameAndResourceAttributes) {
  auto config = with_env({{"OTEL_SERVICE_NAME", "checkout"},
                          {"OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=prod,team=a%20b"}});
  EXPECT_EQ(config.service_name, "checkout");
  std::vector<std::pair<std::string, std::string>> want = {{"deployment.environment", "prod"},
                                                           {"team", "a b"}};
  EXPECT_EQ(config.resource_attributes, want);
  EXPECT_EQ(config.sources["service.name"], "env OTEL_SERVICE_NAME");
  EXPECT_EQ(config.sources["resource.attributes"], "env OTEL_RESOURCE_ATTRIBUTES");
}

TEST(Environment, EmptyValuesCountAsUnset) {
  auto config = with_env({{"OTEL_SERVICE_NAME", ""},
                          {"OTEL_EXPORTER_OTLP_ENDPOINT", "  "},
                          {"OTEL_SDK_DISABLED", ""}});
  EXPECT_TRUE(config.service_name.empty());
  EXPECT_TRUE(config.endpoint.empty());
  EXPECT_TRUE(config.console);
  EXPECT_TRUE(config.sources.count("service.name") == 0);
}

TEST(Environment, GenericEndpointIsABaseUrl) {
  auto config = with_env({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"}});
  EXPECT_EQ(config.endpoint, "http://collector:4318");
  EXPECT_FALSE(config.endpoint_is_full_url);
  EXPECT_FALSE(config.console);
  EXPECT_EQ(config.sources["export.endpoint"], "env OTEL_EXPORTER_OTLP_ENDPOINT");
}

TEST(Environment, TracesEndpointWinsAndIsUsedAsIs) {
  auto config = with_env({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"},
                          {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "https://ingest.example/traces"}});
  EXPECT_EQ(config.endpoint, "https://ingest.example/traces");
  EXPECT_TRUE(config.endpoint_is_full_url);
  EXPECT_EQ(config.sources["export.endpoint"], "env OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
  auto options = otlp_options(config);
  EXPECT_EQ(options.endpoint, "https://ingest.example/traces");
  EXPECT_TRUE(options.endpoint_is_full_url);
}

TEST(Environment, ProtocolTracesWins) {
  auto config = with_env({{"OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"},
                          {"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "grpc"}});
  EXPECT_EQ(config.protocol, exporter::Protocol::kGrpc);
  EXPECT_EQ(config.sources["export.protocol"], "env OTEL_EXPORTER_OTLP_TRACES_PROTOCOL");
}

TEST(Environment, HeadersMergeTracesLast) {
  Config config;
  config.otlp_headers = {{"Authorization", "from file"}, {"x-file", "1"}};
  ASSERT_TRUE(apply_environment(
      config, {{"OTEL_EXPORTER_OTLP_HEADERS", "authorization=Bearer%20env,x-generic=2"},
               {"OTEL_EXPORTER_OTLP_TRACES_HEADERS", "x-generic=3"}}));
  std::vector<std::pair<std::string, std::string>> want = {
      {"Authorization", "Bearer env"}, {"x-file", "1"}, {"x-generic", "3"}};
  EXPECT_EQ(config.otlp_headers, want);
  EXPECT_EQ(config.sources["export.headers"], "env OTEL_EXPORTER_OTLP_TRACES_HEADERS");
}

TEST(Environment, InvalidValuesNameTheVariable) {
  EXPECT_EQ(env_error({{"OTEL_EXPORTER_OTLP_PROTOCOL", "http/json"}}),
            "OTEL_EXPORTER_OTLP_PROTOCOL: protocol http/json is not supported (use http/protobuf "
            "or grpc)");
  EXPECT_EQ(env_error({{"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "udp"}}),
            "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: unknown protocol 'udp' (expected http/protobuf or "
            "grpc)");
  EXPECT_EQ(env_error({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://:4318"}}),
            "OTEL_EXPORTER_OTLP_ENDPOINT: 'http://:4318': missing host");
  EXPECT_EQ(env_error({{"OTEL_EXPORTER_OTLP_ENDPOINT", "bad url"},
                       {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://ok:4318/v1/traces"}}),
            "OTEL_EXPORTER_OTLP_ENDPOINT: 'bad url' contains whitespace");
  EXPECT_EQ(env_error({{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "https://x:0/v1/traces"}}),
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://x:0/v1/traces': bad port '0' (expected "
            "1-65535)");
  EXPECT_EQ(env_error({{"OTEL_RESOURCE_ATTRIBUTES", "team=a,oops"}}),
            "OTEL_RESOURCE_ATTRIBUTES: 'oops' is not key=value");
  EXPECT_EQ(env_error({{"OTEL_EXPORTER_OTLP_HEADERS", "k=%G1"}}),
            "OTEL_EXPORTER_OTLP_HEADERS: invalid percent-encoding '%G1'");
  EXPECT_EQ(env_error({{"OTEL_TRACES_EXPORTER", "otlp,zipkin"}}),
            "OTEL_TRACES_EXPORTER: unsupported exporter 'zipkin' (expected otlp, console or none)");
  EXPECT_EQ(env_error({{"OTEL_TRACES_EXPORTER", "none,console"}}),
            "OTEL_TRACES_EXPORTER: 'none' cannot be combined with other exporters");
  EXPECT_EQ(env_error({{"OTEL_SDK_DISABLED", "yes"}}),
            "OTEL_SDK_DISABLED: expected true or false, got 'yes'");
}

TEST(Environment, SdkDisabled) {
  EXPECT_TRUE(with_env({{"OTEL_SDK_DISABLED", "TRUE"}}).sdk_disabled);
  EXPECT_FALSE(with_env({{"OTEL_SDK_DISABLED", "false"}}).sdk_disabled);
}

TEST(TracesExporter, OtlpWithoutEndpointUsesTheProtocolDefault) {
  auto config = with_env({{"OTEL_TRACES_EXPORTER", "otlp"}});
  EXPECT_EQ(config.endpoint, "http://localhost:4318");
  EXPECT_FALSE(config.console);
  config = with_env({{"OTEL_TRACES_EXPORTER", "otlp"}, {"OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"}});
  EXPECT_EQ(config.endpoint, "http://localhost:4317");
}

TEST(TracesExporter, ConsoleAddsToOtlp) {
  auto config = with_env({{"OTEL_TRACES_EXPORTER", "OTLP, console"},
                          {"OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"}});
  EXPECT_EQ(config.endpoint, "http://collector:4318");
  EXPECT_TRUE(config.console);
  EXPECT_EQ(config.sources["export.console"], "env OTEL_TRACES_EXPORTER");
}

TEST(TracesExporter, ListWithoutOtlpDropsTheEndpoint) {
  Config config;
  config.endpoint = "http://from-file:4318";
  config.output_file = "spans.jsonl";
  ASSERT_TRUE(apply_environment(config, {{"OTEL_TRACES_EXPORTER", "console"}}));
  EXPECT_TRUE(config.endpoint.empty());
  EXPECT_EQ(config.sources["export.endpoint"], "cleared by env OTEL_TRACES_EXPORTER");
  EXPECT_TRUE(config.console);
  EXPECT_EQ(config.output_file, "spans.jsonl");  // goinstr's own file output is not an OTel one
}

TEST(TracesExporter, NoneTurnsEverythingOff) {
  auto config = with_env(
      {{"OTEL_TRACES_EXPORTER", "none"}, {"OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"}});
  EXPECT_TRUE(config.endpoint.empty());
  EXPECT_FALSE(config.console);
}

}  // namespace
}  // namespace goinstr::config
