// SPDX-License-Identifier: Apache-2.0
// model::Span -> OTLP protobuf. Shared by the HTTP, gRPC and JSON-lines exporters so that all three
// put exactly the same bytes on the wire.
#pragma once

#include <span>
#include <vector>

#include "model/span.hpp"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

namespace goinstr::exporter {

namespace otlp_collector = opentelemetry::proto::collector::trace::v1;
namespace otlp_trace = opentelemetry::proto::trace::v1;
namespace otlp_common = opentelemetry::proto::common::v1;

// The InstrumentationScope every goinstr span is reported under.
inline constexpr const char* kScopeName = "goinstr";
inline constexpr const char* kScopeVersion = "0.1.0";

void encode_value(const model::AttributeValue& value, otlp_common::AnyValue* out);
void encode_attributes(const std::vector<model::Attribute>& attributes,
                       google::protobuf::RepeatedPtrField<otlp_common::KeyValue>* out);
void encode_span(const model::Span& span, otlp_trace::Span* out);

// One ResourceSpans holding one ScopeSpans ("goinstr" 0.1.0) with every span in `spans`.
otlp_collector::ExportTraceServiceRequest encode_request(const model::Resource& resource,
                                                         std::span<const model::Span> spans);

}  // namespace goinstr::exporter
