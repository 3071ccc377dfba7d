// SPDX-License-Identifier: Apache-2.0
// The OTLP Resource describing one instrumented process: service, process, host and SDK
// attributes, plus whatever OTEL_RESOURCE_ATTRIBUTES adds.
#pragma once

#include <cstdint>
#include <string>

#include "config/config.hpp"
#include "model/span.hpp"

namespace goinstr::config {

// service.name is, in order: config.service_name (--service-name, OTEL_SERVICE_NAME, the file),
// service.name from OTEL_RESOURCE_ATTRIBUTES, the executable's base name, "unknown_service".
// go_version is the target's runtime.Version() ("go1.22.1"); empty leaves
// process.runtime.version out.
model::Resource detect_resource(const Config& config, int32_t pid,
                                const std::string& executable_path,
                                const std::string& go_version = "");

}  // namespace goinstr::config
