// SPDX-License-Identifier: Apache-2.0
#include "config/resource.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <climits>
#include <optional>

namespace goinstr::config {
namespace {

std::optional<model::AttributeValue> find(const model::Resource& resource, const std::string& key) {
  for (const auto& a : resource.attributes)
    if (a.key == key) return a.value;
  return std::nullopt;
}

std::string str(const model::Resource& resource, const std::string& key) {
  auto value = find(resource, key);
  return value ? std::get<std::string>(*value) : "<missing>";
}

TEST(Resource, DetectsProcessHostAndSdk) {
  Config config;
  auto r = detect_resource(config, 4242, "/srv/bin/checkout", "go1.22.1");
  EXPECT_EQ(str(r, "service.name"), "checkout");
  EXPECT_EQ(std::get<int64_t>(*find(r, "process.pid")), 4242);
  EXPECT_EQ(str(r, "process.executable.name"), "checkout");
  EXPECT_EQ(str(r, "process.executable.path"), "/srv/bin/checkout");
  EXPECT_EQ(str(r, "process.runtime.name"), "go");
  EXPECT_EQ(str(r, "process.runtime.version"), "go1.22.1");
  EXPECT_EQ(str(r, "telemetry.sdk.name"), "goinstr");
  EXPECT_EQ(str(r, "telemetry.sdk.language"), "go");
  EXPECT_EQ(str(r, "telemetry.distro.name"), "goinstr");
  EXPECT_EQ(str(r, "telemetry.distro.version"), "0.1.0");
  EXPECT_EQ(str(r, "telemetry.sdk.version"), "0.1.0");
  char host[HOST_NAME_MAX + 1] = {};
  ASSERT_EQ(gethostname(host, sizeof host - 1), 0);
  EXPECT_EQ(str(r, "host.name"), host);
  EXPECT_EQ(r.attributes.front().key, "service.name");
}

TEST(Resource, NoGoVersionLeavesRuntimeVersionOut) {
  auto r = detect_resource(Config{}, 1, "./svc");
  EXPECT_FALSE(find(r, "process.runtime.version"));
  EXPECT_EQ(str(r, "service.name"), "svc");
}

TEST(Resource, UnknownExecutable) {
  auto r = detect_resource(Config{}, 1, "");
  EXPECT_EQ(str(r, "service.name"), "unknown_service");
  EXPECT_FALSE(find(r, "process.executable.name"));
}

TEST(Resource, ConfiguredServiceNameWinsOverResourceAttributes) {
  Config config;
  config.service_name = "explicit";
  config.resource_attributes = {{"service.name", "from-attrs"}, {"deployment.environment", "prod"}};
  auto r = detect_resource(config, 1, "/bin/svc");
  EXPECT_EQ(str(r, "service.name"), "explicit");
  EXPECT_EQ(str(r, "deployment.environment"), "prod");
  int names = 0;
  for (const auto& a : r.attributes) names += a.key == "service.name";
  EXPECT_EQ(names, 1);
}

TEST(Resource, ResourceAttributesNameTheServiceWhenNothingElseDoes) {
  Config config;
  config.resource_attributes = {{"service.name", "from-attrs"}, {"host.name", "pinned"}};
  auto r = detect_resource(config, 1, "/bin/svc");
  EXPECT_EQ(str(r, "service.name"), "from-attrs");
  EXPECT_EQ(str(r, "host.name"), "pinned");
}

TEST(Resource, FromEnvironmentEndToEnd) {
  Config config;
  ASSERT_TRUE(apply_environment(
      config, {{"OTEL_RESOURCE_ATTRIBUTES", "service.name=attrs,k8s.pod.name=web-1"},
               {"OTEL_SERVICE_NAME", "env-name"}}));
  auto r = detect_resource(config, 7, "/app/web");
  EXPECT_EQ(str(r, "service.name"), "env-name");
  EXPECT_EQ(str(r, "k8s.pod.name"), "web-1");
}

}  // namespace
}  // namespace goinstr::config
