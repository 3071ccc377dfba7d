// SPDX-License-Identifier: Apache-2.0
// Span -> measurement, following the OTel semantic conventions for http.server.request.duration,
// http.client.request.duration, db.client.operation.duration and (v1.44.0)
// rpc.server.call.duration and rpc.client.call.duration. Only low-cardinality attributes
// are copied (never url.path or client.address): every distinct set is a new series.
#include "metrics/instruments.hpp"

#include <algorithm>
#include <charconv>
#include <string>

#include "model/semconv.hpp"

namespace goinstr::metrics {
namespace {

using model::Attribute;
using model::AttributeValue;

const AttributeValue* find(const model::Span& span, std::string_view key) {
  for (const auto& attr : span.attributes)
    if (attr.key == key) return &attr.value;
  return nullptr;
}

// Status codes are int64 on goinstr's spans; a numeric string is accepted too.
std::optional<int64_t> as_int(const AttributeValue* value) {
  if (!value) return std::nullopt;
  if (const auto* i = std::get_if<int64_t>(value)) return *i;
  if (const auto* s = std::get_if<std::string>(value)) {
    int64_t v = 0;
    auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), v);
    if (ec == std::errc() && end == s->data() + s->size()) return v;
  }
  return std::nullopt;
}

class Builder {
 public:
  explicit Builder(const model::Span& span) : span_(span) {}

  void copy(const char* key) {
    if (const auto* v = find(span_, key)) attributes_.push_back({key, *v});
  }
  void set(const char* key, AttributeValue value) {
    attributes_.push_back({key, std::move(value)});
  }
  // The span's own error.type when it has one, else `fallback` (when not empty).
  void error_type(std::string fallback) {
    if (const auto* v = find(span_, semconv::kErrorType)) return set(semconv::kErrorType, *v);
    if (!fallback.empty()) set(semconv::kErrorType, std::move(fallback));
  }

  Measurement finish(Instrument instrument) && {
    std::sort(attributes_.begin(), attributes_.end(),
              [](const Attribute& a, const Attribute& b) { return a.key < b.key; });
    const uint64_t ns =
        span_.end_unix_ns > span_.start_unix_ns ? span_.end_unix_ns - span_.start_unix_ns : 0;
    return Measurement{instrument, std::move(attributes_), static_cast<double>(ns) / 1e9};
  }

 private:
  const model::Span& span_;
  std::vector<Attribute> attributes_;
};

bool failed(const model::Span& span) {
  return span.status == model::StatusCode::kError || find(span, semconv::kErrorType);
}

// Servers: only 5xx is an error (a 4xx is the client's fault, semconv "Status" rules).
Measurement http_server(const model::Span& span) {
  Builder b(span);
  b.copy(semconv::kHttpRequestMethod);
  b.copy(semconv::kHttpResponseStatusCode);
  b.copy(semconv::kHttpRoute);
  b.copy(semconv::kNetworkProtocolVersion);
  // The agent sees plain net/http connections; a span that knows better says so itself.
  if (const auto* scheme = find(span, keys::kUrlScheme))
    b.set(keys::kUrlScheme, *scheme);
  else
    b.set(keys::kUrlScheme, std::string("http"));
  const auto status = as_int(find(span, semconv::kHttpResponseStatusCode));
  if (status && *status >= 500)
    b.set(semconv::kErrorType, std::to_string(*status));
  else
    b.error_type(span.status == model::StatusCode::kError ? kOtherErrorType : "");
  return std::move(b).finish(Instrument::kHttpServerDuration);
}

// Clients: every 4xx and 5xx is an error; without a status code, a failed request (connection
// refused, timeout) keeps the span's error.type or falls back to _OTHER.
Measurement http_client(const model::Span& span) {
  Builder b(span);
  b.copy(semconv::kHttpRequestMethod);
  b.copy(semconv::kHttpResponseStatusCode);
  b.copy(semconv::kServerAddress);
  b.copy(semconv::kServerPort);
  b.copy(semconv::kNetworkProtocolVersion);
  const auto status = as_int(find(span, semconv::kHttpResponseStatusCode));
  if (status && *status >= 400)
    b.set(semconv::kErrorType, std::to_string(*status));
  else
    b.error_type(span.status == model::StatusCode::kError ? kOtherErrorType : "");
  return std::move(b).finish(Instrument::kHttpClientDuration);
}

Measurement db_client(const model::Span& span) {
  Builder b(span);
  b.copy(keys::kDbSystemName);
  b.copy(keys::kDbNamespace);
  b.copy(keys::kDbOperationName);
  b.copy(keys::kDbCollectionName);
  b.copy(keys::kDbResponseStatusCode);
  b.copy(semconv::kServerAddress);
  b.copy(semconv::kServerPort);
  if (failed(span)) b.error_type(kOtherErrorType);
  return std::move(b).finish(Instrument::kDbClientDuration);
}

// RPC: the span already decided whether its code is an error (server spans only for the six
// server error codes); error.type is then the code's name. server.address/port are opt-in for
// servers, so only client measurements carry them.
Measurement rpc_call(const model::Span& span, Instrument instrument) {
  Builder b(span);
  b.copy(keys::kRpcSystemName);
  b.copy(keys::kRpcMethod);
  b.copy(keys::kRpcResponseStatusCode);
  if (instrument == Instrument::kRpcClientDuration) {
    b.copy(semconv::kServerAddress);
    b.copy(semconv::kServerPort);
  }
  if (failed(span)) b.error_type(kOtherErrorType);
  return std::move(b).finish(instrument);
}

}  // namespace

const InstrumentInfo& info(Instrument instrument) {
  static constexpr InstrumentInfo kInfo[kInstrumentCount] = {
      {"http.server.request.duration", "Duration of HTTP server requests.", "s"},
      {"http.client.request.duration", "Duration of HTTP client requests.", "s"},
      {"db.client.operation.duration", "Duration of database client operations.", "s"},
      {"rpc.server.call.duration", "Duration of incoming RPCs.", "s"},
      {"rpc.client.call.duration", "Duration of outgoing RPCs.", "s"},
  };
  return kInfo[static_cast<size_t>(instrument)];
}

std::optional<Measurement> measure(const model::Span& span) {
  if (find(span, keys::kRpcSystemName)) {
    if (span.kind == model::SpanKind::kServer)
      return rpc_call(span, Instrument::kRpcServerDuration);
    if (span.kind == model::SpanKind::kClient)
      return rpc_call(span, Instrument::kRpcClientDuration);
    return std::nullopt;
  }
  const bool http = find(span, semconv::kHttpRequestMethod) != nullptr;
  if (span.kind == model::SpanKind::kServer && http) return http_server(span);
  if (span.kind != model::SpanKind::kClient) return std::nullopt;
  if (http) return http_client(span);
  if (find(span, keys::kDbSystemName)) return db_client(span);
  return std::nullopt;
}

}  // namespace goinstr::metrics
