// SPDX-License-Identifier: Apache-2.0
#include "config/resource.hpp"

#include <unistd.h>

#include <algorithm>
#include <climits>
#include <filesystem>

#include "model/semconv.hpp"

namespace goinstr::config {
namespace {

// Not in model/semconv.hpp yet; the key is OTel's process.executable.path.
constexpr const char* kProcessExecutablePath = "process.executable.path";
constexpr const char* kSdkVersion = "0.1.0";
constexpr const char* kTelemetryDistroName = "telemetry.distro.name";
constexpr const char* kTelemetryDistroVersion = "telemetry.distro.version";

void set(model::Resource& resource, const std::string& key, model::AttributeValue value) {
  auto it = std::find_if(resource.attributes.begin(), resource.attributes.end(),
                         [&](const model::Attribute& a) { return a.key == key; });
  if (it != resource.attributes.end())
    it->value = std::move(value);
  else
    resource.attributes.push_back({key, std::move(value)});
}

std::string host_name() {
  char buffer[HOST_NAME_MAX + 1] = {};
  if (::gethostname(buffer, sizeof buffer - 1) != 0) return "";
  return buffer;
}

}  // namespace

model::Resource detect_resource(const Config& config, int32_t pid,
                                const std::string& executable_path, const std::string& go_version) {
  model::Resource resource;
  std::string executable_name = std::filesystem::path(executable_path).filename().string();
  set(resource, semconv::kServiceName,
      executable_name.empty() ? std::string("unknown_service") : executable_name);
  set(resource, semconv::kTelemetrySdkName, std::string("goinstr"));
  // telemetry.sdk.language is the instrumented program's language, as OBI and the OpenTelemetry
  // Go auto-instrumentation report it and as goinstr's woven runtime (Go) does: backends group
  // services by it, and both modes must describe the same service alike. goinstr itself is named
  // by telemetry.distro.* (docs/configuration.md, Resource).
  set(resource, semconv::kTelemetrySdkLanguage, std::string("go"));
  set(resource, semconv::kTelemetrySdkVersion, std::string(kSdkVersion));
  set(resource, kTelemetryDistroName, std::string("goinstr"));
  set(resource, kTelemetryDistroVersion, std::string(kSdkVersion));
  set(resource, semconv::kProcessPid, static_cast<int64_t>(pid));
  if (!executable_name.empty()) {
    set(resource, semconv::kProcessExecutableName, executable_name);
    set(resource, kProcessExecutablePath, executable_path);
  }
  set(resource, semconv::kProcessRuntimeName, std::string("go"));
  if (!go_version.empty()) set(resource, semconv::kProcessRuntimeVersion, go_version);
  if (auto host = host_name(); !host.empty()) set(resource, semconv::kHostName, host);

  // OTEL_RESOURCE_ATTRIBUTES overrides what was detected (the user knows better), except that an
  // explicitly configured service name wins over its service.name, as the OTel spec requires.
  for (const auto& [key, value] : config.resource_attributes) {
    if (key == semconv::kServiceName && !config.service_name.empty()) continue;
    set(resource, key, value);
  }
  if (!config.service_name.empty()) set(resource, semconv::kServiceName, config.service_name);
  return resource;
}

}  // namespace goinstr::config
