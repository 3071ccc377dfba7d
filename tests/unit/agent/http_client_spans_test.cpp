// SPDX-License-Identifier: Apache-2.0
// HttpClientSpans on hand-built net/http client records: LIFO pairing, url.full and server.*,
// error rules, and the local-address index that links a callee's server span to this client span.
#include "agent/http_client_spans.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <initializer_list>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace goinstr::agent {
namespace {

constexpr uint32_t kPid = 42;
constexpr uint64_t kServerSpan = 0x1122334455667788ULL;

template <size_t N>
uint16_t put(char (&dst)[N], std::string_view s) {
  size_t n = std::min(N, s.size());
  std::memcpy(dst, s.data(), n);
  return static_cast<uint16_t>(n);
}

struct Req {
  std::string_view method = "GET";
  std::string_view scheme = "http";
  std::string_view host = "example.com";
  std::string_view path = "/";
  std::string_view query = "";
};

http_client_start make_start(uint64_t goid, uint64_t ts, const Req& r, uint64_t self,
                             uint64_t parent = 0) {
  http_client_start s{};
  s.hdr = {GOINSTR_EVENT_HTTP_CLIENT_START, kPid, ts};
  s.ctx.self.span_id = self;
  s.ctx.parent_span_id = parent;
  s.ctx.goid = goid;
  s.ctx.parent_via = parent ? GOINSTR_PARENT_DIRECT : GOINSTR_PARENT_NONE;
  s.method_len = put(s.method, r.method);
  s.scheme_len = put(s.scheme, r.scheme);
  s.host_len = put(s.host, r.host);
  s.path_len = put(s.path, r.path);
  s.query_len = put(s.query, r.query);
  return s;
}

http_client_end make_end(uint64_t goid, uint64_t ts, int64_t status, uint64_t err_itab = 0,
                         std::string_view msg = {}) {
  http_client_end e{};
  e.hdr = {GOINSTR_EVENT_HTTP_CLIENT_END, kPid, ts};
  e.goid = goid;
  e.status = status;
  e.err_itab = err_itab;
  e.err_len = put(e.err_msg, msg);
  return e;
}

http_client_conn make_conn(uint64_t goid, std::initializer_list<uint8_t> ip, int64_t port) {
  http_client_conn c{};
  c.hdr = {GOINSTR_EVENT_HTTP_CLIENT_CONN, kPid, 0};
  c.goid = goid;
  c.local_port = port;
  c.ip_len = static_cast<uint16_t>(ip.size());
  std::copy(ip.begin(), ip.end(), c.ip);
  return c;
}

// 127.0.0.1 the way Go's net.TCPAddr usually holds it: 16 bytes, IPv4-mapped.
http_client_conn mapped_loopback(uint64_t goid, int64_t port) {
  return make_conn(goid, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1}, port);
}

std::map<std::string, model::AttributeValue> attrs(const model::Span& s) {
  std::map<std::string, model::AttributeValue> m;
  for (const auto& a : s.attributes) {
    EXPECT_FALSE(m.contains(a.key)) << "duplicate attribute " << a.key;
    m[a.key] = a.value;
  }
  return m;
}

std::string str(const std::map<std::string, model::AttributeValue>& m, const std::string& key) {
  auto it = m.find(key);
  if (it == m.end()) return "<absent>";
  const auto* s = std::get_if<std::string>(&it->second);
  return s ? *s : "<not a string>";
}

int64_t num(const std::map<std::string, model::AttributeValue>& m, const std::string& key) {
  auto it = m.find(key);
  if (it == m.end()) return -1;
  const auto* v = std::get_if<int64_t>(&it->second);
  return v ? *v : -2;
}

class HttpClientSpansTest : public ::testing::Test {
 protected:
  std::vector<model::Span> spans;
  std::map<std::pair<uint32_t, uint64_t>, model::TraceId> open_servers;
  HttpClientSpans client{[this](model::Span&& s) { spans.push_back(std::move(s)); },
                         [this](uint32_t pid, uint64_t span) -> std::optional<model::TraceId> {
                           auto it = open_servers.find({pid, span});
                           if (it == open_servers.end()) return std::nullopt;
                           return it->second;
                         }};

  // One request start to end; returns its span's attributes.
  std::map<std::string, model::AttributeValue> one(const Req& r, int64_t status = 200) {
    client.on_start(make_start(7, 10, r, 0x5151));
    client.on_end(make_end(7, 20, status));
    EXPECT_FALSE(spans.empty());
    return spans.empty() ? std::map<std::string, model::AttributeValue>{} : attrs(spans.back());
  }
};

TEST_F(HttpClientSpansTest, BuildsAClientSpanWithSemconvAttributes) {
  client.on_start(make_start(7, 1'000, Req{.host = "api.example.com", .path = "/v1/items"}, 0x99));
  client.on_end(make_end(7, 1'750, 200));
  ASSERT_EQ(spans.size(), 1u);
  const auto& s = spans[0];
  EXPECT_EQ(s.name, "GET");
  EXPECT_EQ(s.kind, model::SpanKind::kClient);
  EXPECT_EQ(s.end_unix_ns - s.start_unix_ns, 750u);
  EXPECT_EQ(s.span_id, span_id_from_u64(0x99));
  EXPECT_EQ(s.pid, static_cast<int32_t>(kPid));
  EXPECT_EQ(s.status, model::StatusCode::kUnset);
  auto a = attrs(s);
  EXPECT_EQ(str(a, "http.request.method"), "GET");
  EXPECT_EQ(str(a, "url.full"), "http://api.example.com/v1/items");
  EXPECT_EQ(str(a, "server.address"), "api.example.com");
  EXPECT_EQ(num(a, "server.port"), 80);
  EXPECT_EQ(num(a, "http.response.status_code"), 200);
  EXPECT_FALSE(a.contains("error.type"));
  EXPECT_EQ(client.stats().spans, 1u);
}

TEST_F(HttpClientSpansTest, UrlFullKeepsTheQueryAndExplicitPort) {
  auto a = one(Req{.method = "POST",
                   .scheme = "https",
                   .host = "api.example.com:8443",
                   .path = "/v1/items",
                   .query = "limit=5&sort=asc"});
  EXPECT_EQ(str(a, "url.full"), "https://api.example.com:8443/v1/items?limit=5&sort=asc");
  EXPECT_EQ(str(a, "server.address"), "api.example.com");
  EXPECT_EQ(num(a, "server.port"), 8443);
  EXPECT_EQ(str(a, "http.request.method"), "POST");
  EXPECT_EQ(spans.back().name, "POST");
}

TEST_F(HttpClientSpansTest, DefaultPortFollowsTheScheme) {
  EXPECT_EQ(num(one(Req{.scheme = "https", .host = "secure.example"}), "server.port"), 443);
  EXPECT_EQ(num(one(Req{.scheme = "http", .host = "plain.example"}), "server.port"), 80);
  // No scheme recorded: http, as Go's transport assumes for a request without one.
  auto a = one(Req{.scheme = "", .host = "bare.example", .path = "/x"});
  EXPECT_EQ(num(a, "server.port"), 80);
  EXPECT_EQ(str(a, "url.full"), "http://bare.example/x");
}

TEST_F(HttpClientSpansTest, BracketedIpv6Host) {
  auto a = one(Req{.host = "[::1]:9000", .path = "/p"});
  EXPECT_EQ(str(a, "server.address"), "::1");
  EXPECT_EQ(num(a, "server.port"), 9000);
  EXPECT_EQ(str(a, "url.full"), "http://[::1]:9000/p");
}

TEST_F(HttpClientSpansTest, EmptyMethodIsGetAndUnknownIsOther) {
  auto a = one(Req{.method = ""});
  EXPECT_EQ(str(a, "http.request.method"), "GET");
  EXPECT_EQ(spans.back().name, "GET");
  a = one(Req{.method = "PURGE"});
  EXPECT_EQ(str(a, "http.request.method"), "_OTHER");
  EXPECT_EQ(str(a, "http.request.method_original"), "PURGE");
  EXPECT_EQ(spans.back().name, "_OTHER");
}

TEST_F(HttpClientSpansTest, NotFoundIsAnErrorForAClient) {
  auto a = one(Req{}, 404);
  EXPECT_EQ(spans.back().status, model::StatusCode::kError);
  EXPECT_EQ(str(a, "error.type"), "404");
  EXPECT_EQ(num(a, "http.response.status_code"), 404);
  a = one(Req{}, 503);
  EXPECT_EQ(spans.back().status, model::StatusCode::kError);
  EXPECT_EQ(str(a, "error.type"), "503");
}

TEST_F(HttpClientSpansTest, BelowFourHundredIsNoError) {
  for (int64_t status : {200, 204, 301, 399}) {
    auto a = one(Req{}, status);
    EXPECT_EQ(spans.back().status, model::StatusCode::kUnset) << status;
    EXPECT_FALSE(a.contains("error.type")) << status;
  }
}

TEST_F(HttpClientSpansTest, NoResponseMeansNoStatusCode) {
  client.on_start(make_start(7, 10, Req{}, 0x1));
  client.on_end(make_end(7, 20, 0));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_FALSE(attrs(spans[0]).contains("http.response.status_code"));
  EXPECT_EQ(spans[0].status, model::StatusCode::kUnset);
}

TEST_F(HttpClientSpansTest, GoErrorIsAnErrorWithItsType) {
  client.on_start(make_start(7, 10, Req{.host = "down.example"}, 0x1));
  client.on_end(make_end(7, 20, 0, 0x6b0000, "dial tcp 10.0.0.9:80: connect: connection refused"),
                "*net.OpError");
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].status, model::StatusCode::kError);
  EXPECT_EQ(spans[0].status_message, "dial tcp 10.0.0.9:80: connect: connection refused");
  auto a = attrs(spans[0]);
  EXPECT_EQ(str(a, "error.type"), "*net.OpError");
  EXPECT_FALSE(a.contains("http.response.status_code"));
}

TEST_F(HttpClientSpansTest, GoErrorTypeWithoutMessageUsesFixedMessageThenType) {
  client.on_start(make_start(7, 10, Req{}, 0x1));
  client.on_end(make_end(7, 20, 0, 0x6b0000), "context.deadlineExceededError",
                "context deadline exceeded");
  client.on_start(make_start(7, 30, Req{}, 0x2));
  client.on_end(make_end(7, 40, 0, 0x6c0000), "*url.Error");
  client.on_start(make_start(7, 50, Req{}, 0x3));
  client.on_end(make_end(7, 60, 0, 0x6d0000));
  ASSERT_EQ(spans.size(), 3u);
  EXPECT_EQ(spans[0].status_message, "context deadline exceeded");
  EXPECT_EQ(str(attrs(spans[0]), "error.type"), "context.deadlineExceededError");
  EXPECT_EQ(spans[1].status_message, "*url.Error");
  EXPECT_EQ(spans[2].status_message, "error");
  EXPECT_EQ(str(attrs(spans[2]), "error.type"), "_OTHER");
  for (const auto& s : spans) EXPECT_EQ(s.status, model::StatusCode::kError);
}

TEST_F(HttpClientSpansTest, GoErrorTypeWinsOverTheStatusCode) {
  client.on_start(make_start(7, 10, Req{}, 0x1));
  client.on_end(make_end(7, 20, 500, 0x6b0000, "body read failed"), "*errors.errorString");
  ASSERT_EQ(spans.size(), 1u);
  auto a = attrs(spans[0]);
  EXPECT_EQ(str(a, "error.type"), "*errors.errorString");
  EXPECT_EQ(num(a, "http.response.status_code"), 500);
}

TEST_F(HttpClientSpansTest, NestedStartsOnOneGoroutineEndInnermostFirst) {
  // A RoundTripper wrapping another: outer starts, inner starts, inner ends, outer ends.
  client.on_start(make_start(7, 100, Req{.path = "/outer"}, 0xa));
  client.on_start(make_start(7, 200, Req{.path = "/inner"}, 0xb));
  client.on_start(make_start(8, 250, Req{.path = "/other-goroutine"}, 0xc));
  client.on_end(make_end(7, 300, 200));
  client.on_end(make_end(8, 350, 200));
  client.on_end(make_end(7, 400, 200));
  ASSERT_EQ(spans.size(), 3u);
  EXPECT_EQ(str(attrs(spans[0]), "url.full"), "http://example.com/inner");
  EXPECT_EQ(spans[0].span_id, span_id_from_u64(0xb));
  EXPECT_EQ(spans[0].end_unix_ns - spans[0].start_unix_ns, 100u);
  EXPECT_EQ(str(attrs(spans[1]), "url.full"), "http://example.com/other-goroutine");
  EXPECT_EQ(str(attrs(spans[2]), "url.full"), "http://example.com/outer");
  EXPECT_EQ(spans[2].span_id, span_id_from_u64(0xa));
  EXPECT_EQ(spans[2].end_unix_ns - spans[2].start_unix_ns, 300u);
  client.on_end(make_end(7, 500, 200));
  EXPECT_EQ(client.stats().unmatched_ends, 1u);
}

TEST_F(HttpClientSpansTest, ParentFromTheServerSpan) {
  model::TraceId server_trace{};
  server_trace.fill(0x42);
  open_servers[{kPid, kServerSpan}] = server_trace;
  client.on_start(make_start(7, 10, Req{}, 0x1, kServerSpan));
  client.on_end(make_end(7, 20, 200));
  client.on_start(make_start(7, 30, Req{}, 0x2, kServerSpan + 1));  // unknown request
  client.on_end(make_end(7, 40, 200));
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0].trace_id, server_trace);
  EXPECT_EQ(spans[0].parent_span_id, span_id_from_u64(kServerSpan));
  EXPECT_NE(spans[1].trace_id, server_trace);
  EXPECT_FALSE(spans[1].has_parent());
  EXPECT_EQ(client.stats().with_parent, 1u);
}

TEST_F(HttpClientSpansTest, LocalAddressFindsTheOpenSpanUntilItEnds) {
  client.on_start(make_start(7, 10, Req{}, 0x77));
  client.on_conn(mapped_loopback(7, 51234));
  auto peer = client.claim_by_local_address("127.0.0.1", 51234, "");
  ASSERT_TRUE(peer);
  EXPECT_EQ(peer->span_id, span_id_from_u64(0x77));
  EXPECT_FALSE(model::is_zero(peer->trace_id.data(), peer->trace_id.size()));
  EXPECT_FALSE(client.claim_by_local_address("127.0.0.1", 51235, ""));
  EXPECT_FALSE(client.claim_by_local_address("127.0.0.2", 51234, ""));
  client.on_end(make_end(7, 20, 200));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].trace_id, peer->trace_id);
  EXPECT_EQ(spans[0].span_id, peer->span_id);
  EXPECT_FALSE(client.claim_by_local_address("127.0.0.1", 51234, ""));
}

TEST_F(HttpClientSpansTest, Ipv4AddressFormats) {
  client.on_start(make_start(7, 10, Req{}, 0x1));
  client.on_conn(make_conn(7, {10, 1, 2, 254}, 40000));  // 4-byte form
  EXPECT_TRUE(client.claim_by_local_address("10.1.2.254", 40000, ""));
  client.on_start(make_start(8, 10, Req{}, 0x2));
  client.on_conn(make_conn(8, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 168, 0, 10}, 40001));
  auto peer = client.claim_by_local_address("192.168.0.10", 40001, "");
  ASSERT_TRUE(peer);
  EXPECT_EQ(peer->span_id, span_id_from_u64(0x2));
  EXPECT_FALSE(client.claim_by_local_address("::ffff:192.168.0.10", 40001, ""));
}

TEST_F(HttpClientSpansTest, Ipv6AddressFormats) {
  client.on_start(make_start(7, 10, Req{}, 0x1));
  client.on_conn(make_conn(7, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 40000));
  EXPECT_TRUE(client.claim_by_local_address("::1", 40000, ""));
  client.on_start(make_start(8, 10, Req{}, 0x2));
  client.on_conn(
      make_conn(8, {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12, 0x34}, 40001));
  EXPECT_TRUE(client.claim_by_local_address("2001:db8::1234", 40001, ""));
}

TEST_F(HttpClientSpansTest, ConnectionAttachesToTheInnermostRequest) {
  client.on_start(make_start(7, 10, Req{.path = "/outer"}, 0xa));
  client.on_start(make_start(7, 20, Req{.path = "/inner"}, 0xb));
  client.on_conn(mapped_loopback(7, 50000));
  auto peer = client.claim_by_local_address("127.0.0.1", 50000, "");
  ASSERT_TRUE(peer);
  EXPECT_EQ(peer->span_id, span_id_from_u64(0xb));
  client.on_end(make_end(7, 30, 200));  // inner ends: its connection is no longer a link
  EXPECT_FALSE(client.claim_by_local_address("127.0.0.1", 50000, ""));
  client.on_conn(mapped_loopback(7, 50001));  // now the outer one's
  peer = client.claim_by_local_address("127.0.0.1", 50001, "");
  ASSERT_TRUE(peer);
  EXPECT_EQ(peer->span_id, span_id_from_u64(0xa));
}

TEST_F(HttpClientSpansTest, Http2RequestsOnOneConnectionAreClaimedByPathThenInOrder) {
  // HTTP/2: three requests of three goroutines share one connection.
  client.on_start(make_start(7, 10, Req{.path = "/a"}, 0xa));
  client.on_conn(mapped_loopback(7, 50000));
  client.on_start(make_start(8, 11, Req{.path = "/b"}, 0xb));
  client.on_conn(mapped_loopback(8, 50000));
  client.on_start(make_start(9, 12, Req{.path = "/a"}, 0xc));
  client.on_conn(mapped_loopback(9, 50000));
  auto b = client.claim_by_local_address("127.0.0.1", 50000, "/b");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->span_id, span_id_from_u64(0xb));
  auto a1 = client.claim_by_local_address("127.0.0.1", 50000, "/a");
  auto a2 = client.claim_by_local_address("127.0.0.1", 50000, "/a");
  ASSERT_TRUE(a1 && a2);
  EXPECT_EQ(a1->span_id, span_id_from_u64(0xa));  // the oldest first
  EXPECT_EQ(a2->span_id, span_id_from_u64(0xc));
  EXPECT_FALSE(client.claim_by_local_address("127.0.0.1", 50000, "/a"));  // each claimed once
}

TEST_F(HttpClientSpansTest, AnotherPathIsClaimedOnlyWhenItIsTheOnlyRequestThere) {
  client.on_start(make_start(7, 10, Req{.path = "/a"}, 0xa));
  client.on_conn(mapped_loopback(7, 50000));
  client.on_start(make_start(8, 11, Req{.path = "/b"}, 0xb));
  client.on_conn(mapped_loopback(8, 50000));
  EXPECT_FALSE(client.claim_by_local_address("127.0.0.1", 50000, "/rewritten"));
  client.on_end(make_end(8, 20, 200));
  auto a = client.claim_by_local_address("127.0.0.1", 50000, "/rewritten");
  ASSERT_TRUE(a);  // HTTP/1.1 through a path-rewriting hop: one request, the link holds
  EXPECT_EQ(a->span_id, span_id_from_u64(0xa));
}

TEST_F(HttpClientSpansTest, NewConnectionReplacesTheOldOne) {
  // A retry on a fresh connection: only the current one links.
  client.on_start(make_start(7, 10, Req{}, 0xa));
  client.on_conn(mapped_loopback(7, 50000));
  client.on_conn(mapped_loopback(7, 50002));
  EXPECT_FALSE(client.claim_by_local_address("127.0.0.1", 50000, ""));
  EXPECT_TRUE(client.claim_by_local_address("127.0.0.1", 50002, ""));
}

TEST_F(HttpClientSpansTest, UnusableConnectionRecordsAreIgnored) {
  client.on_conn(mapped_loopback(7, 50000));  // no open request on the goroutine
  EXPECT_FALSE(client.claim_by_local_address("127.0.0.1", 50000, ""));
  client.on_start(make_start(7, 10, Req{}, 0xa));
  client.on_conn(mapped_loopback(7, 0));                   // no port
  client.on_conn(make_conn(7, {}, 50001));                 // no address
  client.on_conn(make_conn(7, {127, 0, 0, 1, 9}, 50002));  // neither 4 nor 16 bytes
  client.on_conn(mapped_loopback(8, 50003));               // another goroutine
  EXPECT_FALSE(client.claim_by_local_address("127.0.0.1", 0, ""));
  EXPECT_FALSE(client.claim_by_local_address("", 50001, ""));
  EXPECT_FALSE(client.claim_by_local_address("127.0.0.1", 50002, ""));
  EXPECT_FALSE(client.claim_by_local_address("127.0.0.1", 50003, ""));
  client.on_end(make_end(7, 20, 200));
  EXPECT_EQ(spans.size(), 1u);
}

TEST_F(HttpClientSpansTest, DepthIsBoundedByGivingUpTheOutermost) {
  for (uint64_t i = 0; i < 17; ++i) client.on_start(make_start(7, 10 + i, Req{}, 0x100 + i));
  EXPECT_EQ(client.stats().abandoned_starts, 1u);
  for (int i = 0; i < 17; ++i) client.on_end(make_end(7, 100, 200));
  ASSERT_EQ(spans.size(), 16u);
  EXPECT_EQ(spans.front().span_id, span_id_from_u64(0x110));  // innermost first
  EXPECT_EQ(spans.back().span_id, span_id_from_u64(0x101));   // 0x100 was given up
  EXPECT_EQ(client.stats().unmatched_ends, 1u);
}

TEST_F(HttpClientSpansTest, GivingUpTheOutermostForgetsItsConnection) {
  client.on_start(make_start(7, 10, Req{}, 0x100));
  client.on_conn(mapped_loopback(7, 50000));
  for (uint64_t i = 1; i < 17; ++i) client.on_start(make_start(7, 10 + i, Req{}, 0x100 + i));
  EXPECT_EQ(client.stats().abandoned_starts, 1u);
  EXPECT_FALSE(client.claim_by_local_address("127.0.0.1", 50000, ""));
}

TEST_F(HttpClientSpansTest, AbandonAllCountsAndForgetsConnections) {
  client.on_start(make_start(7, 10, Req{}, 0x1));
  client.on_start(make_start(7, 11, Req{}, 0x2));
  client.on_start(make_start(8, 12, Req{}, 0x3));
  client.on_conn(mapped_loopback(8, 50000));
  client.abandon_all();
  EXPECT_EQ(client.stats().abandoned_starts, 3u);
  EXPECT_FALSE(client.claim_by_local_address("127.0.0.1", 50000, ""));
  client.on_end(make_end(7, 20, 200));
  EXPECT_TRUE(spans.empty());
  EXPECT_EQ(client.stats().unmatched_ends, 1u);
}

TEST_F(HttpClientSpansTest, FieldsAreBoundedAndValidUtf8) {
  auto start = make_start(7, 10, Req{.host = "h", .path = "/caf\xc3"}, 0x1);
  start.query_len = 60000;  // more than the buffer: cut at its size
  std::memset(start.query, 'q', sizeof start.query);
  client.on_start(start);
  client.on_end(make_end(7, 20, 200));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(str(attrs(spans[0]), "url.full"),
            "http://h/caf\xEF\xBF\xBD?" + std::string(GOINSTR_CLIENT_QUERY_MAX, 'q'));
}

}  // namespace
}  // namespace goinstr::agent
