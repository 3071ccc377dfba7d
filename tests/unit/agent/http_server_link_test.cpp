// SPDX-License-Identifier: Apache-2.0
// Where a server span's trace comes from (assign_ids: BPF-continued traceparent, user-space
// traceparent, the caller's client span by connection, BPF's trace id, random) and trace_of(),
// by which child spans find it.
#include <gtest/gtest.h>

#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "agent/db_spans.hpp"
#include "agent/http_client_spans.hpp"
#include "agent/http_server_spans.hpp"

namespace goinstr::agent {
namespace {

constexpr uint64_t kServerSpan = 0x1122334455667788ULL;
constexpr char kTraceparent[] =
    "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\r\n";

template <size_t N>
uint16_t put(char (&dst)[N], std::string_view s) {
  size_t n = std::min(N, s.size());
  std::memcpy(dst, s.data(), n);
  return static_cast<uint16_t>(n);
}

http_server_start make_start(uint32_t pid, uint64_t response, uint64_t ts, std::string_view remote,
                             std::string_view headers, uint64_t span_id = kServerSpan) {
  http_server_start s{};
  s.hdr = {GOINSTR_EVENT_HTTP_SERVER_START, pid, ts};
  s.goid = 1;
  s.response_ptr = response;
  s.ctx.span_id = span_id;
  s.method_len = put(s.method, "GET");
  s.path_len = put(s.path, "/x");
  s.host_len = put(s.host, "localhost:8080");
  s.remote_len = put(s.remote, remote);
  s.proto_major = 1;
  s.proto_minor = 1;
  std::string raw = "GET /x HTTP/1.1\r\nHost: localhost:8080\r\n" + std::string(headers) + "\r\n";
  s.header_len = put(s.header_window, raw);
  return s;
}

http_server_end make_end(uint32_t pid, uint64_t response, uint64_t ts) {
  http_server_end e{};
  e.hdr = {GOINSTR_EVENT_HTTP_SERVER_END, pid, ts};
  e.response_ptr = response;
  e.status = 200;
  return e;
}

model::TraceId filled_trace(uint8_t b) {
  model::TraceId t{};
  t.fill(b);
  return t;
}

model::SpanId filled_span(uint8_t b) {
  model::SpanId s{};
  s.fill(b);
  return s;
}

// A peer lookup that answers with one client span for one address, and records what it was asked.
struct FakePeer {
  std::string ip;
  int64_t port = 0;
  std::vector<std::pair<std::string, int64_t>> asked;
  HttpServerSpans::PeerLookup fn() {
    return [this](const std::string& a, int64_t p,
                  const std::string&) -> std::optional<std::pair<model::TraceId, model::SpanId>> {
      asked.emplace_back(a, p);
      if (a != ip || p != port) return std::nullopt;
      return std::pair{filled_trace(0xc1), filled_span(0xc2)};
    };
  }
};

class HttpServerLinkTest : public ::testing::Test {
 protected:
  std::vector<model::Span> spans;
  HttpServerSpans server{[this](model::Span&& s) { spans.push_back(std::move(s)); }, 1'000'000'000};
  FakePeer peer{"127.0.0.1", 51234, {}};
  void SetUp() override { server.set_peer_lookup(peer.fn()); }
};

TEST_F(HttpServerLinkTest, WithoutTraceparentTheCallerClientSpanIsTheParent) {
  server.on_start(make_start(1, 0x10, 10, "127.0.0.1:51234", ""));
  server.on_end(make_end(1, 0x10, 20));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].trace_id, filled_trace(0xc1));
  EXPECT_EQ(spans[0].parent_span_id, filled_span(0xc2));
  EXPECT_EQ(spans[0].span_id, span_id_from_u64(kServerSpan));
  ASSERT_EQ(peer.asked.size(), 1u);
  EXPECT_EQ(peer.asked[0].first, "127.0.0.1");
  EXPECT_EQ(peer.asked[0].second, 51234);
  EXPECT_EQ(server.stats().linked_to_caller, 1u);
  EXPECT_EQ(server.stats().continued_traces, 0u);
}

TEST_F(HttpServerLinkTest, IPv6RemoteIsLookedUpWithoutBrackets) {
  peer.ip = "::1";
  server.on_start(make_start(1, 0x10, 10, "[::1]:51234", ""));
  server.on_end(make_end(1, 0x10, 20));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].trace_id, filled_trace(0xc1));
  ASSERT_EQ(peer.asked.size(), 1u);
  EXPECT_EQ(peer.asked[0].first, "::1");
}

TEST_F(HttpServerLinkTest, NoMatchingCallerIsARootWithARandomTrace) {
  server.on_start(make_start(1, 0x10, 10, "127.0.0.1:60000", ""));
  server.on_start(make_start(1, 0x11, 10, "127.0.0.1:60001", ""));
  server.on_end(make_end(1, 0x10, 20));
  server.on_end(make_end(1, 0x11, 20));
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(peer.asked.size(), 2u);
  for (const auto& s : spans) {
    EXPECT_FALSE(s.has_parent());
    EXPECT_NE(s.trace_id, filled_trace(0xc1));
    EXPECT_FALSE(model::is_zero(s.trace_id.data(), s.trace_id.size()));
  }
  EXPECT_NE(spans[0].trace_id, spans[1].trace_id);
  EXPECT_EQ(server.stats().linked_to_caller, 0u);
}

TEST_F(HttpServerLinkTest, RemoteWithoutPortIsNotLookedUp) {
  server.on_start(make_start(1, 0x10, 10, "127.0.0.1", ""));
  server.on_start(make_start(1, 0x11, 10, "", "", kServerSpan + 1));
  server.on_end(make_end(1, 0x10, 20));
  server.on_end(make_end(1, 0x11, 20));
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_TRUE(peer.asked.empty());
  EXPECT_FALSE(spans[0].has_parent());
  EXPECT_FALSE(spans[1].has_parent());
}

TEST_F(HttpServerLinkTest, IncomingTraceparentWinsOverTheCaller) {
  server.on_start(make_start(1, 0x10, 10, "127.0.0.1:51234", kTraceparent));
  server.on_end(make_end(1, 0x10, 20));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(model::to_hex(spans[0].trace_id), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(model::to_hex(spans[0].parent_span_id), "00f067aa0ba902b7");
  EXPECT_EQ(server.stats().continued_traces, 1u);
  EXPECT_EQ(server.stats().linked_to_caller, 0u);
  EXPECT_TRUE(peer.asked.empty());
}

TEST_F(HttpServerLinkTest, MalformedTraceparentFallsBackToTheCaller) {
  server.on_start(make_start(1, 0x10, 10, "127.0.0.1:51234", "traceparent: 00-nothex-01\r\n"));
  server.on_end(make_end(1, 0x10, 20));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].trace_id, filled_trace(0xc1));
  EXPECT_EQ(server.stats().invalid_traceparent, 1u);
  EXPECT_EQ(server.stats().linked_to_caller, 1u);
}

TEST_F(HttpServerLinkTest, BpfContinuedTraceWinsOverEverything) {
  auto start = make_start(1, 0x10, 10, "127.0.0.1:51234", kTraceparent);
  start.ctx.flags = GOINSTR_CTX_HAS_TRACE_ID | GOINSTR_CTX_CONTINUED;
  std::memset(start.ctx.trace_id, 0xb1, sizeof start.ctx.trace_id);
  std::memset(start.ctx.parent_span_id, 0xb2, sizeof start.ctx.parent_span_id);
  server.on_start(start);
  server.on_end(make_end(1, 0x10, 20));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].trace_id, filled_trace(0xb1));
  EXPECT_EQ(spans[0].parent_span_id, filled_span(0xb2));
  EXPECT_TRUE(peer.asked.empty());
  EXPECT_EQ(server.stats().continued_traces, 1u);
}

TEST_F(HttpServerLinkTest, CallerWinsOverATraceIdBpfMerelyChose) {
  auto start = make_start(1, 0x10, 10, "127.0.0.1:51234", "");
  start.ctx.flags = GOINSTR_CTX_HAS_TRACE_ID;
  std::memset(start.ctx.trace_id, 0xb1, sizeof start.ctx.trace_id);
  server.on_start(start);
  server.on_end(make_end(1, 0x10, 20));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].trace_id, filled_trace(0xc1));
  EXPECT_EQ(spans[0].parent_span_id, filled_span(0xc2));
}

TEST_F(HttpServerLinkTest, BpfChosenTraceIdWithoutCaller) {
  auto start = make_start(1, 0x10, 10, "127.0.0.1:60000", "");
  start.ctx.flags = GOINSTR_CTX_HAS_TRACE_ID;
  std::memset(start.ctx.trace_id, 0xb1, sizeof start.ctx.trace_id);
  server.on_start(start);
  server.on_end(make_end(1, 0x10, 20));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].trace_id, filled_trace(0xb1));
  EXPECT_FALSE(spans[0].has_parent());
}

TEST_F(HttpServerLinkTest, ZeroBpfSpanIdGetsARandomOne) {
  server.on_start(make_start(1, 0x10, 10, "127.0.0.1:60000", "", 0));
  server.on_end(make_end(1, 0x10, 20));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_FALSE(model::is_zero(spans[0].span_id.data(), spans[0].span_id.size()));
}

TEST_F(HttpServerLinkTest, TraceOfWhileOpenOnly) {
  server.on_start(make_start(1, 0x10, 10, "127.0.0.1:60000", kTraceparent));
  auto trace = server.trace_of(1, kServerSpan);
  ASSERT_TRUE(trace);
  EXPECT_EQ(model::to_hex(*trace), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_FALSE(server.trace_of(2, kServerSpan));      // another process
  EXPECT_FALSE(server.trace_of(1, kServerSpan + 1));  // another span
  server.on_end(make_end(1, 0x10, 20));
  EXPECT_FALSE(server.trace_of(1, kServerSpan));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].trace_id, *trace);
}

TEST_F(HttpServerLinkTest, TraceOfForgetsGivenUpRequests) {
  server.on_start(make_start(1, 0x10, 10, "127.0.0.1:60000", "", kServerSpan));
  server.on_start(make_start(1, 0x11, 10, "127.0.0.1:60000", "", kServerSpan + 1));
  server.on_start(make_start(1, 0x12, 5'000'000'000, "127.0.0.1:60000", "", kServerSpan + 2));
  server.expire(3'000'000'000);  // the first two are older than the 1 s limit
  EXPECT_FALSE(server.trace_of(1, kServerSpan));
  EXPECT_FALSE(server.trace_of(1, kServerSpan + 1));
  EXPECT_TRUE(server.trace_of(1, kServerSpan + 2));
  server.abandon_all();
  EXPECT_FALSE(server.trace_of(1, kServerSpan + 2));
}

TEST_F(HttpServerLinkTest, TraceOfFollowsAReplacedStart) {
  // A second start on the same *response: the first never ended; only the second is a parent.
  server.on_start(make_start(1, 0x10, 10, "127.0.0.1:60000", "", kServerSpan));
  server.on_start(make_start(1, 0x10, 20, "127.0.0.1:60000", kTraceparent, kServerSpan + 1));
  EXPECT_FALSE(server.trace_of(1, kServerSpan));
  auto trace = server.trace_of(1, kServerSpan + 1);
  ASSERT_TRUE(trace);
  EXPECT_EQ(model::to_hex(*trace), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(server.stats().abandoned_starts, 1u);
}

// The wiring Agent does: two services traced by one agent, client -> server -> database.
TEST(HttpServerLinkEndToEnd, ClientServerAndDatabaseShareOneTrace) {
  constexpr uint32_t kFront = 100, kBack = 200;
  std::vector<model::Span> spans;
  auto sink = [&](model::Span&& s) { spans.push_back(std::move(s)); };
  HttpServerSpans server(sink, 1'000'000'000);
  auto lookup = [&](uint32_t pid, uint64_t span) { return server.trace_of(pid, span); };
  HttpClientSpans client(sink, lookup);
  DbSpans db(sink, DbSpanOptions{}, lookup);
  server.set_peer_lookup(
      [&](const std::string& ip, int64_t port,
          const std::string& path) -> std::optional<std::pair<model::TraceId, model::SpanId>> {
        auto p = client.claim_by_local_address(ip, port, path);
        if (!p) return std::nullopt;
        return std::pair{p->trace_id, p->span_id};
      });

  http_client_start cs{};
  cs.hdr = {GOINSTR_EVENT_HTTP_CLIENT_START, kFront, 10};
  cs.ctx.self.span_id = 0xc11e47;
  cs.ctx.goid = 7;
  cs.method_len = put(cs.method, "POST");
  cs.host_len = put(cs.host, "back:8080");
  cs.path_len = put(cs.path, "/relay");
  client.on_start(cs);
  http_client_conn conn{};
  conn.hdr = {GOINSTR_EVENT_HTTP_CLIENT_CONN, kFront, 11};
  conn.goid = 7;
  conn.local_port = 51234;
  conn.ip_len = 16;
  const uint8_t mapped[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1};
  std::memcpy(conn.ip, mapped, sizeof mapped);
  client.on_conn(conn);

  server.on_start(make_start(kBack, 0x10, 12, "127.0.0.1:51234", "", kServerSpan));

  db_start ds{};
  ds.hdr = {GOINSTR_EVENT_DB_START, kBack, 13};
  ds.ctx.self.span_id = 0xdb;
  ds.ctx.parent_span_id = kServerSpan;
  ds.ctx.goid = 3;
  ds.ctx.parent_via = GOINSTR_PARENT_DIRECT;
  ds.op = GOINSTR_DB_QUERY;
  ds.query_len = put(ds.query, "SELECT 1");
  db.on_start(ds, DbTarget{"postgresql", "", 0});
  db_end de{};
  de.hdr = {GOINSTR_EVENT_DB_END, kBack, 14};
  de.goid = 3;
  db.on_end(de);

  server.on_end(make_end(kBack, 0x10, 15));
  http_client_end ce{};
  ce.hdr = {GOINSTR_EVENT_HTTP_CLIENT_END, kFront, 16};
  ce.goid = 7;
  ce.status = 200;
  client.on_end(ce);

  ASSERT_EQ(spans.size(), 3u);
  const auto& db_span = spans[0];
  const auto& server_span = spans[1];
  const auto& client_span = spans[2];
  EXPECT_EQ(client_span.kind, model::SpanKind::kClient);
  EXPECT_FALSE(client_span.has_parent());
  EXPECT_EQ(server_span.kind, model::SpanKind::kServer);
  EXPECT_EQ(server_span.trace_id, client_span.trace_id);
  EXPECT_EQ(server_span.parent_span_id, client_span.span_id);
  EXPECT_EQ(db_span.trace_id, client_span.trace_id);
  EXPECT_EQ(db_span.parent_span_id, server_span.span_id);
  EXPECT_EQ(db_span.parent_span_id, span_id_from_u64(kServerSpan));
  EXPECT_EQ(server.stats().linked_to_caller, 1u);
}

}  // namespace
}  // namespace goinstr::agent
