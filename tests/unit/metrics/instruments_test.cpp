// SPDX-License-Identifier: Apache-2.0
// Span -> measurement: which instrument, which attributes (semconv), which error.type.
#include <gtest/gtest.h>

#include <map>

#include "metrics/instruments.hpp"
#include "test_spans.hpp"

namespace goinstr::metrics {
namespace {

using namespace testing;

// Attributes as key -> printable value, so a whole set compares in one EXPECT_EQ.
std::map<std::string, std::string> as_map(const Measurement& m) {
  std::map<std::string, std::string> out;
  for (const auto& attr : m.attributes) {
    std::visit(
        [&](const auto& v) {
          if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::string>)
            out[attr.key] = "'" + v + "'";
          else
            out[attr.key] = std::to_string(v);
        },
        attr.value);
  }
  return out;
}

TEST(Instruments, ServerSpanKeepsOnlyLowCardinalityAttributes) {
  auto m = measure(server_span(3 * kMs));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->instrument, Instrument::kHttpServerDuration);
  EXPECT_DOUBLE_EQ(m->seconds, 0.003);
  std::map<std::string, std::string> want = {{"http.request.method", "'GET'"},
                                             {"http.response.status_code", "200"},
                                             {"http.route", "'/items/{id}'"},
                                             {"network.protocol.version", "'1.1'"},
                                             {"url.scheme", "'http'"}};
  EXPECT_EQ(as_map(*m), want);
  // Sorted by key, so equal sets flatten alike.
  for (size_t i = 1; i < m->attributes.size(); ++i)
    EXPECT_LT(m->attributes[i - 1].key, m->attributes[i].key);
}

TEST(Instruments, ServerErrorTypeOnlyFor5xx) {
  EXPECT_EQ(as_map(*measure(server_span(kMs, 503)))["error.type"], "'503'");
  EXPECT_EQ(as_map(*measure(server_span(kMs, 404))).count("error.type"), 0u);
}

TEST(Instruments, ServerWithoutRouteOmitsIt) {
  auto span = server_span(kMs);
  std::erase_if(span.attributes, [](const auto& a) { return a.key == semconv::kHttpRoute; });
  EXPECT_EQ(as_map(*measure(span)).count("http.route"), 0u);
}

TEST(Instruments, ClientSpanAttributesAndErrors) {
  auto span = client_span(20 * kMs);
  auto m = measure(span);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->instrument, Instrument::kHttpClientDuration);
  std::map<std::string, std::string> want = {
      {"http.request.method", "'GET'"}, {"server.address", "'api'"}, {"server.port", "9000"}};
  EXPECT_EQ(as_map(*m), want);

  span.attributes.push_back({semconv::kHttpResponseStatusCode, int64_t{404}});
  EXPECT_EQ(as_map(*measure(span))["error.type"], "'404'");  // clients: 4xx is an error too

  auto refused = client_span(kMs);
  refused.status = model::StatusCode::kError;
  refused.status_message = "dial tcp: connection refused";
  EXPECT_EQ(as_map(*measure(refused))["error.type"], "'_OTHER'");

  refused.attributes.push_back({semconv::kErrorType, std::string("*net.OpError")});
  EXPECT_EQ(as_map(*measure(refused))["error.type"], "'*net.OpError'");
}

TEST(Instruments, DatabaseSpan) {
  auto span = db_span(2 * kMs);
  auto m = measure(span);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->instrument, Instrument::kDbClientDuration);
  std::map<std::string, std::string> want = {{"db.collection.name", "'users'"},
                                             {"db.operation.name", "'SELECT'"},
                                             {"db.system.name", "'postgresql'"},
                                             {"server.address", "'db'"},
                                             {"server.port", "5432"}};
  EXPECT_EQ(as_map(*m), want);  // never db.query.text

  span.status = model::StatusCode::kError;
  EXPECT_EQ(as_map(*measure(span))["error.type"], "'_OTHER'");
  span.attributes.push_back({semconv::kErrorType, std::string("23505")});
  EXPECT_EQ(as_map(*measure(span))["error.type"], "'23505'");
}

TEST(Instruments, UncoveredSpansAreIgnored) {
  model::Span internal;
  internal.kind = model::SpanKind::kInternal;
  EXPECT_FALSE(measure(internal));
  auto server = server_span(kMs);
  server.attributes.clear();  // no http.request.method
  EXPECT_FALSE(measure(server));
  auto producer = db_span(kMs);
  producer.kind = model::SpanKind::kProducer;
  EXPECT_FALSE(measure(producer));
}

TEST(Instruments, EndBeforeStartIsZero) {
  auto span = server_span(0);
  span.end_unix_ns = span.start_unix_ns - 5;
  EXPECT_EQ(measure(span)->seconds, 0.0);
}

// gRPC spans as the agent makes them (src/agent/grpc_attributes.cpp).
model::Span rpc_span(model::SpanKind kind, const std::string& code, bool error) {
  model::Span s;
  s.name = "pkg.Echo/Say";
  s.kind = kind;
  s.start_unix_ns = kStart;
  s.end_unix_ns = kStart + 2 * kMs;
  s.attributes = {{"rpc.system.name", std::string("grpc")},
                  {"rpc.method", std::string("pkg.Echo/Say")},
                  {"rpc.response.status_code", code},
                  {semconv::kNetworkProtocolVersion, std::string("2")},
                  {"network.peer.address", std::string("127.0.0.1")},
                  {"network.peer.port", int64_t{50051}},
                  {semconv::kServerAddress, std::string("echo")},
                  {semconv::kServerPort, int64_t{50051}}};
  if (error) {
    s.status = model::StatusCode::kError;
    s.attributes.push_back({semconv::kErrorType, code});
  }
  return s;
}

TEST(Instruments, GrpcServerCallDuration) {
  auto m = measure(rpc_span(model::SpanKind::kServer, "INTERNAL", true));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->instrument, Instrument::kRpcServerDuration);
  EXPECT_EQ(info(m->instrument).name, "rpc.server.call.duration");
  EXPECT_DOUBLE_EQ(m->seconds, 0.002);
  std::map<std::string, std::string> want = {{"error.type", "'INTERNAL'"},
                                             {"rpc.method", "'pkg.Echo/Say'"},
                                             {"rpc.response.status_code", "'INTERNAL'"},
                                             {"rpc.system.name", "'grpc'"}};
  EXPECT_EQ(as_map(*m), want);  // no peer address or port: high cardinality, opt-in for servers
  auto ok = measure(rpc_span(model::SpanKind::kServer, "NOT_FOUND", false));
  ASSERT_TRUE(ok);
  EXPECT_FALSE(as_map(*ok).contains("error.type")) << "NOT_FOUND is not a server error";
}

TEST(Instruments, GrpcClientCallDurationHasTheServer) {
  auto m = measure(rpc_span(model::SpanKind::kClient, "NOT_FOUND", true));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->instrument, Instrument::kRpcClientDuration);
  EXPECT_EQ(info(m->instrument).name, "rpc.client.call.duration");
  std::map<std::string, std::string> want = {{"error.type", "'NOT_FOUND'"},
                                             {"rpc.method", "'pkg.Echo/Say'"},
                                             {"rpc.response.status_code", "'NOT_FOUND'"},
                                             {"rpc.system.name", "'grpc'"},
                                             {"server.address", "'echo'"},
                                             {"server.port", "50051"}};
  EXPECT_EQ(as_map(*m), want);
}

}  // namespace
}  // namespace goinstr::metrics
