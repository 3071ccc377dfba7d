// SPDX-License-Identifier: Apache-2.0
#include "export/otlp_encode.hpp"

#include <type_traits>

namespace goinstr::exporter {

void encode_value(const model::AttributeValue& value, otlp_common::AnyValue* out) {
  std::visit(
      [out](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string>) {
          out->set_string_value(v);
        } else if constexpr (std::is_same_v<T, int64_t>) {
          out->set_int_value(v);
        } else if constexpr (std::is_same_v<T, double>) {
          out->set_double_value(v);
        } else {
          static_assert(std::is_same_v<T, bool>);
          out->set_bool_value(v);
        }
      },
      value);
}

void encode_attributes(const std::vector<model::Attribute>& attributes,
                       google::protobuf::RepeatedPtrField<otlp_common::KeyValue>* out) {
  out->Reserve(static_cast<int>(attributes.size()));
  for (const auto& attr : attributes) {
    auto* kv = out->Add();
    kv->set_key(attr.key);
    encode_value(attr.value, kv->mutable_value());
  }
}

void encode_span(const model::Span& span, otlp_trace::Span* out) {
  out->set_trace_id(span.trace_id.data(), span.trace_id.size());
  out->set_span_id(span.span_id.data(), span.span_id.size());
  // OTLP says a root span's parent_span_id is empty, not eight zero bytes.
  if (span.has_parent()) {
    out->set_parent_span_id(span.parent_span_id.data(), span.parent_span_id.size());
  }
  out->set_name(span.name);
  // model::SpanKind and model::StatusCode use the OTLP numbering (see model/span.hpp).
  out->set_kind(static_cast<otlp_trace::Span::SpanKind>(span.kind));
  out->set_start_time_unix_nano(span.start_unix_ns);
  out->set_end_time_unix_nano(span.end_unix_ns);
  encode_attributes(span.attributes, out->mutable_attributes());
  if (span.status != model::StatusCode::kUnset || !span.status_message.empty()) {
    auto* status = out->mutable_status();
    status->set_code(static_cast<otlp_trace::Status::StatusCode>(span.status));
    status->set_message(span.status_message);
  }
}

otlp_collector::ExportTraceServiceRequest encode_request(const model::Resource& resource,
                                                         std::span<const model::Span> spans) {
  otlp_collector::ExportTraceServiceRequest request;
  auto* resource_spans = request.add_resource_spans();
  encode_attributes(resource.attributes, resource_spans->mutable_resource()->mutable_attributes());
  auto* scope_spans = resource_spans->add_scope_spans();
  scope_spans->mutable_scope()->set_name(kScopeName);
  scope_spans->mutable_scope()->set_version(kScopeVersion);
  scope_spans->mutable_spans()->Reserve(static_cast<int>(spans.size()));
  for (const auto& span : spans) encode_span(span, scope_spans->add_spans());
  return request;
}

}  // namespace goinstr::exporter
