// SPDX-License-Identifier: Apache-2.0
// The metrics settings across every layer: metrics.*, export.prometheus, OTEL_METRICS_EXPORTER,
// OTEL_METRIC_EXPORT_INTERVAL, OTEL_EXPORTER_OTLP_METRICS_ENDPOINT and --prometheus.
#include <gtest/gtest.h>

#include "config/config.hpp"
#include "config/values.hpp"

namespace goinstr::config {
namespace {

Result<Config> from_env(const Environment& env) {
  Config config;
  TRY(apply_environment(config, env));
  return config;
}

Result<Config> from_yaml(const std::string& text) {
  Config config;
  TRY(apply_yaml(config, text, "goinstr.yaml"));
  return config;
}

TEST(MetricsConfig, Defaults) {
  Config config;
  EXPECT_TRUE(config.metrics_enabled);
  EXPECT_EQ(config.metric_export_interval_ms, 10000);
  EXPECT_TRUE(config.metrics_endpoint.empty());
  EXPECT_TRUE(config.prometheus_address.empty());
  EXPECT_FALSE(metrics_otlp_options(config));
}

TEST(MetricsConfig, GenericEndpointServesBothSignals) {
  auto config = from_env({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"}});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->metrics_endpoint, "http://collector:4318");
  EXPECT_FALSE(config->metrics_endpoint_is_full_url);
  EXPECT_EQ(config->sources["metrics.endpoint"], "env OTEL_EXPORTER_OTLP_ENDPOINT");
}

TEST(MetricsConfig, TracesEndpointIsNeverUsedForMetrics) {
  auto only_traces =
      from_env({{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4318/v1/traces"}});
  ASSERT_TRUE(only_traces);
  EXPECT_EQ(only_traces->endpoint, "http://collector:4318/v1/traces");
  EXPECT_TRUE(only_traces->metrics_endpoint.empty());
  EXPECT_FALSE(metrics_otlp_options(*only_traces));

  auto both = from_env({{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://traces:4318/v1/traces"},
                        {"OTEL_EXPORTER_OTLP_ENDPOINT", "http://base:4318"}});
  ASSERT_TRUE(both);
  EXPECT_EQ(both->endpoint, "http://traces:4318/v1/traces");
  EXPECT_EQ(both->metrics_endpoint, "http://base:4318");
  EXPECT_FALSE(both->metrics_endpoint_is_full_url);
}

TEST(MetricsConfig, MetricsEndpointWinsAndIsUsedAsIs) {
  auto config = from_env({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://base:4318"},
                          {"OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "http://m:4318/custom"}});
  ASSERT_TRUE(config);
  EXPECT_EQ(config->endpoint, "http://base:4318");
  EXPECT_EQ(config->metrics_endpoint, "http://m:4318/custom");
  EXPECT_TRUE(config->metrics_endpoint_is_full_url);
  EXPECT_EQ(config->sources["metrics.endpoint"], "env OTEL_EXPORTER_OTLP_METRICS_ENDPOINT");
  auto options = metrics_otlp_options(*config);
  ASSERT_TRUE(options);
  EXPECT_EQ(options->endpoint, "http://m:4318/custom");
  EXPECT_TRUE(options->endpoint_is_full_url);
}

TEST(MetricsConfig, MetricsExporterNoneDropsOnlyMetrics) {
  auto config = from_env(
      {{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://base:4318"}, {"OTEL_METRICS_EXPORTER", "none"}});
  ASSERT_TRUE(config);
  EXPECT_EQ(config->endpoint, "http://base:4318");
  EXPECT_TRUE(config->metrics_endpoint.empty());
  EXPECT_EQ(config->sources["metrics.endpoint"], "cleared by env OTEL_METRICS_EXPORTER");
  EXPECT_TRUE(config->metrics_enabled);  // Prometheus may still run
}

TEST(MetricsConfig, TracesExporterNoneKeepsMetrics) {
  auto config = from_env(
      {{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://base:4318"}, {"OTEL_TRACES_EXPORTER", "none"}});
  ASSERT_TRUE(config);
  EXPECT_TRUE(config->endpoint.empty());
  EXPECT_EQ(config->metrics_endpoint, "http://base:4318");
}

TEST(MetricsConfig, MetricsExporterOtlpWithoutEndpointUsesTheDefault) {
  auto config = from_env({{"OTEL_METRICS_EXPORTER", "otlp"}});
  ASSERT_TRUE(config);
  EXPECT_EQ(config->metrics_endpoint, "http://localhost:4318");
  EXPECT_TRUE(config->endpoint.empty());  // traces are not affected
  auto grpc = load(Flags{.protocol = "grpc"}, {{"OTEL_METRICS_EXPORTER", "otlp"}});
  ASSERT_TRUE(grpc) << grpc.error().message;
  EXPECT_EQ(grpc->metrics_endpoint, "http://localhost:4317");
}

TEST(MetricsConfig, ExportInterval) {
  auto config = from_env({{"OTEL_METRIC_EXPORT_INTERVAL", "2500"}});
  ASSERT_TRUE(config);
  EXPECT_EQ(config->metric_export_interval_ms, 2500);
  EXPECT_EQ(config->sources["metrics.export_interval_ms"], "env OTEL_METRIC_EXPORT_INTERVAL");
}

TEST(MetricsConfig, EnvironmentErrorsNameTheVariable) {
  auto error = [](const Environment& env) { return from_env(env).error().message; };
  EXPECT_EQ(error({{"OTEL_METRIC_EXPORT_INTERVAL", "10s"}}),
            "OTEL_METRIC_EXPORT_INTERVAL: expected a positive whole number of milliseconds, got "
            "'10s'");
  EXPECT_EQ(error({{"OTEL_METRIC_EXPORT_INTERVAL", "0"}}),
            "OTEL_METRIC_EXPORT_INTERVAL: expected a positive whole number of milliseconds, got "
            "'0'");
  EXPECT_EQ(error({{"OTEL_METRICS_EXPORTER", "prometheus"}}),
            "OTEL_METRICS_EXPORTER: 'prometheus' needs an address: use --prometheus ADDR or "
            "export.prometheus");
  EXPECT_EQ(error({{"OTEL_METRICS_EXPORTER", "console"}}),
            "OTEL_METRICS_EXPORTER: unsupported exporter 'console' (expected otlp or none)");
  EXPECT_EQ(error({{"OTEL_METRICS_EXPORTER", "otlp,none"}}),
            "OTEL_METRICS_EXPORTER: 'none' cannot be combined with other exporters");
  EXPECT_EQ(error({{"OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "ftp://x"}}),
            "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'ftp://x': unsupported scheme 'ftp' (expected "
            "http:// or https://)");
}

TEST(MetricsConfig, YamlKeys) {
  auto config = from_yaml(R"(export:
  endpoint: http://file:4318
  prometheus: ":9464"
metrics:
  enabled: false
  export_interval_ms: 5000
)");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->metrics_endpoint, "http://file:4318");
  EXPECT_EQ(config->prometheus_address, ":9464");
  EXPECT_FALSE(config->metrics_enabled);
  EXPECT_EQ(config->metric_export_interval_ms, 5000);
  EXPECT_EQ(config->sources["export.prometheus"], "file goinstr.yaml:3");
  EXPECT_EQ(config->sources["metrics.enabled"], "file goinstr.yaml:5");
  EXPECT_EQ(config->sources["metrics.export_interval_ms"], "file goinstr.yaml:6");
  EXPECT_EQ(config->sources["metrics.endpoint"], "file goinstr.yaml:2");
  EXPECT_FALSE(metrics_otlp_options(*config));  // disabled
}

TEST(MetricsConfig, YamlErrorsNameLineAndKey) {
  auto error = [](const std::string& text) { return from_yaml(text).error().message; };
  EXPECT_EQ(error("metrics:\n  enable: true\n"),
            "goinstr.yaml:2: metrics.enable: unknown key (did you mean 'enabled'?)");
  EXPECT_EQ(error("metric:\n  enabled: true\n"),
            "goinstr.yaml:1: metric: unknown key (did you mean 'metrics'?)");
  EXPECT_EQ(error("export:\n  prometeus: :9464\n"),
            "goinstr.yaml:2: export.prometeus: unknown key (did you mean 'prometheus'?)");
  EXPECT_EQ(error("metrics:\n  export_interval_ms: fast\n"),
            "goinstr.yaml:2: metrics.export_interval_ms: expected a positive whole number of "
            "milliseconds, got 'fast'");
  EXPECT_EQ(error("metrics:\n  export_interval_ms: [1]\n"),
            "goinstr.yaml:2: metrics.export_interval_ms: expected a positive whole number of "
            "milliseconds, got a list");
  EXPECT_EQ(error("export:\n  prometheus: \"9464\"\n"),
            "goinstr.yaml:2: export.prometheus: '9464': expected host:port or :port");
  EXPECT_EQ(error("export:\n  prometheus: \":99999\"\n"),
            "goinstr.yaml:2: export.prometheus: ':99999': bad port '99999' (expected 1-65535)");
}

TEST(MetricsConfig, PrometheusFlag) {
  auto config = load(Flags{.prometheus_address = "127.0.0.1:9464"}, {});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->prometheus_address, "127.0.0.1:9464");
  EXPECT_EQ(source_of(*config, "export.prometheus"), "flag --prometheus");
  EXPECT_TRUE(config->console);  // metrics do not replace the span exporters
  EXPECT_EQ(load(Flags{.prometheus_address = "http://x:9464"}, {}).error().message,
            "--prometheus: 'http://x:9464': expected host:port or :port");
}

TEST(MetricsConfig, EndpointFlagBeatsMetricsVariables) {
  auto config = load(Flags{.endpoint = "http://flag:4318"},
                     {{"OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "http://env:4318/m"},
                      {"OTEL_METRICS_EXPORTER", "none"}});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->metrics_endpoint, "http://flag:4318");
  EXPECT_FALSE(config->metrics_endpoint_is_full_url);
  EXPECT_EQ(source_of(*config, "metrics.endpoint"), "flag --endpoint");
}

TEST(MetricsConfig, CrossLayerChecks) {
  // metrics.enabled: false in the file, --prometheus on the command line: a contradiction.
  Config config;
  ASSERT_TRUE(apply_yaml(config, "metrics:\n  enabled: false\n", "goinstr.yaml"));
  ASSERT_TRUE(apply_flags(config, Flags{.prometheus_address = ":9464"}));
  EXPECT_EQ(validate(config).error().message,
            "--prometheus: ':9464' needs metrics, but metrics.enabled is false (file "
            "goinstr.yaml:2)");

  // A host:port metrics endpoint needs grpc, like the traces one; the message names its source.
  auto env = load(Flags{}, {{"OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "collector:4317"}});
  ASSERT_FALSE(env);
  EXPECT_EQ(env.error().message,
            "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'collector:4317' needs http:// or https:// "
            "with protocol http/protobuf (host:port is for grpc)");

  // From the file with traces turned off: the key to fix is still export.endpoint.
  Config file_only;
  ASSERT_TRUE(apply_yaml(file_only, "export:\n  endpoint: collector:4317\n", "goinstr.yaml"));
  ASSERT_TRUE(apply_environment(file_only, {{"OTEL_TRACES_EXPORTER", "console"}}));
  EXPECT_EQ(validate(file_only).error().message,
            "goinstr.yaml:2: export.endpoint: 'collector:4317' needs http:// or https:// with "
            "protocol http/protobuf (host:port is for grpc)");
}

TEST(MetricsConfig, OtlpOptionsCopyTransportSettings) {
  Config config;
  config.metrics_endpoint = "collector:4317";
  config.protocol = exporter::Protocol::kGrpc;
  config.otlp_headers = {{"authorization", "Bearer x"}};
  auto options = metrics_otlp_options(config);
  ASSERT_TRUE(options);
  EXPECT_EQ(options->endpoint, "collector:4317");
  EXPECT_EQ(options->protocol, exporter::Protocol::kGrpc);
  EXPECT_EQ(options->headers, config.otlp_headers);
  EXPECT_FALSE(options->endpoint_is_full_url);
}

TEST(MetricsConfig, ShippedExample) {
  auto config = load(Flags{.config_file = GOINSTR_EXAMPLE_CONFIG}, {});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_TRUE(config->metrics_enabled);
  EXPECT_EQ(config->metric_export_interval_ms, 10000);
  EXPECT_EQ(config->metrics_endpoint, "http://localhost:4318");
  EXPECT_TRUE(config->prometheus_address.empty());  // commented out
}

TEST(CheckListenAddress, Table) {
  for (const char* ok : {":9464", "0.0.0.0:9464", "localhost:9464", "[::1]:9464", "[::]:1"})
    EXPECT_TRUE(check_listen_address(ok)) << ok;
  struct Bad {
    const char* address;
    const char* message;
  };
  for (const auto& [address, message] : std::initializer_list<Bad>{
           {"", "'': expected host:port or :port"},
           {"9464", "'9464': expected host:port or :port"},
           {"[::1]", "'[::1]': expected host:port or :port"},
           {":0", "':0': bad port '0' (expected 1-65535)"},
           {"host:", "'host:': bad port '' (expected 1-65535)"},
           {"::1:9464", "'::1:9464': IPv6 addresses need brackets ([::1]:9464)"},
           {"::9464", "'::9464': IPv6 addresses need brackets ([::1]:9464)"},
           {"a b:1", "'a b:1': invalid character ' ' in host"},
           {"host/x:1", "'host/x:1': expected host:port or :port"},
       }) {
    auto result = check_listen_address(address);
    ASSERT_FALSE(result) << address;
    EXPECT_EQ(result.error().message, message);
  }
}

TEST(ParseIntervalMs, AcceptsPositiveIntegersOnly) {
  EXPECT_EQ(parse_interval_ms("1").value(), 1);
  EXPECT_EQ(parse_interval_ms(" 60000 ").value(), 60000);
  for (const char* bad : {"", "0", "-1", "1.5", "1e3", "99999999999", "10ms"})
    EXPECT_FALSE(parse_interval_ms(bad)) << bad;
}

}  // namespace
}  // namespace goinstr::config
