// SPDX-License-Identifier: Apache-2.0
// GrpcClientSpans on hand-built grpc_client_start/conn/end records: semconv attributes, every
// non-OK code an error, calls that failed before any status, parents, retries, repeated and
// unmatched finishes, expiry, the bound, and claim_caller, by which a traced callee's server span
// finds this call (its end-to-end use is in grpc_server_spans_test.cpp, GrpcCallerLink).
#include "agent/grpc_client_spans.hpp"

#include <gtest/gtest.h>

#include "tests/unit/agent/grpc_records.hpp"

#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "agent/grpc_attributes.hpp"

namespace goinstr::agent {
namespace {

using namespace testing;

constexpr uint32_t kPid = 42;
constexpr uint64_t kServerSpan = 0x1122334455667788ULL;
constexpr uint64_t kSelf = 0x5e1f5e1f5e1f5e1fULL;
constexpr uint64_t kCs = 0xc000300000ULL;
constexpr uint64_t kMaxDuration = 1'000'000'000;
constexpr std::string_view kMethod = "/helloworld.Greeter/SayHello";

grpc_client_start make_start(uint64_t cs, uint64_t ts, std::string_view method = kMethod,
                             std::string_view host = "greeter.internal:50051",
                             uint64_t self = kSelf, uint64_t parent = 0) {
  grpc_client_start s{};
  s.hdr = {GOINSTR_EVENT_GRPC_CLIENT_START, kPid, ts};
  s.ctx.self.span_id = self;
  s.ctx.parent_span_id = parent;
  s.ctx.goid = 9;
  s.ctx.parent_via = parent ? GOINSTR_PARENT_DIRECT : GOINSTR_PARENT_NONE;
  s.client_stream = cs;
  s.method_len = put(s.method, method);
  s.host_len = put(s.host, host);
  return s;
}

grpc_client_conn make_conn(uint64_t cs, goinstr_tcp_addr local,
                           goinstr_tcp_addr remote = mapped(10, 0, 0, 5, 50051)) {
  grpc_client_conn c{};
  c.hdr = {GOINSTR_EVENT_GRPC_CLIENT_CONN, kPid, 0};
  c.client_stream = cs;
  c.local = local;
  c.remote = remote;
  return c;
}

grpc_client_end make_end(uint64_t cs, uint64_t ts, int32_t code = 0, std::string_view message = {},
                         uint8_t source = GOINSTR_GRPC_STATUS_STREAM, uint64_t err_itab = 0,
                         uint32_t stream_id = 1) {
  grpc_client_end e{};
  e.hdr = {GOINSTR_EVENT_GRPC_CLIENT_END, kPid, ts};
  e.client_stream = cs;
  e.goid = 9;
  e.err_itab = err_itab;
  e.code = code;
  e.stream_id = stream_id;
  e.message_len = put(e.message, message);
  e.status_source = source;
  return e;
}

class GrpcClientSpansTest : public ::testing::Test {
 protected:
  std::vector<model::Span> spans;
  std::map<std::pair<uint32_t, uint64_t>, model::TraceId> open_servers;
  GrpcClientSpans client{[this](model::Span&& s) { spans.push_back(std::move(s)); },
                         [this](uint32_t pid, uint64_t span) -> std::optional<model::TraceId> {
                           auto it = open_servers.find({pid, span});
                           if (it == open_servers.end()) return std::nullopt;
                           return it->second;
                         },
                         kMaxDuration};

  // One call start to end; returns its span (an empty one if none).
  model::Span one(const grpc_client_end& end, const std::string& error_type = {}) {
    spans.clear();
    client.on_start(make_start(end.client_stream, 1'000));
    client.on_end(end, error_type);
    EXPECT_EQ(spans.size(), 1u);
    return spans.empty() ? model::Span{} : spans.back();
  }
};

TEST_F(GrpcClientSpansTest, BuildsAClientSpanWithSemconvAttributes) {
  client.on_start(make_start(kCs, 1'000));
  client.on_conn(make_conn(kCs, mapped(10, 0, 0, 1, 40000)));
  client.on_end(make_end(kCs, 1'750));
  ASSERT_EQ(spans.size(), 1u);
  const auto& s = spans[0];
  EXPECT_EQ(s.name, "helloworld.Greeter/SayHello");
  EXPECT_EQ(s.kind, model::SpanKind::kClient);
  EXPECT_EQ(s.pid, static_cast<int32_t>(kPid));
  EXPECT_EQ(s.span_id, span_id_from_u64(kSelf));
  EXPECT_EQ(s.end_unix_ns - s.start_unix_ns, 750u);
  EXPECT_FALSE(s.has_parent());
  EXPECT_FALSE(model::is_zero(s.trace_id.data(), s.trace_id.size()));
  EXPECT_EQ(s.status, model::StatusCode::kUnset);
  auto a = attrs(s);
  EXPECT_EQ(str(a, "rpc.system.name"), "grpc");
  EXPECT_EQ(str(a, "rpc.method"), "helloworld.Greeter/SayHello");
  EXPECT_EQ(str(a, "rpc.response.status_code"), "OK");
  EXPECT_EQ(str(a, "network.protocol.version"), "2");
  EXPECT_EQ(str(a, "network.peer.address"), "10.0.0.5");  // the connection's remote end
  EXPECT_EQ(num(a, "network.peer.port"), 50051);
  EXPECT_EQ(str(a, "server.address"), "greeter.internal");  // from :authority
  EXPECT_EQ(num(a, "server.port"), 50051);
  EXPECT_FALSE(a.contains("client.address"));
  EXPECT_FALSE(a.contains("error.type"));
  EXPECT_EQ(a.size(), 8u);
  EXPECT_EQ(client.stats().spans, 1u);
}

TEST_F(GrpcClientSpansTest, EveryNonOkCodeIsAnError) {
  for (uint8_t source : {GOINSTR_GRPC_STATUS_STREAM, GOINSTR_GRPC_STATUS_ERROR}) {
    for (int32_t code = 1; code <= 16; ++code) {
      auto s = one(make_end(kCs, 2'000, code, "status message", source));
      std::string name = grpc_code_name(code);
      EXPECT_EQ(s.status, model::StatusCode::kError) << name;
      EXPECT_EQ(s.status_message, "status message") << name;
      auto a = attrs(s);
      EXPECT_EQ(str(a, "error.type"), name);
      EXPECT_EQ(str(a, "rpc.response.status_code"), name);
    }
  }
}

TEST_F(GrpcClientSpansTest, OkIsNoErrorWhateverTheErrorValue) {
  // finish(io.EOF) ends a successful stream: err_itab is set, the status is OK.
  auto s = one(make_end(kCs, 2'000, 0, {}, GOINSTR_GRPC_STATUS_STREAM, 0x6b0000));
  EXPECT_EQ(s.status, model::StatusCode::kUnset);
  auto a = attrs(s);
  EXPECT_EQ(str(a, "rpc.response.status_code"), "OK");
  EXPECT_FALSE(a.contains("error.type"));
}

TEST_F(GrpcClientSpansTest, UnreadableCodeIsUnknown) {
  auto s = one(make_end(kCs, 2'000, -1, {}, GOINSTR_GRPC_STATUS_STREAM));
  auto a = attrs(s);
  EXPECT_EQ(str(a, "rpc.response.status_code"), "UNKNOWN");
  EXPECT_EQ(str(a, "error.type"), "UNKNOWN");
  EXPECT_EQ(s.status, model::StatusCode::kError);
}

TEST_F(GrpcClientSpansTest, CodeBeyondTheKnownOnesIsItsNumberAndAnError) {
  auto s = one(make_end(kCs, 2'000, 20, "?", GOINSTR_GRPC_STATUS_ERROR));
  auto a = attrs(s);
  EXPECT_EQ(str(a, "rpc.response.status_code"), "20");
  EXPECT_EQ(str(a, "error.type"), "20");
  EXPECT_EQ(s.status, model::StatusCode::kError);
}

TEST_F(GrpcClientSpansTest, FailedBeforeAnyStatusIsUnknownWithTheGoErrorType) {
  auto s = one(make_end(kCs, 2'000, 0, "dial tcp 10.0.0.5:50051: connect: connection refused",
                        GOINSTR_GRPC_STATUS_NONE, 0x6b0000),
               "*net.OpError");
  EXPECT_EQ(s.status, model::StatusCode::kError);
  EXPECT_EQ(s.status_message, "dial tcp 10.0.0.5:50051: connect: connection refused");
  auto a = attrs(s);
  EXPECT_EQ(str(a, "rpc.response.status_code"), "UNKNOWN");
  EXPECT_EQ(str(a, "error.type"), "*net.OpError");
}

TEST_F(GrpcClientSpansTest, FailedBeforeAnyStatusIgnoresTheCodeField) {
  auto s = one(make_end(kCs, 2'000, 5, {}, GOINSTR_GRPC_STATUS_NONE, 0x6b0000),
               "context.deadlineExceededError");
  auto a = attrs(s);
  EXPECT_EQ(str(a, "rpc.response.status_code"), "UNKNOWN");
  EXPECT_EQ(str(a, "error.type"), "context.deadlineExceededError");
  EXPECT_EQ(s.status_message, "context.deadlineExceededError");  // no message: the type
}

TEST_F(GrpcClientSpansTest, FailedBeforeAnyStatusWithoutATypeIsOther) {
  auto s = one(make_end(kCs, 2'000, 0, "oops", GOINSTR_GRPC_STATUS_NONE, 0x6b0000));
  EXPECT_EQ(s.status, model::StatusCode::kError);
  EXPECT_EQ(s.status_message, "oops");
  EXPECT_EQ(str(attrs(s), "error.type"), "_OTHER");
}

TEST_F(GrpcClientSpansTest, NoStatusAndNoErrorIsOk) {
  auto s = one(make_end(kCs, 2'000, 13, "ignored", GOINSTR_GRPC_STATUS_NONE, 0));
  EXPECT_EQ(s.status, model::StatusCode::kUnset);
  EXPECT_EQ(s.status_message, "");
  auto a = attrs(s);
  EXPECT_EQ(str(a, "rpc.response.status_code"), "OK");
  EXPECT_FALSE(a.contains("error.type"));
}

TEST_F(GrpcClientSpansTest, GoErrorTypeDoesNotOverrideARealStatus) {
  auto s = one(make_end(kCs, 2'000, 14, "unavailable", GOINSTR_GRPC_STATUS_ERROR, 0x6b0000),
               "*status.Error");
  EXPECT_EQ(str(attrs(s), "error.type"), "UNAVAILABLE");
}

TEST_F(GrpcClientSpansTest, MessageIsBoundedAndValidUtf8) {
  client.on_start(make_start(kCs, 1'000));
  auto end = make_end(kCs, 2'000, 13);
  std::memset(end.message, 'm', sizeof end.message);
  end.message[GOINSTR_GRPC_MESSAGE_MAX - 1] = '\xc3';  // cut mid-character
  end.message_len = 60000;
  client.on_end(end);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].status_message,
            std::string(GOINSTR_GRPC_MESSAGE_MAX - 1, 'm') + "\xEF\xBF\xBD");
}

TEST_F(GrpcClientSpansTest, MethodWithInvalidUtf8IsSanitised) {
  client.on_start(make_start(kCs, 1'000, "/pkg.Caf\xc3/G\xfft"));
  client.on_end(make_end(kCs, 2'000));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].name, "pkg.Caf\xEF\xBF\xBD/G\xEF\xBF\xBDt");
  EXPECT_EQ(str(attrs(spans[0]), "rpc.method"), "pkg.Caf\xEF\xBF\xBD/G\xEF\xBF\xBDt");
}

TEST_F(GrpcClientSpansTest, MalformedMethodIsOther) {
  client.on_start(make_start(kCs, 1'000, "helloworld.Greeter"));
  client.on_end(make_end(kCs, 2'000));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].name, "grpc");
  auto a = attrs(spans[0]);
  EXPECT_EQ(str(a, "rpc.method"), "_OTHER");
  EXPECT_EQ(str(a, "rpc.method_original"), "helloworld.Greeter");
}

TEST_F(GrpcClientSpansTest, AuthorityForms) {
  struct Case {
    std::string_view host;
    std::string address;
    int64_t port;  // -1: absent
  };
  for (const Case& c : {Case{"greeter:443", "greeter", 443}, Case{"greeter", "greeter", -1},
                        Case{"[::1]:50051", "::1", 50051}, Case{"10.0.0.5:8080", "10.0.0.5", 8080},
                        Case{"", "<absent>", -1}}) {
    spans.clear();
    client.on_start(make_start(kCs, 1'000, kMethod, c.host));
    client.on_end(make_end(kCs, 2'000));
    ASSERT_EQ(spans.size(), 1u) << c.host;
    auto a = attrs(spans[0]);
    EXPECT_EQ(str(a, "server.address"), c.address) << c.host;
    EXPECT_EQ(num(a, "server.port"), c.port) << c.host;
  }
}

TEST_F(GrpcClientSpansTest, WithoutAConnectionThereIsNoPeer) {
  client.on_start(make_start(kCs, 1'000));
  client.on_end(make_end(kCs, 2'000, 14, "no connection", GOINSTR_GRPC_STATUS_ERROR, 0, 0));
  ASSERT_EQ(spans.size(), 1u);
  auto a = attrs(spans[0]);
  EXPECT_FALSE(a.contains("network.peer.address"));
  EXPECT_FALSE(a.contains("network.peer.port"));
  EXPECT_EQ(str(a, "server.address"), "greeter.internal");
}

TEST_F(GrpcClientSpansTest, ParentFromTheServerSpan) {
  open_servers[{kPid, kServerSpan}] = filled_trace(0x42);
  client.on_start(make_start(kCs, 1'000, kMethod, "g:1", 0x1, kServerSpan));
  client.on_end(make_end(kCs, 2'000));
  client.on_start(make_start(kCs + 1, 1'000, kMethod, "g:1", 0x2, kServerSpan + 1));  // unknown
  client.on_end(make_end(kCs + 1, 2'000));
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0].trace_id, filled_trace(0x42));
  EXPECT_EQ(spans[0].parent_span_id, span_id_from_u64(kServerSpan));
  EXPECT_NE(spans[1].trace_id, filled_trace(0x42));
  EXPECT_FALSE(spans[1].has_parent());
  EXPECT_EQ(client.stats().with_parent, 1u);
}

TEST_F(GrpcClientSpansTest, BpfChosenTraceIdForARootCall) {
  auto start = make_start(kCs, 1'000);
  start.ctx.self.flags = GOINSTR_CTX_HAS_TRACE_ID;
  std::memset(start.ctx.self.trace_id, 0xb1, sizeof start.ctx.self.trace_id);
  client.on_start(start);
  client.on_end(make_end(kCs, 2'000));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].trace_id, filled_trace(0xb1));
  EXPECT_FALSE(spans[0].has_parent());
}

TEST_F(GrpcClientSpansTest, ARetryIsOneSpan) {
  client.on_start(make_start(kCs, 1'000, kMethod, "g:1", 0x1));
  client.on_start(make_start(kCs, 1'500, kMethod, "g:1", 0x2));
  client.on_start(make_start(kCs, 1'700, kMethod, "g:1", 0x3));
  EXPECT_EQ(client.stats().retries, 2u);
  client.on_end(make_end(kCs, 2'000));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].span_id, span_id_from_u64(0x1));  // the first attempt's
  EXPECT_EQ(spans[0].end_unix_ns - spans[0].start_unix_ns, 1'000u);
  EXPECT_EQ(client.stats().spans, 1u);
  EXPECT_EQ(client.stats().abandoned_starts, 0u);
}

TEST_F(GrpcClientSpansTest, PairsByPidAndClientStream) {
  client.on_start(make_start(kCs, 1'000, "/a.A/One"));
  client.on_start(make_start(kCs + 1, 1'100, "/a.A/Two"));
  auto other = make_start(kCs, 1'200, "/a.A/OtherPid");
  other.hdr.pid = kPid + 1;
  client.on_start(other);
  EXPECT_EQ(client.stats().retries, 0u);
  client.on_end(make_end(kCs + 1, 2'000));
  auto end = make_end(kCs, 2'100);
  end.hdr.pid = kPid + 1;
  client.on_end(end);
  client.on_end(make_end(kCs, 2'200));
  ASSERT_EQ(spans.size(), 3u);
  EXPECT_EQ(spans[0].name, "a.A/Two");
  EXPECT_EQ(spans[1].name, "a.A/OtherPid");
  EXPECT_EQ(spans[1].pid, static_cast<int32_t>(kPid + 1));
  EXPECT_EQ(spans[2].name, "a.A/One");
}

TEST_F(GrpcClientSpansTest, RepeatedFinishIsNotAnUnmatchedEnd) {
  client.on_start(make_start(kCs, 1'000));
  client.on_end(make_end(kCs, 2'000, 1, "context canceled"));
  client.on_end(make_end(kCs, 2'001, 1, "context canceled"));  // grpc's no-op second finish()
  EXPECT_EQ(spans.size(), 1u);
  EXPECT_EQ(client.stats().unmatched_ends, 0u);
}

TEST_F(GrpcClientSpansTest, EndWithoutAStartIsUnmatched) {
  client.on_end(make_end(kCs, 2'000));
  client.on_start(make_start(kCs + 1, 3'000));
  client.on_end(make_end(kCs + 1, 4'000));
  client.on_end(make_end(kCs + 2, 4'001));
  EXPECT_EQ(spans.size(), 1u);
  EXPECT_EQ(client.stats().unmatched_ends, 2u);
}

TEST_F(GrpcClientSpansTest, ExpiryGivesUpOldCallsAndTheirClaims) {
  client.on_start(make_start(kCs, 10));
  client.on_conn(make_conn(kCs, mapped(127, 0, 0, 1, 51234)));
  client.on_start(make_start(kCs + 1, 5'000'000'000));
  client.on_conn(make_conn(kCs + 1, mapped(127, 0, 0, 1, 51235)));
  client.expire(10 + kMaxDuration);
  EXPECT_EQ(client.stats().abandoned_starts, 0u);
  client.expire(11 + kMaxDuration);
  EXPECT_EQ(client.stats().abandoned_starts, 1u);
  EXPECT_FALSE(client.claim_caller("127.0.0.1", 51234, std::string(kMethod), 20, 1));
  client.on_end(make_end(kCs, 12 + kMaxDuration));  // given up: no span
  EXPECT_TRUE(spans.empty());
  EXPECT_EQ(client.stats().unmatched_ends, 1u);
  EXPECT_TRUE(client.claim_caller("127.0.0.1", 51235, std::string(kMethod), 5'000'000'001, 1));
}

TEST_F(GrpcClientSpansTest, ExpirySweepKeepsTheLiveConnections) {
  // Many calls end on their own connections, unclaimed; the sweep in expire() drops those
  // connections but must keep the live one.
  for (uint64_t i = 0; i < 3'000; ++i) {
    client.on_start(make_start(kCs + 16 + i, 100 + i));
    client.on_conn(make_conn(kCs + 16 + i, mapped(127, 0, 0, 1, static_cast<uint16_t>(20000 + i))));
    client.on_end(make_end(kCs + 16 + i, 200 + i));
  }
  client.on_start(make_start(kCs, 5'000));
  client.on_conn(make_conn(kCs, mapped(127, 0, 0, 1, 51234)));
  client.expire(6'000);
  EXPECT_EQ(client.stats().abandoned_starts, 0u);
  EXPECT_TRUE(client.claim_caller("127.0.0.1", 51234, std::string(kMethod), 5'500, 1));
  EXPECT_FALSE(client.claim_caller("127.0.0.1", 20000, std::string(kMethod), 5'500, 1));
  EXPECT_EQ(spans.size(), 3'000u);
}

TEST(GrpcClientSpansBound, GivesUpTheOldestBeyondTheLimit) {
  std::vector<model::Span> spans;
  GrpcClientSpans client([&](model::Span&& s) { spans.push_back(std::move(s)); }, nullptr,
                         kMaxDuration, /*max_open=*/3);
  for (uint64_t i = 1; i <= 5; ++i) {
    client.on_start(make_start(i, i, kMethod, "g:1", 0x100 + i));
    client.on_conn(make_conn(i, mapped(127, 0, 0, 1, static_cast<uint16_t>(40000 + i))));
  }
  EXPECT_EQ(client.stats().abandoned_starts, 2u);
  EXPECT_FALSE(client.claim_caller("127.0.0.1", 40001, std::string(kMethod), 100, 1));
  EXPECT_TRUE(client.claim_caller("127.0.0.1", 40003, std::string(kMethod), 100, 1));
  client.on_end(make_end(1, 10));  // given up already
  for (uint64_t i = 3; i <= 5; ++i) client.on_end(make_end(i, 10));
  EXPECT_EQ(spans.size(), 3u);
  EXPECT_EQ(client.stats().unmatched_ends, 1u);
}

TEST_F(GrpcClientSpansTest, AbandonAllCountsAndForgetsConnections) {
  client.on_start(make_start(kCs, 10));
  client.on_conn(make_conn(kCs, mapped(127, 0, 0, 1, 51234)));
  client.on_start(make_start(kCs + 1, 11));
  client.abandon_all();
  EXPECT_EQ(client.stats().abandoned_starts, 2u);
  EXPECT_FALSE(client.claim_caller("127.0.0.1", 51234, std::string(kMethod), 20, 1));
  client.on_end(make_end(kCs, 20));
  EXPECT_TRUE(spans.empty());
}

// ---- claim_caller on its own ----

TEST_F(GrpcClientSpansTest, ClaimCallerGivesTheCallsTraceAndSpan) {
  open_servers[{kPid, kServerSpan}] = filled_trace(0x42);
  client.on_start(make_start(kCs, 10, kMethod, "g:1", 0x1, kServerSpan));
  client.on_conn(make_conn(kCs, mapped(127, 0, 0, 1, 51234)));
  auto claimed = client.claim_caller("127.0.0.1", 51234, std::string(kMethod), 20, 1);
  ASSERT_TRUE(claimed);
  EXPECT_EQ(claimed->first, filled_trace(0x42));
  EXPECT_EQ(claimed->second, span_id_from_u64(0x1));
  // Claimed once only.
  EXPECT_FALSE(client.claim_caller("127.0.0.1", 51234, std::string(kMethod), 20, 3));
}

TEST_F(GrpcClientSpansTest, ClaimCallerMatchesMethodStartAndLocalEnd) {
  client.on_start(make_start(kCs, 10));
  client.on_conn(make_conn(kCs, mapped(127, 0, 0, 1, 51234)));
  // The method as the server sees it, with its leading slash.
  EXPECT_FALSE(client.claim_caller("127.0.0.1", 51234, "helloworld.Greeter/SayHello", 20, 1));
  EXPECT_FALSE(client.claim_caller("127.0.0.1", 51234, "/helloworld.Greeter/Other", 20, 1));
  EXPECT_FALSE(client.claim_caller("127.0.0.1", 51234, std::string(kMethod), 9, 1));
  EXPECT_FALSE(client.claim_caller("127.0.0.1", 51235, std::string(kMethod), 20, 1));
  EXPECT_FALSE(client.claim_caller("::ffff:127.0.0.1", 51234, std::string(kMethod), 20, 1));
  EXPECT_FALSE(client.claim_caller("10.0.0.5", 50051, std::string(kMethod), 20, 1));  // remote
  EXPECT_TRUE(client.claim_caller("127.0.0.1", 51234, std::string(kMethod), 10, 1));  // same ns
}

TEST_F(GrpcClientSpansTest, ClaimCallerTakesTheOldestUnclaimedCall) {
  auto local = mapped(127, 0, 0, 1, 51234);
  for (uint64_t i = 0; i < 3; ++i) {
    client.on_start(make_start(kCs + i, 10 + i, kMethod, "g:1", 0x100 + i));
    client.on_conn(make_conn(kCs + i, local));
  }
  client.on_end(make_end(kCs, 15));  // the oldest ended
  auto first = client.claim_caller("127.0.0.1", 51234, std::string(kMethod), 20, 3);
  auto second = client.claim_caller("127.0.0.1", 51234, std::string(kMethod), 20, 5);
  auto third = client.claim_caller("127.0.0.1", 51234, std::string(kMethod), 20, 7);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->second, span_id_from_u64(0x101));
  EXPECT_EQ(second->second, span_id_from_u64(0x102));
  EXPECT_FALSE(third);
  client.on_end(make_end(kCs + 1, 30, 0, {}, GOINSTR_GRPC_STATUS_STREAM, 0, 3));
  client.on_end(make_end(kCs + 2, 31, 0, {}, GOINSTR_GRPC_STATUS_STREAM, 0, 5));
  EXPECT_EQ(client.stats().links_by_order_wrong, 0u);
}

TEST_F(GrpcClientSpansTest, ClaimCallerSkipsAnOlderCallOfAnotherMethod) {
  auto local = mapped(127, 0, 0, 1, 51234);
  client.on_start(make_start(kCs, 10, "/a.A/Other", "g:1", 0x100));
  client.on_conn(make_conn(kCs, local));
  client.on_start(make_start(kCs + 1, 11, kMethod, "g:1", 0x101));
  client.on_conn(make_conn(kCs + 1, local));
  auto claimed = client.claim_caller("127.0.0.1", 51234, std::string(kMethod), 20, 1);
  ASSERT_TRUE(claimed);
  EXPECT_EQ(claimed->second, span_id_from_u64(0x101));
  // The other method's call is still there for its own server span.
  claimed = client.claim_caller("127.0.0.1", 51234, "/a.A/Other", 20, 3);
  ASSERT_TRUE(claimed);
  EXPECT_EQ(claimed->second, span_id_from_u64(0x100));
}

TEST_F(GrpcClientSpansTest, WrongLinkIsCountedWhenTheStreamDiffers) {
  client.on_start(make_start(kCs, 10));
  client.on_conn(make_conn(kCs, mapped(127, 0, 0, 1, 51234)));
  ASSERT_TRUE(client.claim_caller("127.0.0.1", 51234, std::string(kMethod), 20, 3));
  client.on_end(make_end(kCs, 30, 0, {}, GOINSTR_GRPC_STATUS_STREAM, 0, 1));
  EXPECT_EQ(client.stats().links_by_order_wrong, 1u);
  EXPECT_EQ(spans.size(), 1u);  // the span is still emitted
}

TEST_F(GrpcClientSpansTest, ARetriedCallMovesToItsNewConnection) {
  client.on_start(make_start(kCs, 10));
  client.on_conn(make_conn(kCs, mapped(127, 0, 0, 1, 51234)));
  client.on_start(make_start(kCs, 12));
  client.on_conn(make_conn(kCs, mapped(127, 0, 0, 1, 51300)));
  EXPECT_FALSE(client.claim_caller("127.0.0.1", 51234, std::string(kMethod), 20, 1));
  EXPECT_TRUE(client.claim_caller("127.0.0.1", 51300, std::string(kMethod), 20, 1));
}

TEST_F(GrpcClientSpansTest, ARetryOnTheSameConnectionStaysClaimable) {
  client.on_start(make_start(kCs, 10));
  client.on_conn(make_conn(kCs, mapped(127, 0, 0, 1, 51234)));
  client.on_start(make_start(kCs, 12));
  client.on_conn(make_conn(kCs, mapped(127, 0, 0, 1, 51234)));
  EXPECT_TRUE(client.claim_caller("127.0.0.1", 51234, std::string(kMethod), 20, 1));
  EXPECT_FALSE(client.claim_caller("127.0.0.1", 51234, std::string(kMethod), 20, 3));
}

TEST_F(GrpcClientSpansTest, UnusableConnectionRecordsAreIgnored) {
  client.on_conn(make_conn(kCs, mapped(127, 0, 0, 1, 51234)));  // no open call
  client.on_start(make_start(kCs, 10));
  client.on_conn(make_conn(kCs + 1, mapped(127, 0, 0, 1, 51235)));  // another call
  client.on_conn(make_conn(kCs, goinstr_tcp_addr{}));               // unknown local end
  EXPECT_FALSE(client.claim_caller("127.0.0.1", 51234, std::string(kMethod), 20, 1));
  EXPECT_FALSE(client.claim_caller("127.0.0.1", 51235, std::string(kMethod), 20, 1));
  client.on_end(make_end(kCs, 30));
  EXPECT_EQ(spans.size(), 1u);
}

// Regression (OpenSpans key reuse, see open_spans_test.cpp RecentlyClosedSurvivesKeyReuse):
// a *clientStream address reused thousands of times must not make repeated finish() calls count.
TEST_F(GrpcClientSpansTest, RepeatedFinishOfAReusedStreamIsNotUnmatched) {
  for (uint64_t i = 0; i < 5'000; ++i) {
    client.on_start(make_start(kCs, 10 + i));
    client.on_end(make_end(kCs, 11 + i));
    client.on_end(make_end(kCs, 11 + i));  // grpc's no-op second finish()
  }
  EXPECT_EQ(spans.size(), 5'000u);
  EXPECT_EQ(client.stats().unmatched_ends, 0u);
}

}  // namespace
}  // namespace goinstr::agent
