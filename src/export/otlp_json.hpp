// SPDX-License-Identifier: Apache-2.0
// OTLP/JSON encoding (the format of the Collector's file exporter and of OTLP/HTTP with
// application/json). It is the protobuf JSON mapping with two OTLP-specific differences: trace and
// span ids are lowercase hex rather than base64, and enums are integers.
#pragma once

#include <string>

#include "common/result.hpp"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

namespace goinstr::exporter {

// One line of JSON, without a trailing newline.
Result<std::string> to_otlp_json(
    const opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest& request);

}  // namespace goinstr::exporter
