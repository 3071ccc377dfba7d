// SPDX-License-Identifier: Apache-2.0
// Span fixtures shared by the exporter tests.
#pragma once

#include <cstdint>
#include <string>

#include "model/semconv.hpp"
#include "model/span.hpp"

namespace goinstr::exporter::testing {

// 4bf92f3577b34da6a3ce929d0e0e4736, the W3C trace-context example id.
inline model::TraceId example_trace_id() {
  return {0x4b, 0xf9, 0x2f, 0x35, 0x77, 0xb3, 0x4d, 0xa6,
          0xa3, 0xce, 0x92, 0x9d, 0x0e, 0x0e, 0x47, 0x36};
}

inline model::SpanId span_id(uint8_t last) {
  return {0x00, 0xf0, 0x67, 0xaa, 0x0b, 0xa9, 0x02, last};
}

// A finished HTTP server span with every attribute type the model supports.
inline model::Span server_span() {
  model::Span s;
  s.trace_id = example_trace_id();
  s.span_id = span_id(0xb7);
  s.name = "GET /hello";
  s.kind = model::SpanKind::kServer;
  s.start_unix_ns = 1'700'000'000'000'000'000ULL;
  s.end_unix_ns = s.start_unix_ns + 1'234'000;  // 1.234 ms
  s.attributes = {{semconv::kHttpRequestMethod, std::string("GET")},
                  {semconv::kHttpResponseStatusCode, int64_t{200}},
                  {semconv::kHttpRoute, std::string("/hello")},
                  {semconv::kUrlPath, std::string("/hello")},
                  {semconv::kClientAddress, std::string("127.0.0.1")}};
  s.pid = 4242;
  return s;
}

inline model::Span child_span(const model::Span& parent, uint8_t id, std::string name,
                              uint64_t start_offset_ns) {
  model::Span s;
  s.trace_id = parent.trace_id;
  s.span_id = span_id(id);
  s.parent_span_id = parent.span_id;
  s.name = std::move(name);
  s.kind = model::SpanKind::kClient;
  s.start_unix_ns = parent.start_unix_ns + start_offset_ns;
  s.end_unix_ns = s.start_unix_ns + 500'000;
  s.pid = parent.pid;
  return s;
}

inline model::Resource resource_for(int32_t pid) {
  return model::Resource{
      {{semconv::kServiceName, std::string("hello")}, {semconv::kProcessPid, int64_t{pid}}}};
}

}  // namespace goinstr::exporter::testing
