// SPDX-License-Identifier: Apache-2.0
// load(): every layer together, from a real file on disk.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "config/config.hpp"

namespace goinstr::config {
namespace {

class LoadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("goinstr-config-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string write(const std::string& text) {
    auto path = (dir_ / "goinstr.yaml").string();
    std::ofstream(path) << text;
    return path;
  }

  std::filesystem::path dir_;
};

constexpr const char* kFile = R"(service:
  name: from-file
export:
  endpoint: http://file:4318
  protocol: grpc
  output: file.jsonl
)";

TEST_F(LoadTest, DefaultsOnly) {
  auto config = load(Flags{}, Environment{});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_TRUE(config->console);
  EXPECT_TRUE(config->endpoint.empty());
  EXPECT_EQ(config->protocol, exporter::Protocol::kHttpProtobuf);
  EXPECT_EQ(source_of(*config, "export.endpoint"), "default");
}

TEST_F(LoadTest, FileOnly) {
  Flags flags{.config_file = write(kFile)};
  auto config = load(flags, {});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->service_name, "from-file");
  EXPECT_EQ(config->endpoint, "http://file:4318");
  EXPECT_EQ(config->output_file, "file.jsonl");
  EXPECT_FALSE(config->console);
  EXPECT_EQ(source_of(*config, "export.endpoint"), "file " + *flags.config_file + ":4");
}

TEST_F(LoadTest, EnvOverridesFile) {
  Flags flags{.config_file = write(kFile)};
  auto config = load(flags, {{"OTEL_SERVICE_NAME", "from-env"},
                             {"OTEL_EXPORTER_OTLP_ENDPOINT", "http://env:4318"},
                             {"OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"}});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->service_name, "from-env");
  EXPECT_EQ(config->endpoint, "http://env:4318");
  EXPECT_EQ(config->protocol, exporter::Protocol::kHttpProtobuf);
  EXPECT_EQ(config->output_file, "file.jsonl");  // not overridden: stays from the file
  EXPECT_EQ(source_of(*config, "service.name"), "env OTEL_SERVICE_NAME");
}

TEST_F(LoadTest, FlagsOverrideEnvAndFile) {
  Flags flags{.config_file = write(kFile),
              .output_file = "flag.jsonl",
              .endpoint = "https://flag:4318",
              .protocol = "http/protobuf",
              .service_name = "from-flag"};
  auto config = load(flags, {{"OTEL_SERVICE_NAME", "from-env"},
                             {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://env:4318/v1/traces"},
                             {"OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"}});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->service_name, "from-flag");
  EXPECT_EQ(config->endpoint, "https://flag:4318");
  EXPECT_FALSE(config->endpoint_is_full_url);  // the flag is a base URL again
  EXPECT_EQ(config->protocol, exporter::Protocol::kHttpProtobuf);
  EXPECT_EQ(config->output_file, "flag.jsonl");
  EXPECT_EQ(source_of(*config, "service.name"), "flag --service-name");
  EXPECT_EQ(source_of(*config, "export.endpoint"), "flag --endpoint");
  EXPECT_EQ(source_of(*config, "export.protocol"), "flag --protocol");
  EXPECT_EQ(source_of(*config, "export.output"), "flag --output");
}

TEST_F(LoadTest, OutputFlagAloneTurnsConsoleOff) {
  auto config = load(Flags{.output_file = "spans.jsonl"}, {});
  ASSERT_TRUE(config);
  EXPECT_FALSE(config->console);
  EXPECT_TRUE(config->endpoint.empty());
}

TEST_F(LoadTest, EndpointFlagBeatsOtelTracesExporterNone) {
  auto config = load(Flags{.endpoint = "http://flag:4318"}, {{"OTEL_TRACES_EXPORTER", "none"}});
  ASSERT_TRUE(config);
  EXPECT_EQ(config->endpoint, "http://flag:4318");
  EXPECT_FALSE(config->console);
}

TEST_F(LoadTest, DefaultOtlpEndpointFollowsTheProtocolFlag) {
  auto config = load(Flags{.protocol = "grpc"}, {{"OTEL_TRACES_EXPORTER", "otlp"}});
  ASSERT_TRUE(config);
  EXPECT_EQ(config->endpoint, "http://localhost:4317");
}

TEST_F(LoadTest, HostPortNeedsGrpcOnceAllLayersAreIn) {
  Flags flags{.config_file = write("export:\n  endpoint: collector:4317\n")};
  auto config = load(flags, {});
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().message,
            *flags.config_file +
                ":2: export.endpoint: 'collector:4317' needs http:// or https:// with protocol "
                "http/protobuf (host:port is for grpc)");
  config = load(flags, {{"OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"}});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->endpoint, "collector:4317");
  EXPECT_EQ(load(Flags{.endpoint = "collector:4317"}, {}).error().message,
            "--endpoint: 'collector:4317' needs http:// or https:// with protocol http/protobuf "
            "(host:port is for grpc)");
}

TEST_F(LoadTest, FlagErrors) {
  EXPECT_EQ(load(Flags{.protocol = "http/json"}, {}).error().message,
            "--protocol: protocol http/json is not supported (use http/protobuf or grpc)");
  EXPECT_EQ(load(Flags{.endpoint = "http://"}, {}).error().message,
            "--endpoint: 'http://': missing host");
  EXPECT_EQ(load(Flags{.output_file = ""}, {}).error().message,
            "--output: expected a file name, got ''");
}

TEST_F(LoadTest, FileErrorsCarryThePath) {
  Flags flags{.config_file = write("instrumentation:\n  http:\n    enable: true\n")};
  EXPECT_EQ(load(flags, {}).error().message,
            *flags.config_file +
                ":3: instrumentation.http.enable: unknown key (did you mean 'enabled'?)");
}

TEST_F(LoadTest, UnreadableConfigFile) {
  auto missing = (dir_ / "missing.yaml").string();
  auto result = load(Flags{.config_file = missing}, {});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message,
            "cannot read config file " + missing + ": No such file or directory");
  EXPECT_EQ(result.error().code, ENOENT);
  result = load(Flags{.config_file = dir_.string()}, {});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message,
            "cannot read config file " + dir_.string() + ": Is a directory");
}

TEST_F(LoadTest, EnvErrorStopsLoad) {
  EXPECT_EQ(load(Flags{}, {{"OTEL_TRACES_EXPORTER", "jaeger"}}).error().message,
            "OTEL_TRACES_EXPORTER: unsupported exporter 'jaeger' (expected otlp, console or none)");
}

TEST(Example, ShippedExampleLoads) {
  auto config = load(Flags{.config_file = GOINSTR_EXAMPLE_CONFIG}, {});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->service_name, "demo");
  EXPECT_EQ(config->endpoint, "http://localhost:4318");
  EXPECT_FALSE(config->console);
}

TEST(OtlpOptions, CopiesExporterSettings) {
  Config config;
  config.endpoint = "collector:4317";
  config.protocol = exporter::Protocol::kGrpc;
  config.otlp_headers = {{"authorization", "Bearer x"}};
  auto options = otlp_options(config);
  EXPECT_EQ(options.endpoint, "collector:4317");
  EXPECT_EQ(options.protocol, exporter::Protocol::kGrpc);
  EXPECT_EQ(options.headers, config.otlp_headers);
  EXPECT_FALSE(options.endpoint_is_full_url);
  EXPECT_EQ(options.timeout_ms, 10000);
}

TEST(CurrentEnvironment, ReadsTheProcessEnvironment) {
  ::setenv("GOINSTR_CONFIG_TEST", "a=b", 1);
  auto env = current_environment();
  EXPECT_EQ(env["GOINSTR_CONFIG_TEST"], "a=b");
  ::unsetenv("GOINSTR_CONFIG_TEST");
}

}  // namespace
}  // namespace goinstr::config
