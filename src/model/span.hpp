// SPDX-License-Identifier: Apache-2.0
// The span vocabulary shared by the runtime agent and every exporter. Names follow OpenTelemetry
// (SpanKind, StatusCode) so the OTLP mapping is one-to-one; semantic-convention attribute keys live
// in model/semconv.hpp, in one place for both instrumentation modes.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace goinstr::model {

using TraceId = std::array<uint8_t, 16>;
using SpanId = std::array<uint8_t, 8>;

// Values match OTLP's Span.SpanKind.
enum class SpanKind : int {
  kUnspecified = 0,
  kInternal = 1,
  kServer = 2,
  kClient = 3,
  kProducer = 4,
  kConsumer = 5
};
// Values match OTLP's Status.StatusCode.
enum class StatusCode : int { kUnset = 0, kOk = 1, kError = 2 };

using AttributeValue = std::variant<std::string, int64_t, double, bool>;

struct Attribute {
  std::string key;
  AttributeValue value;
};

struct Span {
  TraceId trace_id{};
  SpanId span_id{};
  SpanId parent_span_id{};  // all zero: a root span
  std::string name;
  SpanKind kind = SpanKind::kInternal;
  uint64_t start_unix_ns = 0;
  uint64_t end_unix_ns = 0;
  StatusCode status = StatusCode::kUnset;
  std::string status_message;
  std::vector<Attribute> attributes;
  // The process the span was observed in: exporters group spans by resource.
  int32_t pid = 0;

  bool has_parent() const {
    for (auto b : parent_span_id)
      if (b) return true;
    return false;
  }
};

// Describes the process that produced spans (OTLP Resource).
struct Resource {
  std::vector<Attribute> attributes;
};

// Hex helpers used by the console exporter, JSON output and the traceparent parser.
std::string to_hex(const uint8_t* bytes, size_t n);
inline std::string to_hex(const TraceId& id) {
  return to_hex(id.data(), id.size());
}
inline std::string to_hex(const SpanId& id) {
  return to_hex(id.data(), id.size());
}
bool is_zero(const uint8_t* bytes, size_t n);
// An attribute value as plain text (console lines, Prometheus labels): strings as they are,
// booleans as true/false, numbers in their shortest form.
std::string to_text(const AttributeValue& value);
// OTLP strings must be valid UTF-8 (receivers reject a batch otherwise), but what probes copy out
// of a process is raw bytes, possibly cut mid-character: invalid sequences become U+FFFD.
std::string to_valid_utf8(std::string_view bytes);

}  // namespace goinstr::model
