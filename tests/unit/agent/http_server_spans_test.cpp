// SPDX-License-Identifier: Apache-2.0
#include "agent/http_server_spans.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <vector>

namespace goinstr::agent {
namespace {

template <size_t N>
uint16_t put(char (&dst)[N], std::string_view s) {
  size_t n = std::min(N, s.size());
  std::memcpy(dst, s.data(), n);
  return static_cast<uint16_t>(n);
}

http_server_start make_start(uint32_t pid, uint64_t response, uint64_t ts, std::string_view method,
                             std::string_view path, std::string_view headers) {
  http_server_start s{};
  s.hdr = {GOINSTR_EVENT_HTTP_SERVER_START, pid, ts};
  s.response_ptr = response;
  s.method_len = put(s.method, method);
  s.path_len = put(s.path, path);
  s.host_len = put(s.host, "localhost:8080");
  s.remote_len = put(s.remote, "127.0.0.1:51234");
  s.proto_major = 1;
  s.proto_minor = 1;
  std::string raw = std::string(method) + " " + std::string(path) + " HTTP/1.1\r\n" +
                    std::string(headers) + "\r\n";
  s.header_len = put(s.header_window, raw);
  return s;
}

http_server_end make_end(uint32_t pid, uint64_t response, uint64_t ts, int64_t status,
                         std::string_view pattern) {
  http_server_end e{};
  e.hdr = {GOINSTR_EVENT_HTTP_SERVER_END, pid, ts};
  e.response_ptr = response;
  e.status = status;
  e.pattern_len = put(e.pattern, pattern);
  return e;
}

std::map<std::string, model::AttributeValue> attrs(const model::Span& s) {
  std::map<std::string, model::AttributeValue> m;
  for (const auto& a : s.attributes) m[a.key] = a.value;
  return m;
}

class HttpServerSpansTest : public ::testing::Test {
 protected:
  std::vector<model::Span> spans;
  HttpServerSpans builder{[this](model::Span&& s) { spans.push_back(std::move(s)); },
                          1'000'000'000};
};

TEST_F(HttpServerSpansTest, BuildsOneServerSpanWithSemconvAttributes) {
  builder.on_start(make_start(42, 0x1000, 100, "GET", "/hello", "Host: localhost:8080\r\n"));
  builder.on_end(make_end(42, 0x1000, 2'100, 0, "GET /hello"));
  ASSERT_EQ(spans.size(), 1u);
  const auto& s = spans[0];
  EXPECT_EQ(s.name, "GET /hello");
  EXPECT_EQ(s.kind, model::SpanKind::kServer);
  EXPECT_EQ(s.end_unix_ns - s.start_unix_ns, 2'000u);
  EXPECT_FALSE(s.has_parent());
  EXPECT_EQ(s.pid, 42);
  auto a = attrs(s);
  EXPECT_EQ(std::get<std::string>(a["http.request.method"]), "GET");
  EXPECT_EQ(std::get<std::string>(a["url.path"]), "/hello");
  EXPECT_EQ(std::get<std::string>(a["http.route"]), "/hello");
  EXPECT_EQ(std::get<int64_t>(a["http.response.status_code"]), 200);  // 0 means implicit 200
  EXPECT_EQ(std::get<std::string>(a["server.address"]), "localhost");
  EXPECT_EQ(std::get<int64_t>(a["server.port"]), 8080);
  EXPECT_EQ(std::get<std::string>(a["client.address"]), "127.0.0.1");
  EXPECT_EQ(std::get<std::string>(a["network.protocol.version"]), "1.1");
  EXPECT_EQ(s.status, model::StatusCode::kUnset);
}

TEST_F(HttpServerSpansTest, ContinuesIncomingTraceparent) {
  builder.on_start(make_start(
      1, 0x2000, 10, "POST", "/log",
      "Host: x\r\ntraceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\r\n"));
  builder.on_end(make_end(1, 0x2000, 20, 201, "POST /log"));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(model::to_hex(spans[0].trace_id), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(model::to_hex(spans[0].parent_span_id), "00f067aa0ba902b7");
  EXPECT_NE(model::to_hex(spans[0].span_id), "00f067aa0ba902b7");
  EXPECT_EQ(builder.stats().continued_traces, 1u);
}

TEST_F(HttpServerSpansTest, ServerErrorsSetErrorStatusAndNoRouteMeansMethodName) {
  builder.on_start(make_start(1, 0x3000, 10, "GET", "/boom", ""));
  builder.on_end(make_end(1, 0x3000, 20, 503, ""));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].name, "GET");
  EXPECT_EQ(spans[0].status, model::StatusCode::kError);
  EXPECT_EQ(std::get<std::string>(attrs(spans[0])["error.type"]), "503");
}

TEST_F(HttpServerSpansTest, ClientErrorsAreNotServerErrors) {
  builder.on_start(make_start(1, 0x3000, 10, "GET", "/missing", ""));
  builder.on_end(make_end(1, 0x3000, 20, 404, ""));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].status, model::StatusCode::kUnset);
}

TEST_F(HttpServerSpansTest, PairsByPidAndResponse) {
  builder.on_start(make_start(1, 0x1, 10, "GET", "/a", ""));
  builder.on_start(make_start(2, 0x1, 11, "GET", "/b", ""));
  builder.on_end(make_end(2, 0x1, 30, 200, ""));
  builder.on_end(make_end(1, 0x1, 40, 200, ""));
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(std::get<std::string>(attrs(spans[0])["url.path"]), "/b");
  EXPECT_EQ(std::get<std::string>(attrs(spans[1])["url.path"]), "/a");
  EXPECT_NE(spans[0].trace_id, spans[1].trace_id);
}

TEST_F(HttpServerSpansTest, CountsWhatCannotBecomeASpan) {
  builder.on_end(make_end(1, 0x9, 40, 200, ""));
  EXPECT_EQ(builder.stats().unmatched_ends, 1u);
  builder.on_start(make_start(1, 0x5, 10, "GET", "/slow", ""));
  builder.expire(10 + 500'000'000);
  EXPECT_EQ(builder.in_flight(), 1u);
  builder.expire(10 + 2'000'000'000);
  EXPECT_EQ(builder.in_flight(), 0u);
  builder.on_start(make_start(1, 0x6, 10, "GET", "/open", ""));
  builder.abandon_all();
  EXPECT_EQ(builder.stats().abandoned_starts, 2u);
  EXPECT_TRUE(spans.empty());
}

TEST_F(HttpServerSpansTest, RawHeaderBytesBecomeValidUtf8) {
  builder.on_start(make_start(1, 0x8, 10, "GET", "/x",
                              "User-Agent: bad\xff\xfe"
                              "agent\r\n"));
  builder.on_end(make_end(1, 0x8, 20, 200, ""));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(std::get<std::string>(attrs(spans[0])["user_agent.original"]),
            "bad\xEF\xBF\xBD\xEF\xBF\xBD"
            "agent");
}

TEST_F(HttpServerSpansTest, UnknownMethodsBecomeOther) {
  builder.on_start(make_start(1, 0x7, 10, "PROPFIND", "/dav", ""));
  builder.on_end(make_end(1, 0x7, 20, 207, ""));
  ASSERT_EQ(spans.size(), 1u);
  auto a = attrs(spans[0]);
  EXPECT_EQ(std::get<std::string>(a["http.request.method"]), "_OTHER");
  EXPECT_EQ(std::get<std::string>(a["http.request.method_original"]), "PROPFIND");
  EXPECT_EQ(spans[0].name, "_OTHER");
}

}  // namespace
}  // namespace goinstr::agent

namespace goinstr::agent {
namespace {

// HTTP/2 requests pass serverHandler.ServeHTTP but never finishRequest: their starts must not
// pile up. The oldest open request is given up, counted, once the bound is reached.
TEST(HttpServerSpansBound, GivesUpTheOldestBeyondTheInFlightLimit) {
  std::vector<model::Span> spans;
  HttpServerSpans builder([&](model::Span&& s) { spans.push_back(std::move(s)); },
                          1'000'000'000'000, /*max_in_flight=*/3);
  for (uint64_t i = 1; i <= 5; ++i) builder.on_start(make_start(1, i, i, "GET", "/x", ""));
  EXPECT_EQ(builder.in_flight(), 3u);
  EXPECT_EQ(builder.stats().abandoned_starts, 2u);
  builder.on_end(make_end(1, 1, 10, 200, ""));  // given up already: no span
  builder.on_end(make_end(1, 5, 10, 200, ""));
  EXPECT_EQ(spans.size(), 1u);
  EXPECT_EQ(builder.stats().unmatched_ends, 1u);
}

TEST(HttpServerSpansBound, ExpiryWalksArrivalOrderAndSkipsFinishedRequests) {
  std::vector<model::Span> spans;
  HttpServerSpans builder([&](model::Span&& s) { spans.push_back(std::move(s)); }, 100);
  builder.on_start(make_start(1, 0xa, 10, "GET", "/a", ""));
  builder.on_start(make_start(1, 0xb, 20, "GET", "/b", ""));
  builder.on_start(make_start(1, 0xc, 500, "GET", "/c", ""));
  builder.on_end(make_end(1, 0xa, 30, 200, ""));
  builder.expire(200);  // /b is 180 ns old: given up; /c is not yet due
  EXPECT_EQ(builder.in_flight(), 1u);
  EXPECT_EQ(builder.stats().abandoned_starts, 1u);
  builder.on_end(make_end(1, 0xc, 550, 200, ""));
  EXPECT_EQ(spans.size(), 2u);
}

}  // namespace
}  // namespace goinstr::agent
