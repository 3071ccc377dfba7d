// SPDX-License-Identifier: Apache-2.0
// Span fixtures for the metrics tests: one per instrument, with a chosen duration.
#pragma once

#include <cstdint>
#include <string>

#include "metrics/instruments.hpp"
#include "model/semconv.hpp"
#include "model/span.hpp"

namespace goinstr::metrics::testing {

inline constexpr uint64_t kStart = 1'700'000'000'000'000'000ULL;
inline constexpr uint64_t kMs = 1'000'000;

inline model::Span server_span(uint64_t duration_ns, int64_t status = 200,
                               std::string route = "/items/{id}") {
  model::Span s;
  s.name = "GET " + route;
  s.kind = model::SpanKind::kServer;
  s.start_unix_ns = kStart;
  s.end_unix_ns = kStart + duration_ns;
  s.pid = 4242;
  s.attributes = {{semconv::kHttpRequestMethod, std::string("GET")},
                  {semconv::kUrlPath, std::string("/items/17")},
                  {semconv::kHttpRoute, route},
                  {semconv::kHttpResponseStatusCode, status},
                  {semconv::kNetworkProtocolVersion, std::string("1.1")},
                  {semconv::kServerAddress, std::string("localhost")},
                  {semconv::kServerPort, int64_t{8080}},
                  {semconv::kClientAddress, std::string("127.0.0.1")},
                  {semconv::kClientPort, int64_t{50312}}};
  if (status >= 500) {
    s.status = model::StatusCode::kError;
    s.attributes.push_back({semconv::kErrorType, std::to_string(status)});
  }
  return s;
}

inline model::Span client_span(uint64_t duration_ns) {
  model::Span s;
  s.name = "GET";
  s.kind = model::SpanKind::kClient;
  s.start_unix_ns = kStart;
  s.end_unix_ns = kStart + duration_ns;
  s.pid = 4242;
  s.attributes = {{semconv::kHttpRequestMethod, std::string("GET")},
                  {semconv::kUrlFull, std::string("http://api:9000/v1/x?q=1")},
                  {semconv::kServerAddress, std::string("api")},
                  {semconv::kServerPort, int64_t{9000}}};
  return s;
}

inline model::Span db_span(uint64_t duration_ns) {
  model::Span s;
  s.name = "SELECT users";
  s.kind = model::SpanKind::kClient;
  s.start_unix_ns = kStart;
  s.end_unix_ns = kStart + duration_ns;
  s.pid = 4242;
  s.attributes = {{keys::kDbSystemName, std::string("postgresql")},
                  {keys::kDbOperationName, std::string("SELECT")},
                  {keys::kDbCollectionName, std::string("users")},
                  {"db.query.text", std::string("SELECT * FROM users WHERE id = $1")},
                  {semconv::kServerAddress, std::string("db")},
                  {semconv::kServerPort, int64_t{5432}}};
  return s;
}

inline model::Resource resource_for(int32_t pid) {
  return model::Resource{{{semconv::kServiceName, std::string("shop")},
                          {semconv::kProcessPid, int64_t{pid}},
                          {semconv::kHostName, std::string("box")}}};
}

}  // namespace goinstr::metrics::testing
