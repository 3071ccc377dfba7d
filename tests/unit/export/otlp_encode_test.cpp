// SPDX-License-Identifier: Apache-2.0
#include "export/otlp_encode.hpp"

#include <gtest/gtest.h>

#include "test_spans.hpp"

namespace goinstr::exporter {
namespace {

using testing::child_span;
using testing::resource_for;
using testing::server_span;

std::string bytes_of(const auto& id) {
  return std::string(id.begin(), id.end());
}

// Encodes, serializes and parses back, so the assertions check what goes on the wire.
otlp_collector::ExportTraceServiceRequest round_trip(const model::Resource& resource,
                                                     std::span<const model::Span> spans) {
  const std::string wire = encode_request(resource, spans).SerializeAsString();
  otlp_collector::ExportTraceServiceRequest parsed;
  EXPECT_TRUE(parsed.ParseFromString(wire));
  return parsed;
}

TEST(OtlpEncode, EveryFieldSurvivesTheWire) {
  auto span = server_span();
  span.parent_span_id = testing::span_id(0x01);
  span.status = model::StatusCode::kError;
  span.status_message = "boom";
  span.attributes.push_back({"ratio", 0.5});
  span.attributes.push_back({"cached", true});
  const std::vector<model::Span> spans{span};
  const auto request = round_trip(resource_for(4242), spans);

  ASSERT_EQ(request.resource_spans_size(), 1);
  const auto& rs = request.resource_spans(0);
  ASSERT_EQ(rs.resource().attributes_size(), 2);
  EXPECT_EQ(rs.resource().attributes(0).key(), "service.name");
  EXPECT_EQ(rs.resource().attributes(0).value().string_value(), "hello");
  EXPECT_EQ(rs.resource().attributes(1).key(), "process.pid");
  EXPECT_EQ(rs.resource().attributes(1).value().int_value(), 4242);
  ASSERT_EQ(rs.scope_spans_size(), 1);
  EXPECT_EQ(rs.scope_spans(0).scope().name(), "goinstr");
  EXPECT_EQ(rs.scope_spans(0).scope().version(), "0.1.0");
  ASSERT_EQ(rs.scope_spans(0).spans_size(), 1);

  const auto& s = rs.scope_spans(0).spans(0);
  EXPECT_EQ(s.trace_id().size(), 16u);
  EXPECT_EQ(s.trace_id(), bytes_of(span.trace_id));
  EXPECT_EQ(s.span_id().size(), 8u);
  EXPECT_EQ(s.span_id(), bytes_of(span.span_id));
  EXPECT_EQ(s.parent_span_id(), bytes_of(span.parent_span_id));
  EXPECT_EQ(s.name(), "GET /hello");
  EXPECT_EQ(s.kind(), otlp_trace::Span::SPAN_KIND_SERVER);
  EXPECT_EQ(s.start_time_unix_nano(), span.start_unix_ns);
  EXPECT_EQ(s.end_time_unix_nano(), span.end_unix_ns);
  EXPECT_EQ(s.status().code(), otlp_trace::Status::STATUS_CODE_ERROR);
  EXPECT_EQ(s.status().message(), "boom");
  ASSERT_EQ(s.attributes_size(), 7);
  EXPECT_EQ(s.attributes(0).key(), "http.request.method");
  EXPECT_EQ(s.attributes(0).value().string_value(), "GET");
  EXPECT_EQ(s.attributes(1).key(), "http.response.status_code");
  EXPECT_EQ(s.attributes(1).value().value_case(), otlp_common::AnyValue::kIntValue);
  EXPECT_EQ(s.attributes(1).value().int_value(), 200);
  EXPECT_EQ(s.attributes(5).value().value_case(), otlp_common::AnyValue::kDoubleValue);
  EXPECT_DOUBLE_EQ(s.attributes(5).value().double_value(), 0.5);
  EXPECT_EQ(s.attributes(6).value().value_case(), otlp_common::AnyValue::kBoolValue);
  EXPECT_TRUE(s.attributes(6).value().bool_value());
  EXPECT_EQ(s.trace_state(), "");
  EXPECT_EQ(s.events_size(), 0);
  EXPECT_EQ(s.links_size(), 0);
}

TEST(OtlpEncode, RootSpanHasEmptyParentAndNoStatus) {
  const std::vector<model::Span> spans{server_span()};
  const auto request = round_trip({}, spans);
  const auto& s = request.resource_spans(0).scope_spans(0).spans(0);
  EXPECT_TRUE(s.parent_span_id().empty());
  EXPECT_FALSE(s.has_status());
  EXPECT_EQ(request.resource_spans(0).resource().attributes_size(), 0);
}

TEST(OtlpEncode, KindAndStatusMapOneToOne) {
  const std::pair<model::SpanKind, otlp_trace::Span::SpanKind> kinds[] = {
      {model::SpanKind::kUnspecified, otlp_trace::Span::SPAN_KIND_UNSPECIFIED},
      {model::SpanKind::kInternal, otlp_trace::Span::SPAN_KIND_INTERNAL},
      {model::SpanKind::kServer, otlp_trace::Span::SPAN_KIND_SERVER},
      {model::SpanKind::kClient, otlp_trace::Span::SPAN_KIND_CLIENT},
      {model::SpanKind::kProducer, otlp_trace::Span::SPAN_KIND_PRODUCER},
      {model::SpanKind::kConsumer, otlp_trace::Span::SPAN_KIND_CONSUMER}};
  for (const auto& [ours, theirs] : kinds) {
    auto span = server_span();
    span.kind = ours;
    otlp_trace::Span out;
    encode_span(span, &out);
    EXPECT_EQ(out.kind(), theirs);
  }
  const std::pair<model::StatusCode, otlp_trace::Status::StatusCode> codes[] = {
      {model::StatusCode::kOk, otlp_trace::Status::STATUS_CODE_OK},
      {model::StatusCode::kError, otlp_trace::Status::STATUS_CODE_ERROR}};
  for (const auto& [ours, theirs] : codes) {
    auto span = server_span();
    span.status = ours;
    otlp_trace::Span out;
    encode_span(span, &out);
    EXPECT_EQ(out.status().code(), theirs);
  }
}

TEST(OtlpEncode, OneResourceAndScopeForManySpans) {
  const auto root = server_span();
  const std::vector<model::Span> spans{root, child_span(root, 0x02, "SELECT", 1000),
                                       child_span(root, 0x03, "GET", 2000)};
  const auto request = round_trip(resource_for(1), spans);
  ASSERT_EQ(request.resource_spans_size(), 1);
  ASSERT_EQ(request.resource_spans(0).scope_spans_size(), 1);
  const auto& out = request.resource_spans(0).scope_spans(0).spans();
  ASSERT_EQ(out.size(), 3);
  EXPECT_EQ(out[1].name(), "SELECT");
  EXPECT_EQ(out[1].parent_span_id(), bytes_of(root.span_id));
  EXPECT_EQ(out[2].kind(), otlp_trace::Span::SPAN_KIND_CLIENT);
}

}  // namespace
}  // namespace goinstr::exporter
