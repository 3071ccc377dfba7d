// SPDX-License-Identifier: Apache-2.0
// The RED histograms goinstr derives from finished spans, and the semantic-convention rules
// that turn one span into one measurement. Kept apart from aggregation so the rules can be tested
// (and changed with the conventions) without touching the concurrency.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "model/span.hpp"

namespace goinstr::metrics {

enum class Instrument : uint8_t {
  kHttpServerDuration,
  kHttpClientDuration,
  kDbClientDuration,
  kRpcServerDuration,
  kRpcClientDuration,
};
inline constexpr size_t kInstrumentCount = 5;

struct InstrumentInfo {
  std::string_view name;         // OTel name, "http.server.request.duration"
  std::string_view description;  // OTLP description and Prometheus HELP
  std::string_view unit;         // UCUM, "s"
};
const InstrumentInfo& info(Instrument instrument);

// The semantic conventions' advised explicit bucket boundaries for these durations, in seconds.
inline constexpr std::array<double, 14> kDurationBounds = {
    0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10};
// One count per bucket: (-inf, b0], (b0, b1], ..., (b13, +inf), as OTLP's bucket_counts.
inline constexpr size_t kBucketCount = kDurationBounds.size() + 1;

// Attribute keys the metrics need beyond model/semconv.hpp (that file belongs to the span side).
namespace keys {
inline constexpr const char* kUrlScheme = "url.scheme";
inline constexpr const char* kDbSystemName = "db.system.name";
inline constexpr const char* kDbOperationName = "db.operation.name";
inline constexpr const char* kDbCollectionName = "db.collection.name";
inline constexpr const char* kDbNamespace = "db.namespace";
inline constexpr const char* kDbResponseStatusCode = "db.response.status_code";
inline constexpr const char* kRpcSystemName = "rpc.system.name";
inline constexpr const char* kRpcMethod = "rpc.method";
inline constexpr const char* kRpcResponseStatusCode = "rpc.response.status_code";
}  // namespace keys

// What error.type is when nothing more specific is known (semconv's fallback value).
inline constexpr const char* kOtherErrorType = "_OTHER";

struct Measurement {
  Instrument instrument;
  std::vector<model::Attribute> attributes;  // sorted by key, so equal sets compare equal
  double seconds = 0;
};

// The measurement `span` contributes, or nullopt when no instrument covers it (internal spans,
// server spans without an HTTP method, ...).
std::optional<Measurement> measure(const model::Span& span);

}  // namespace goinstr::metrics
