// SPDX-License-Identifier: Apache-2.0
// Reads spans back from Jaeger's query API (the JSON the Jaeger UI uses), so e2e tests assert on
// what a user would see rather than on goinstr's internal export path.
//
// Shapes relied on (Jaeger v2 query API on :16686):
//   GET /api/services                          -> {"data": ["svc", ...], ...}
//   GET /api/traces?service=S&limit=N&start=us&end=us
//                                              -> {"data": [trace, ...], ...}
//   GET /api/traces/{traceID}                  -> {"data": [trace], ...}
//   trace = {"traceID", "spans": [span...], "processes": {"p1": {"serviceName", "tags"}}}
//   span  = {"traceID", "spanID", "operationName", "references": [{"refType": "CHILD_OF",
//            "traceID", "spanID"}], "startTime" (us), "duration" (us), "tags": [{"key",
//            "type", "value"}], "processID", ...}
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "src/common/result.hpp"

namespace goinstr::testing {

// Receives a span and the trace that holds it (for processes/serviceName lookups).
using SpanPredicate = std::function<bool(const nlohmann::json& span, const nlohmann::json& trace)>;

class JaegerClient {
 public:
  explicit JaegerClient(std::string base_url = "http://127.0.0.1:16686");

  const std::string& base_url() const { return base_url_; }

  Result<std::vector<std::string>> services() const;

  // The whole /api/traces answer for `service` over the last `lookback`.
  Result<nlohmann::json> traces(const std::string& service, int limit = 100,
                                std::chrono::seconds lookback = std::chrono::hours(1)) const;

  // The /api/traces/{id} answer.
  Result<nlohmann::json> trace(const std::string& trace_id) const;

  // Polls traces(service) until at least `count` spans satisfy `match` (all spans when empty),
  // and returns those spans. Ingestion is asynchronous (batch processor), hence polling; the
  // error on timeout says how many matched and the last query error, if any.
  Result<std::vector<nlohmann::json>> wait_for_span_count(const std::string& service,
                                                          std::size_t count,
                                                          std::chrono::milliseconds timeout,
                                                          const SpanPredicate& match = {}) const;

 private:
  std::string base_url_;
};

// Every span of every trace in a /api/traces answer, each paired with its trace.
std::vector<std::pair<nlohmann::json, nlohmann::json>> spans_with_traces(
    const nlohmann::json& traces_answer);
std::vector<nlohmann::json> all_spans(const nlohmann::json& traces_answer);

// The value of the span tag `key` (string, int64, bool or float, as Jaeger typed it).
std::optional<nlohmann::json> span_tag(const nlohmann::json& span, std::string_view key);
// The tag value as text: strings as-is, other types via their JSON spelling.
std::optional<std::string> span_tag_string(const nlohmann::json& span, std::string_view key);
// The spanID of the CHILD_OF reference, or nullopt for a root span.
std::optional<std::string> parent_span_id(const nlohmann::json& span);
// processes[span.processID].serviceName within `trace`.
std::optional<std::string> span_service(const nlohmann::json& span, const nlohmann::json& trace);

}  // namespace goinstr::testing
