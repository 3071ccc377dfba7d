// SPDX-License-Identifier: Apache-2.0
// GrpcServerSpans on hand-built grpc_server_start/grpc_server_end records: semconv attributes,
// which codes are errors for a server, unknown methods, where the trace comes from, pairing,
// repeated and unmatched ends, ServeHTTP ends, expiry and the in-flight bound. The GrpcCallerLink
// tests wire a GrpcClientSpans to it the way Agent does (the server's caller lookup is the
// client's claim_caller) and check the two spans of one call across processes.
#include "agent/grpc_server_spans.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "agent/grpc_attributes.hpp"
#include "agent/grpc_client_spans.hpp"
#include "agent/span_ids.hpp"
#include "tests/unit/agent/grpc_records.hpp"

namespace goinstr::agent {
namespace {

using namespace testing;

constexpr uint32_t kPid = 42;
constexpr uint64_t kServerSpan = 0x1122334455667788ULL;
constexpr uint64_t kStream = 0xc000200000ULL;
constexpr uint64_t kMaxDuration = 1'000'000'000;
constexpr std::string_view kMethod = "/helloworld.Greeter/SayHello";

grpc_server_start make_start(uint64_t stream, uint64_t ts, std::string_view method = kMethod,
                             uint64_t span_id = kServerSpan, uint32_t stream_id = 1,
                             uint32_t pid = kPid) {
  grpc_server_start s{};
  s.hdr = {GOINSTR_EVENT_GRPC_SERVER_START, pid, ts};
  s.goid = 7;
  s.stream_ptr = stream;
  s.transport_ptr = 0xc000100000ULL;
  s.ctx.span_id = span_id;
  s.stream_id = stream_id;
  s.method_len = put(s.method, method);
  s.remote = mapped(127, 0, 0, 1, 51234);
  s.local = mapped(127, 0, 0, 1, 50051);
  return s;
}

grpc_server_end make_end(uint64_t stream, uint64_t ts, int32_t code = 0,
                         std::string_view message = {}, uint8_t via = GOINSTR_GRPC_END_HTTP2,
                         uint32_t pid = kPid) {
  grpc_server_end e{};
  e.hdr = {GOINSTR_EVENT_GRPC_SERVER_END, pid, ts};
  e.stream_ptr = stream;
  e.code = code;
  e.message_len = put(e.message, message);
  e.via = via;
  return e;
}

// A caller lookup that answers for one connection end and records what it was asked.
struct FakeCaller {
  struct Ask {
    std::string ip;
    int64_t port;
    std::string path;
    uint64_t start_ns;
    uint32_t stream_id;
  };
  std::string ip = "127.0.0.1";
  int64_t port = 51234;
  std::vector<Ask> asked;
  GrpcServerSpans::CallerLookup fn() {
    return [this](const std::string& a, int64_t p, const std::string& path, uint64_t start_ns,
                  uint32_t stream_id) -> std::optional<std::pair<model::TraceId, model::SpanId>> {
      asked.push_back({a, p, path, start_ns, stream_id});
      if (a != ip || p != port) return std::nullopt;
      return std::pair{filled_trace(0xc1), filled_span(0xc2)};
    };
  }
};

class GrpcServerSpansTest : public ::testing::Test {
 protected:
  std::vector<model::Span> spans;
  GrpcServerSpans server{[this](model::Span&& s) { spans.push_back(std::move(s)); }, kMaxDuration};

  // One RPC start to end with `code` and `message`; returns its span (an empty one if none).
  model::Span one(int32_t code, std::string_view message = {}, std::string_view method = kMethod) {
    spans.clear();
    server.on_start(make_start(kStream, 1'000, method));
    server.on_end(make_end(kStream, 2'000, code, message));
    EXPECT_EQ(spans.size(), 1u);
    return spans.empty() ? model::Span{} : spans.back();
  }
};

TEST_F(GrpcServerSpansTest, BuildsAServerSpanWithSemconvAttributes) {
  server.on_start(make_start(kStream, 1'000));
  server.on_end(make_end(kStream, 3'500));
  ASSERT_EQ(spans.size(), 1u);
  const auto& s = spans[0];
  EXPECT_EQ(s.name, "helloworld.Greeter/SayHello");
  EXPECT_EQ(s.kind, model::SpanKind::kServer);
  EXPECT_EQ(s.pid, static_cast<int32_t>(kPid));
  EXPECT_EQ(s.end_unix_ns - s.start_unix_ns, 2'500u);
  EXPECT_EQ(s.span_id, span_id_from_u64(kServerSpan));
  EXPECT_FALSE(s.has_parent());
  EXPECT_FALSE(zero(s.trace_id));
  EXPECT_EQ(s.status, model::StatusCode::kUnset);
  EXPECT_EQ(s.status_message, "");
  auto a = attrs(s);
  EXPECT_EQ(str(a, "rpc.system.name"), "grpc");
  EXPECT_EQ(str(a, "rpc.method"), "helloworld.Greeter/SayHello");
  EXPECT_FALSE(a.contains("rpc.method_original"));
  EXPECT_EQ(str(a, "rpc.response.status_code"), "OK");
  EXPECT_EQ(str(a, "network.protocol.version"), "2");
  EXPECT_EQ(str(a, "network.peer.address"), "127.0.0.1");
  EXPECT_EQ(num(a, "network.peer.port"), 51234);
  EXPECT_EQ(str(a, "server.address"), "127.0.0.1");
  EXPECT_EQ(num(a, "server.port"), 50051);
  EXPECT_EQ(str(a, "client.address"), "127.0.0.1");
  EXPECT_EQ(num(a, "client.port"), 51234);
  EXPECT_FALSE(a.contains("error.type"));
  EXPECT_EQ(a.size(), 10u);
  EXPECT_EQ(server.stats().spans, 1u);
  EXPECT_EQ(server.stats().unmatched_ends, 0u);
  EXPECT_EQ(server.stats().abandoned_starts, 0u);
}

TEST_F(GrpcServerSpansTest, ServerErrorsAreTheSixCodesWithMessageAndErrorType) {
  for (int32_t code : {2, 4, 12, 13, 14, 15}) {
    auto s = one(code, "it broke");
    std::string name = grpc_code_name(code);
    EXPECT_EQ(s.status, model::StatusCode::kError) << name;
    EXPECT_EQ(s.status_message, "it broke") << name;
    auto a = attrs(s);
    EXPECT_EQ(str(a, "error.type"), name);
    EXPECT_EQ(str(a, "rpc.response.status_code"), name);
    EXPECT_EQ(str(a, "rpc.method"), "helloworld.Greeter/SayHello") << name;  // recognised
  }
}

TEST_F(GrpcServerSpansTest, OtherCodesAreNotServerErrors) {
  for (int32_t code : {0, 1, 3, 5, 6, 7, 8, 9, 10, 11, 16}) {
    auto s = one(code, "the caller's fault");
    std::string name = grpc_code_name(code);
    EXPECT_EQ(s.status, model::StatusCode::kUnset) << name;
    EXPECT_EQ(s.status_message, "") << name;
    auto a = attrs(s);
    EXPECT_FALSE(a.contains("error.type")) << name;
    EXPECT_EQ(str(a, "rpc.response.status_code"), name);
  }
}

TEST_F(GrpcServerSpansTest, UnreadableStatusIsUnknown) {
  for (int32_t code : {-1, -7}) {
    auto s = one(code);
    auto a = attrs(s);
    EXPECT_EQ(str(a, "rpc.response.status_code"), "UNKNOWN") << code;
    EXPECT_EQ(str(a, "error.type"), "UNKNOWN") << code;
    EXPECT_EQ(s.status, model::StatusCode::kError) << code;
  }
}

TEST_F(GrpcServerSpansTest, CodeBeyondTheKnownOnesIsItsNumber) {
  auto s = one(17, "from the future");
  auto a = attrs(s);
  EXPECT_EQ(str(a, "rpc.response.status_code"), "17");
  EXPECT_EQ(s.status, model::StatusCode::kUnset);
  EXPECT_FALSE(a.contains("error.type"));
}

TEST_F(GrpcServerSpansTest, UnknownServiceOrMethodIsOther) {
  for (std::string_view message :
       {"unknown service pkg.Nope", "unknown method Nope for service helloworld.Greeter",
        "malformed method name: \"helloworld.Greeter\""}) {
    auto s = one(12, message, "/pkg.Nope/Nope");
    EXPECT_EQ(s.name, "grpc") << message;
    auto a = attrs(s);
    EXPECT_EQ(str(a, "rpc.method"), "_OTHER") << message;
    EXPECT_EQ(str(a, "rpc.method_original"), "/pkg.Nope/Nope") << message;
    EXPECT_EQ(str(a, "rpc.response.status_code"), "UNIMPLEMENTED");
    EXPECT_EQ(str(a, "error.type"), "UNIMPLEMENTED");
    EXPECT_EQ(s.status, model::StatusCode::kError);
    EXPECT_EQ(s.status_message, message);
  }
}

TEST_F(GrpcServerSpansTest, UnimplementedByTheHandlerKeepsTheMethod) {
  // A handler of a known method returning codes.Unimplemented is a recognised method.
  auto s = one(12, "method SayHello not implemented");
  EXPECT_EQ(s.name, "helloworld.Greeter/SayHello");
  auto a = attrs(s);
  EXPECT_EQ(str(a, "rpc.method"), "helloworld.Greeter/SayHello");
  EXPECT_FALSE(a.contains("rpc.method_original"));
  EXPECT_EQ(s.status, model::StatusCode::kError);
  // The "unknown ..." messages mean something else only with UNIMPLEMENTED.
  s = one(5, "unknown service pkg.Nope");
  EXPECT_EQ(str(attrs(s), "rpc.method"), "helloworld.Greeter/SayHello");
}

TEST_F(GrpcServerSpansTest, MalformedPathIsOther) {
  auto s = one(0, {}, "no-slashes");
  EXPECT_EQ(s.name, "grpc");
  auto a = attrs(s);
  EXPECT_EQ(str(a, "rpc.method"), "_OTHER");
  EXPECT_EQ(str(a, "rpc.method_original"), "no-slashes");
}

TEST_F(GrpcServerSpansTest, MessageIsBoundedAndValidUtf8) {
  server.on_start(make_start(kStream, 1'000));
  auto end = make_end(kStream, 2'000, 13);
  std::memset(end.message, 'm', sizeof end.message);
  end.message[0] = '\xff';
  end.message_len = 60000;  // more than the buffer: cut at its size
  server.on_end(end);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].status_message,
            "\xEF\xBF\xBD" + std::string(GOINSTR_GRPC_MESSAGE_MAX - 1, 'm'));
}

TEST_F(GrpcServerSpansTest, MethodIsBoundedByItsBuffer) {
  auto start = make_start(kStream, 1'000);
  std::string full = "/pkg.S/" + std::string(GOINSTR_GRPC_METHOD_MAX - 7, 'm');
  put(start.method, full);
  start.method_len = 60000;  // more than the buffer: cut at its size
  server.on_start(start);
  server.on_end(make_end(kStream, 2'000));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].name, full.substr(1));
}

// Regression: the server kept the method's bytes as they were, so a method with invalid UTF-8
// reached the exporter as such (OTLP receivers reject the whole batch).
TEST_F(GrpcServerSpansTest, MethodWithInvalidUtf8IsSanitised) {
  auto s = one(0, {}, "/pkg.Caf\xc3/G\xfft");
  EXPECT_EQ(s.name, "pkg.Caf\xEF\xBF\xBD/G\xEF\xBF\xBDt");
  EXPECT_EQ(str(attrs(s), "rpc.method"), "pkg.Caf\xEF\xBF\xBD/G\xEF\xBF\xBDt");
}

TEST_F(GrpcServerSpansTest, OriginalMethodWithInvalidUtf8IsSanitised) {
  auto s = one(12, "unknown service pkg.Caf", "/pkg.Caf\xc3/Get");
  EXPECT_EQ(str(attrs(s), "rpc.method_original"), "/pkg.Caf\xEF\xBF\xBD/Get");
}

TEST_F(GrpcServerSpansTest, Ipv6ConnectionEnds) {
  auto start = make_start(kStream, 1'000);
  start.local = v6({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 50051);
  start.remote = v6({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x09}, 40404);
  server.on_start(start);
  server.on_end(make_end(kStream, 2'000));
  ASSERT_EQ(spans.size(), 1u);
  auto a = attrs(spans[0]);
  EXPECT_EQ(str(a, "server.address"), "::1");
  EXPECT_EQ(num(a, "server.port"), 50051);
  EXPECT_EQ(str(a, "client.address"), "2001:db8::9");
  EXPECT_EQ(num(a, "client.port"), 40404);
  EXPECT_EQ(str(a, "network.peer.address"), "2001:db8::9");
  EXPECT_EQ(num(a, "network.peer.port"), 40404);
}

TEST_F(GrpcServerSpansTest, UnknownConnectionEndsHaveNoAddresses) {
  auto start = make_start(kStream, 1'000);
  start.local = goinstr_tcp_addr{};
  start.remote = goinstr_tcp_addr{};
  server.on_start(start);
  server.on_end(make_end(kStream, 2'000));
  ASSERT_EQ(spans.size(), 1u);
  auto a = attrs(spans[0]);
  for (const char* key : {"server.address", "server.port", "client.address", "client.port",
                          "network.peer.address", "network.peer.port"})
    EXPECT_FALSE(a.contains(key)) << key;
  EXPECT_EQ(str(a, "rpc.method"), "helloworld.Greeter/SayHello");
}

TEST_F(GrpcServerSpansTest, EndStampedBeforeTheStartIsAZeroLengthSpan) {
  server.on_start(make_start(kStream, 5'000));
  server.on_end(make_end(kStream, 4'000));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].end_unix_ns, spans[0].start_unix_ns);
}

TEST_F(GrpcServerSpansTest, ContinuesTheTraceparentFromTheMetadata) {
  FakeCaller caller;
  server.set_caller_lookup(caller.fn());
  auto start = make_start(kStream, 1'000);
  start.ctx.flags = GOINSTR_CTX_HAS_TRACE_ID | GOINSTR_CTX_CONTINUED | GOINSTR_CTX_SAMPLED;
  std::memset(start.ctx.trace_id, 0xb1, sizeof start.ctx.trace_id);
  std::memset(start.ctx.parent_span_id, 0xb2, sizeof start.ctx.parent_span_id);
  server.on_start(start);
  server.on_end(make_end(kStream, 2'000));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].trace_id, filled_trace(0xb1));
  EXPECT_EQ(spans[0].parent_span_id, filled_span(0xb2));
  EXPECT_EQ(spans[0].span_id, span_id_from_u64(kServerSpan));
  EXPECT_TRUE(caller.asked.empty());  // the traceparent wins: no caller lookup
  EXPECT_EQ(server.stats().continued_traces, 1u);
  EXPECT_EQ(server.stats().linked_to_caller, 0u);
}

TEST_F(GrpcServerSpansTest, ContinuedWithoutATraceIdIsNotContinued) {
  auto start = make_start(kStream, 1'000);
  start.ctx.flags = GOINSTR_CTX_CONTINUED;
  std::memset(start.ctx.trace_id, 0xb1, sizeof start.ctx.trace_id);
  std::memset(start.ctx.parent_span_id, 0xb2, sizeof start.ctx.parent_span_id);
  server.on_start(start);
  server.on_end(make_end(kStream, 2'000));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_NE(spans[0].trace_id, filled_trace(0xb1));
  EXPECT_FALSE(zero(spans[0].trace_id));
  EXPECT_FALSE(spans[0].has_parent());
  EXPECT_EQ(server.stats().continued_traces, 0u);
}

TEST_F(GrpcServerSpansTest, CallerLookupIsAskedWithTheConnectionMethodStartAndStream) {
  FakeCaller caller;
  server.set_caller_lookup(caller.fn());
  server.on_start(make_start(kStream, 1'234, kMethod, kServerSpan, 7));
  server.on_end(make_end(kStream, 2'000));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].trace_id, filled_trace(0xc1));
  EXPECT_EQ(spans[0].parent_span_id, filled_span(0xc2));
  EXPECT_EQ(spans[0].span_id, span_id_from_u64(kServerSpan));
  ASSERT_EQ(caller.asked.size(), 1u);
  EXPECT_EQ(caller.asked[0].ip, "127.0.0.1");  // the remote end, v4-mapped shown as IPv4
  EXPECT_EQ(caller.asked[0].port, 51234);
  EXPECT_EQ(caller.asked[0].path, kMethod);  // with its leading slash, as the client has it
  EXPECT_EQ(caller.asked[0].start_ns, 1'234u);
  EXPECT_EQ(caller.asked[0].stream_id, 7u);
  EXPECT_EQ(server.stats().linked_to_caller, 1u);
}

TEST_F(GrpcServerSpansTest, CallerWinsOverATraceIdBpfMerelyChose) {
  FakeCaller caller;
  server.set_caller_lookup(caller.fn());
  auto start = make_start(kStream, 1'000);
  start.ctx.flags = GOINSTR_CTX_HAS_TRACE_ID;
  std::memset(start.ctx.trace_id, 0xb1, sizeof start.ctx.trace_id);
  server.on_start(start);
  server.on_end(make_end(kStream, 2'000));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].trace_id, filled_trace(0xc1));
  EXPECT_EQ(spans[0].parent_span_id, filled_span(0xc2));
}

TEST_F(GrpcServerSpansTest, BpfChosenTraceIdWithoutACaller) {
  FakeCaller caller;
  caller.port = 1;  // answers for another connection
  server.set_caller_lookup(caller.fn());
  auto start = make_start(kStream, 1'000);
  start.ctx.flags = GOINSTR_CTX_HAS_TRACE_ID;
  std::memset(start.ctx.trace_id, 0xb1, sizeof start.ctx.trace_id);
  server.on_start(start);
  server.on_end(make_end(kStream, 2'000));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].trace_id, filled_trace(0xb1));
  EXPECT_FALSE(spans[0].has_parent());
  EXPECT_EQ(caller.asked.size(), 1u);
  EXPECT_EQ(server.stats().linked_to_caller, 0u);
}

TEST_F(GrpcServerSpansTest, OtherwiseARootWithARandomTrace) {
  server.on_start(make_start(kStream, 1'000));
  server.on_start(make_start(kStream + 1, 1'000, kMethod, kServerSpan + 1));
  server.on_end(make_end(kStream, 2'000));
  server.on_end(make_end(kStream + 1, 2'000));
  ASSERT_EQ(spans.size(), 2u);
  for (const auto& s : spans) {
    EXPECT_FALSE(s.has_parent());
    EXPECT_FALSE(zero(s.trace_id));
  }
  EXPECT_NE(spans[0].trace_id, spans[1].trace_id);
}

TEST_F(GrpcServerSpansTest, UnknownRemoteIsNotLookedUp) {
  FakeCaller caller;
  server.set_caller_lookup(caller.fn());
  auto start = make_start(kStream, 1'000);
  start.remote = goinstr_tcp_addr{};  // a unix socket, say
  server.on_start(start);
  server.on_end(make_end(kStream, 2'000));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_TRUE(caller.asked.empty());
  EXPECT_FALSE(spans[0].has_parent());
}

TEST_F(GrpcServerSpansTest, PairsByPidAndStreamPointer) {
  server.on_start(make_start(kStream, 1'000, "/a.A/One", 0x1, 1, 1));
  server.on_start(make_start(kStream, 1'100, "/a.A/Two", 0x2, 1, 2));
  server.on_start(make_start(kStream + 8, 1'200, "/a.A/Three", 0x3, 3, 1));
  server.on_end(make_end(kStream, 2'000, 0, {}, GOINSTR_GRPC_END_HTTP2, 2));
  server.on_end(make_end(kStream + 8, 2'100, 0, {}, GOINSTR_GRPC_END_HTTP2, 1));
  server.on_end(make_end(kStream, 2'200, 0, {}, GOINSTR_GRPC_END_HTTP2, 1));
  ASSERT_EQ(spans.size(), 3u);
  EXPECT_EQ(spans[0].name, "a.A/Two");
  EXPECT_EQ(spans[0].pid, 2);
  EXPECT_EQ(spans[1].name, "a.A/Three");
  EXPECT_EQ(spans[2].name, "a.A/One");
  EXPECT_EQ(spans[2].span_id, span_id_from_u64(0x1));
  EXPECT_EQ(spans[2].end_unix_ns - spans[2].start_unix_ns, 1'200u);
  EXPECT_EQ(server.stats().unmatched_ends, 0u);
}

TEST_F(GrpcServerSpansTest, RepeatedWriteStatusIsNotAnUnmatchedEnd) {
  server.on_start(make_start(kStream, 1'000));
  server.on_end(make_end(kStream, 2'000, 14, "transport closing"));
  server.on_end(make_end(kStream, 2'001, 14, "transport closing"));  // grpc's no-op second call
  server.on_end(make_end(kStream, 2'002, 0));
  EXPECT_EQ(spans.size(), 1u);
  EXPECT_EQ(server.stats().spans, 1u);
  EXPECT_EQ(server.stats().unmatched_ends, 0u);
}

TEST_F(GrpcServerSpansTest, EndWithoutAStartIsUnmatched) {
  server.on_end(make_end(kStream, 2'000));
  // The same pointer in another process, or a pointer that never started, is not "repeated".
  server.on_start(make_start(kStream, 3'000));
  server.on_end(make_end(kStream, 4'000));
  server.on_end(make_end(kStream, 4'001, 0, {}, GOINSTR_GRPC_END_HTTP2, kPid + 1));
  server.on_end(make_end(kStream + 1, 4'002));
  EXPECT_EQ(spans.size(), 1u);
  EXPECT_EQ(server.stats().unmatched_ends, 3u);
}

TEST_F(GrpcServerSpansTest, ServeHttpEndsAreLeftToNetHttp) {
  server.on_start(make_start(kStream, 1'000));
  server.on_end(make_end(kStream, 2'000, 0, {}, GOINSTR_GRPC_END_NET_HTTP));
  EXPECT_TRUE(spans.empty());
  EXPECT_EQ(server.stats().via_net_http, 1u);
  EXPECT_EQ(server.stats().spans, 0u);
  EXPECT_EQ(server.stats().unmatched_ends, 0u);
  EXPECT_FALSE(server.trace_of(kPid, kServerSpan));
  // Its stream is over: a later end for it is a repeat, and a new start opens a new span.
  server.on_end(make_end(kStream, 2'001, 0, {}, GOINSTR_GRPC_END_NET_HTTP));
  EXPECT_EQ(server.stats().unmatched_ends, 0u);
  EXPECT_EQ(server.stats().via_net_http, 1u);
  server.on_start(make_start(kStream, 3'000));
  server.on_end(make_end(kStream, 4'000));
  EXPECT_EQ(spans.size(), 1u);
}

TEST_F(GrpcServerSpansTest, ExpiryGivesUpOldStarts) {
  server.on_start(make_start(kStream, 10, kMethod, 0x1));
  server.on_start(make_start(kStream + 1, 20, kMethod, 0x2));
  server.on_start(make_start(kStream + 2, 5'000'000'000, kMethod, 0x3));
  server.on_end(make_end(kStream, 30));
  server.expire(10 + kMaxDuration);  // the second is not yet older than the limit
  EXPECT_EQ(server.stats().abandoned_starts, 0u);
  EXPECT_TRUE(server.trace_of(kPid, 0x2));
  server.expire(21 + kMaxDuration);
  EXPECT_EQ(server.stats().abandoned_starts, 1u);
  EXPECT_FALSE(server.trace_of(kPid, 0x2));
  EXPECT_TRUE(server.trace_of(kPid, 0x3));
  server.on_end(make_end(kStream + 1, 22 + kMaxDuration));  // given up: no span
  EXPECT_EQ(spans.size(), 1u);
  EXPECT_EQ(server.stats().unmatched_ends, 1u);
  server.on_end(make_end(kStream + 2, 5'000'000'100));
  EXPECT_EQ(spans.size(), 2u);
}

TEST_F(GrpcServerSpansTest, ReusedStreamPointerGivesUpTheOldStart) {
  server.on_start(make_start(kStream, 1'000, "/a.A/Old", 0x1));
  server.on_start(make_start(kStream, 2'000, "/a.A/New", 0x2));
  EXPECT_EQ(server.stats().abandoned_starts, 1u);
  EXPECT_FALSE(server.trace_of(kPid, 0x1));
  EXPECT_TRUE(server.trace_of(kPid, 0x2));
  server.on_end(make_end(kStream, 3'000));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].name, "a.A/New");
}

TEST_F(GrpcServerSpansTest, AbandonAllCountsTheOpenOnes) {
  server.on_start(make_start(kStream, 1'000, kMethod, 0x1));
  server.on_start(make_start(kStream + 1, 1'000, kMethod, 0x2));
  server.abandon_all();
  EXPECT_EQ(server.stats().abandoned_starts, 2u);
  EXPECT_FALSE(server.trace_of(kPid, 0x1));
  server.on_end(make_end(kStream, 2'000));
  EXPECT_TRUE(spans.empty());
  EXPECT_EQ(server.stats().unmatched_ends, 1u);
}

TEST_F(GrpcServerSpansTest, TraceOfWhileOpenOnly) {
  auto start = make_start(kStream, 1'000);
  start.ctx.flags = GOINSTR_CTX_HAS_TRACE_ID | GOINSTR_CTX_CONTINUED;
  std::memset(start.ctx.trace_id, 0xb1, sizeof start.ctx.trace_id);
  server.on_start(start);
  ASSERT_TRUE(server.trace_of(kPid, kServerSpan));
  EXPECT_EQ(*server.trace_of(kPid, kServerSpan), filled_trace(0xb1));
  EXPECT_FALSE(server.trace_of(kPid + 1, kServerSpan));
  EXPECT_FALSE(server.trace_of(kPid, kServerSpan + 1));
  server.on_end(make_end(kStream, 2'000));
  EXPECT_FALSE(server.trace_of(kPid, kServerSpan));
}

TEST(GrpcServerSpansBound, GivesUpTheOldestBeyondTheInFlightLimit) {
  std::vector<model::Span> spans;
  GrpcServerSpans server([&](model::Span&& s) { spans.push_back(std::move(s)); }, kMaxDuration,
                         /*max_in_flight=*/3);
  for (uint64_t i = 1; i <= 5; ++i) server.on_start(make_start(i, i, kMethod, 0x100 + i));
  EXPECT_EQ(server.stats().abandoned_starts, 2u);
  EXPECT_FALSE(server.trace_of(kPid, 0x101));
  EXPECT_FALSE(server.trace_of(kPid, 0x102));
  EXPECT_TRUE(server.trace_of(kPid, 0x103));
  server.on_end(make_end(1, 10));  // given up already: no span
  for (uint64_t i = 3; i <= 5; ++i) server.on_end(make_end(i, 10));
  EXPECT_EQ(spans.size(), 3u);
  EXPECT_EQ(server.stats().unmatched_ends, 1u);
}

// ---- GrpcClientSpans and GrpcServerSpans wired together as Agent wires them. ----

constexpr uint32_t kFront = 100, kBack = 200;
constexpr uint64_t kClientSpan = 0xc11e47c11e47ULL;

grpc_client_start client_start(uint64_t cs, uint64_t ts, std::string_view method = kMethod,
                               uint64_t self = kClientSpan, uint64_t parent = 0) {
  grpc_client_start s{};
  s.hdr = {GOINSTR_EVENT_GRPC_CLIENT_START, kFront, ts};
  s.ctx.self.span_id = self;
  s.ctx.parent_span_id = parent;
  s.ctx.goid = 9;
  s.ctx.parent_via = parent ? GOINSTR_PARENT_DIRECT : GOINSTR_PARENT_NONE;
  s.client_stream = cs;
  s.method_len = put(s.method, method);
  s.host_len = put(s.host, "back:50051");
  return s;
}

grpc_client_conn client_conn(uint64_t cs, goinstr_tcp_addr local,
                             goinstr_tcp_addr remote = mapped(127, 0, 0, 1, 50051)) {
  grpc_client_conn c{};
  c.hdr = {GOINSTR_EVENT_GRPC_CLIENT_CONN, kFront, 0};
  c.client_stream = cs;
  c.local = local;
  c.remote = remote;
  return c;
}

grpc_client_end client_end(uint64_t cs, uint64_t ts, uint32_t stream_id, int32_t code = 0) {
  grpc_client_end e{};
  e.hdr = {GOINSTR_EVENT_GRPC_CLIENT_END, kFront, ts};
  e.client_stream = cs;
  e.goid = 9;
  e.code = code;
  e.stream_id = stream_id;
  e.status_source = GOINSTR_GRPC_STATUS_STREAM;
  return e;
}

// The back end's server start for a call arriving from `remote` on HTTP/2 stream `stream_id`.
grpc_server_start back_start(uint64_t stream, uint64_t ts, uint32_t stream_id,
                             goinstr_tcp_addr remote = mapped(127, 0, 0, 1, 51234),
                             std::string_view method = kMethod, uint64_t span = kServerSpan) {
  auto s = make_start(stream, ts, method, span, stream_id, kBack);
  s.remote = remote;
  return s;
}

grpc_server_end back_end(uint64_t stream, uint64_t ts) {
  return make_end(stream, ts, 0, {}, GOINSTR_GRPC_END_HTTP2, kBack);
}

class GrpcCallerLink : public ::testing::Test {
 protected:
  std::vector<model::Span> spans;
  GrpcServerSpans server{[this](model::Span&& s) { spans.push_back(std::move(s)); }, kMaxDuration};
  GrpcClientSpans client{[this](model::Span&& s) { spans.push_back(std::move(s)); },
                         [this](uint32_t pid, uint64_t span) { return server.trace_of(pid, span); },
                         kMaxDuration};
  void SetUp() override {
    server.set_caller_lookup([this](const std::string& ip, int64_t port, const std::string& path,
                                    uint64_t start_ns, uint32_t stream_id) {
      return client.claim_caller(ip, port, path, start_ns, stream_id);
    });
  }
  const model::Span* find(model::SpanKind kind, uint32_t pid, size_t nth = 0) const {
    for (const auto& s : spans)
      if (s.kind == kind && s.pid == static_cast<int32_t>(pid) && nth-- == 0) return &s;
    return nullptr;
  }
};

TEST_F(GrpcCallerLink, ServerSpanIsAChildOfTheCallersClientSpan) {
  client.on_start(client_start(0xc5, 10));
  client.on_conn(client_conn(0xc5, mapped(127, 0, 0, 1, 51234)));
  server.on_start(back_start(0x5e, 12, 1));
  server.on_end(back_end(0x5e, 15));
  client.on_end(client_end(0xc5, 16, 1));
  ASSERT_EQ(spans.size(), 2u);
  const auto& server_span = spans[0];
  const auto& client_span = spans[1];
  EXPECT_EQ(client_span.kind, model::SpanKind::kClient);
  EXPECT_EQ(client_span.span_id, span_id_from_u64(kClientSpan));
  EXPECT_FALSE(client_span.has_parent());
  EXPECT_EQ(server_span.kind, model::SpanKind::kServer);
  EXPECT_EQ(server_span.trace_id, client_span.trace_id);
  EXPECT_EQ(server_span.parent_span_id, client_span.span_id);
  EXPECT_EQ(server_span.span_id, span_id_from_u64(kServerSpan));
  EXPECT_EQ(server.stats().linked_to_caller, 1u);
  EXPECT_EQ(client.stats().links_by_order_wrong, 0u);
  // The client span's peer is the server's end, and the server's client is the client's end.
  EXPECT_EQ(num(attrs(client_span), "network.peer.port"), 50051);
  EXPECT_EQ(num(attrs(server_span), "client.port"), 51234);
}

TEST_F(GrpcCallerLink, ThreeTiersShareOneTrace) {
  // front's server span -> its handler's outgoing call -> back's server span.
  auto front = make_start(0xf0, 5, "/front.Api/Get", 0xf5, 1, kFront);
  front.remote = mapped(10, 0, 0, 9, 40000);
  server.on_start(front);
  client.on_start(client_start(0xc5, 10, kMethod, kClientSpan, 0xf5));
  client.on_conn(client_conn(0xc5, mapped(127, 0, 0, 1, 51234)));
  server.on_start(back_start(0x5e, 12, 1));
  server.on_end(back_end(0x5e, 15));
  client.on_end(client_end(0xc5, 16, 1));
  server.on_end(make_end(0xf0, 20, 0, {}, GOINSTR_GRPC_END_HTTP2, kFront));
  ASSERT_EQ(spans.size(), 3u);
  const auto* back = find(model::SpanKind::kServer, kBack);
  const auto* call = find(model::SpanKind::kClient, kFront);
  const auto* top = find(model::SpanKind::kServer, kFront);
  ASSERT_TRUE(back && call && top);
  EXPECT_FALSE(top->has_parent());
  EXPECT_EQ(call->trace_id, top->trace_id);
  EXPECT_EQ(call->parent_span_id, top->span_id);
  EXPECT_EQ(back->trace_id, top->trace_id);
  EXPECT_EQ(back->parent_span_id, call->span_id);
  EXPECT_EQ(client.stats().with_parent, 1u);
  EXPECT_EQ(server.stats().linked_to_caller, 1u);  // the front one had no traced caller
}

TEST_F(GrpcCallerLink, ConcurrentCallsOfOneMethodOnOneConnectionAreClaimedInStartOrder) {
  auto local = mapped(127, 0, 0, 1, 51234);
  client.on_start(client_start(0xc1, 10, kMethod, 0x1c1));
  client.on_conn(client_conn(0xc1, local));
  client.on_start(client_start(0xc2, 11, kMethod, 0x1c2));
  client.on_conn(client_conn(0xc2, local));
  server.on_start(back_start(0x51, 20, 1, local, kMethod, 0x151));
  server.on_start(back_start(0x53, 21, 3, local, kMethod, 0x153));
  server.on_end(back_end(0x53, 30));
  server.on_end(back_end(0x51, 31));
  client.on_end(client_end(0xc2, 40, 3));
  client.on_end(client_end(0xc1, 41, 1));
  ASSERT_EQ(spans.size(), 4u);
  EXPECT_EQ(spans[0].span_id, span_id_from_u64(0x153));
  EXPECT_EQ(spans[0].parent_span_id, span_id_from_u64(0x1c2));
  EXPECT_EQ(spans[1].span_id, span_id_from_u64(0x151));
  EXPECT_EQ(spans[1].parent_span_id, span_id_from_u64(0x1c1));
  EXPECT_EQ(spans[0].trace_id, spans[2].trace_id);  // 0x153 with the call 0xc2
  EXPECT_EQ(spans[1].trace_id, spans[3].trace_id);  // 0x151 with the call 0xc1
  EXPECT_NE(spans[2].trace_id, spans[3].trace_id);
  EXPECT_EQ(server.stats().linked_to_caller, 2u);
  EXPECT_EQ(client.stats().links_by_order_wrong, 0u);
}

TEST_F(GrpcCallerLink, StreamsThatComeOutSwappedAreCountedAsWrongLinks) {
  // The server saw the second call's stream first: both links by order were wrong.
  auto local = mapped(127, 0, 0, 1, 51234);
  client.on_start(client_start(0xc1, 10, kMethod, 0x1c1));
  client.on_conn(client_conn(0xc1, local));
  client.on_start(client_start(0xc2, 11, kMethod, 0x1c2));
  client.on_conn(client_conn(0xc2, local));
  server.on_start(back_start(0x53, 20, 3, local, kMethod, 0x153));
  server.on_start(back_start(0x51, 21, 1, local, kMethod, 0x151));
  EXPECT_EQ(server.stats().linked_to_caller, 2u);
  server.on_end(back_end(0x53, 30));
  server.on_end(back_end(0x51, 31));
  client.on_end(client_end(0xc1, 40, 1));
  client.on_end(client_end(0xc2, 41, 3));
  EXPECT_EQ(client.stats().links_by_order_wrong, 2u);
  EXPECT_EQ(spans.size(), 4u);
}

TEST_F(GrpcCallerLink, OtherMethodsOnTheConnectionAreNotClaimed) {
  auto local = mapped(127, 0, 0, 1, 51234);
  client.on_start(client_start(0xc1, 10, "/helloworld.Greeter/SayGoodbye", 0x1c1));
  client.on_conn(client_conn(0xc1, local));
  client.on_start(client_start(0xc2, 11, kMethod, 0x1c2));
  client.on_conn(client_conn(0xc2, local));
  server.on_start(back_start(0x53, 20, 3, local, kMethod, 0x153));
  server.on_end(back_end(0x53, 30));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].parent_span_id, span_id_from_u64(0x1c2));
}

TEST_F(GrpcCallerLink, CallsThatStartedAfterTheServerAreNotClaimed) {
  client.on_start(client_start(0xc1, 50, kMethod, 0x1c1));
  client.on_conn(client_conn(0xc1, mapped(127, 0, 0, 1, 51234)));
  server.on_start(back_start(0x51, 20, 1));
  server.on_end(back_end(0x51, 30));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_FALSE(spans[0].has_parent());
  EXPECT_EQ(server.stats().linked_to_caller, 0u);
}

TEST_F(GrpcCallerLink, EachCallIsClaimedOnce) {
  client.on_start(client_start(0xc1, 10, kMethod, 0x1c1));
  client.on_conn(client_conn(0xc1, mapped(127, 0, 0, 1, 51234)));
  server.on_start(back_start(0x51, 20, 1, mapped(127, 0, 0, 1, 51234), kMethod, 0x151));
  server.on_start(back_start(0x53, 21, 3, mapped(127, 0, 0, 1, 51234), kMethod, 0x153));
  server.on_end(back_end(0x51, 30));
  server.on_end(back_end(0x53, 31));
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0].parent_span_id, span_id_from_u64(0x1c1));
  EXPECT_FALSE(spans[1].has_parent());
  EXPECT_NE(spans[1].trace_id, spans[0].trace_id);
  EXPECT_EQ(server.stats().linked_to_caller, 1u);
}

TEST_F(GrpcCallerLink, EndedCallsAreNotClaimed) {
  client.on_start(client_start(0xc1, 10));
  client.on_conn(client_conn(0xc1, mapped(127, 0, 0, 1, 51234)));
  client.on_end(client_end(0xc1, 15, 1));
  server.on_start(back_start(0x51, 20, 1));
  server.on_end(back_end(0x51, 30));
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_FALSE(spans[1].has_parent());
  EXPECT_EQ(server.stats().linked_to_caller, 0u);
}

TEST_F(GrpcCallerLink, OnlyTheConnectionsLocalEndMatches) {
  client.on_start(client_start(0xc1, 10));
  client.on_conn(client_conn(0xc1, mapped(127, 0, 0, 1, 51234)));
  server.on_start(back_start(0x51, 20, 1, mapped(127, 0, 0, 1, 51235)));  // another port
  server.on_start(back_start(0x52, 20, 1, mapped(127, 0, 0, 2, 51234)));  // another host
  server.on_start(back_start(0x53, 20, 1, mapped(127, 0, 0, 1, 50051)));  // its remote end
  EXPECT_EQ(server.stats().linked_to_caller, 0u);
  server.on_start(back_start(0x54, 20, 1, mapped(127, 0, 0, 1, 51234)));
  EXPECT_EQ(server.stats().linked_to_caller, 1u);
}

TEST_F(GrpcCallerLink, ACallWithoutAConnectionIsNotClaimed) {
  client.on_start(client_start(0xc1, 10));
  server.on_start(back_start(0x51, 20, 1));
  EXPECT_EQ(server.stats().linked_to_caller, 0u);
}

TEST_F(GrpcCallerLink, ARetriedCallIsClaimedOnItsNewConnection) {
  client.on_start(client_start(0xc1, 10));
  client.on_conn(client_conn(0xc1, mapped(127, 0, 0, 1, 51234)));
  client.on_start(client_start(0xc1, 12, kMethod, 0xdead));  // transparent retry: new attempt
  client.on_conn(client_conn(0xc1, mapped(127, 0, 0, 1, 51300), mapped(127, 0, 0, 1, 50052)));
  EXPECT_EQ(client.stats().retries, 1u);
  // The first connection no longer leads to the call.
  server.on_start(back_start(0x51, 20, 1, mapped(127, 0, 0, 1, 51234), kMethod, 0x151));
  EXPECT_EQ(server.stats().linked_to_caller, 0u);
  server.on_start(back_start(0x52, 21, 1, mapped(127, 0, 0, 1, 51300), kMethod, 0x152));
  EXPECT_EQ(server.stats().linked_to_caller, 1u);
  server.on_end(back_end(0x51, 30));
  server.on_end(back_end(0x52, 31));
  client.on_end(client_end(0xc1, 40, 1));
  ASSERT_EQ(spans.size(), 3u);
  EXPECT_FALSE(spans[0].has_parent());
  EXPECT_EQ(spans[1].parent_span_id, span_id_from_u64(kClientSpan));  // the first attempt's id
  EXPECT_EQ(spans[1].trace_id, spans[2].trace_id);
  EXPECT_EQ(spans[2].span_id, span_id_from_u64(kClientSpan));
  EXPECT_EQ(num(attrs(spans[2]), "network.peer.port"), 50052);  // the connection it ended on
  EXPECT_EQ(client.stats().spans, 1u);
  EXPECT_EQ(client.stats().links_by_order_wrong, 0u);
}

TEST_F(GrpcCallerLink, Ipv6Connection) {
  const std::array<uint8_t, 16> loopback6 = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  client.on_start(client_start(0xc1, 10));
  client.on_conn(client_conn(0xc1, v6(loopback6, 51234), v6(loopback6, 50051)));
  server.on_start(back_start(0x51, 20, 1, v6(loopback6, 51234)));
  server.on_end(back_end(0x51, 30));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].parent_span_id, span_id_from_u64(kClientSpan));
  EXPECT_EQ(str(attrs(spans[0]), "client.address"), "::1");
}

TEST_F(GrpcCallerLink, V4MappedAndFourByteFormsOfOneAddressMatch) {
  goinstr_tcp_addr four{};
  const uint8_t ip[4] = {127, 0, 0, 1};
  std::memcpy(four.ip, ip, 4);
  four.ip_len = 4;
  four.port = 51234;
  client.on_start(client_start(0xc1, 10));
  client.on_conn(client_conn(0xc1, four));
  server.on_start(back_start(0x51, 20, 1, mapped(127, 0, 0, 1, 51234)));
  EXPECT_EQ(server.stats().linked_to_caller, 1u);
}

TEST_F(GrpcCallerLink, ServerStreamIdZeroIsNeverAWrongLink) {
  client.on_start(client_start(0xc1, 10));
  client.on_conn(client_conn(0xc1, mapped(127, 0, 0, 1, 51234)));
  server.on_start(back_start(0x51, 20, 0));
  EXPECT_EQ(server.stats().linked_to_caller, 1u);
  server.on_start(back_start(0x52, 21, 0, mapped(127, 0, 0, 1, 51234), kMethod, 0x152));
  EXPECT_EQ(server.stats().linked_to_caller, 1u);  // claimed already, though the id was 0
  client.on_end(client_end(0xc1, 40, 5));
  EXPECT_EQ(client.stats().links_by_order_wrong, 0u);
}

TEST_F(GrpcCallerLink, ClientWithoutAStreamIdIsNeverAWrongLink) {
  client.on_start(client_start(0xc1, 10));
  client.on_conn(client_conn(0xc1, mapped(127, 0, 0, 1, 51234)));
  server.on_start(back_start(0x51, 20, 3));
  client.on_end(client_end(0xc1, 40, 0));
  EXPECT_EQ(client.stats().links_by_order_wrong, 0u);
}

TEST_F(GrpcCallerLink, ContinuedTraceparentLeavesTheCallUnclaimed) {
  client.on_start(client_start(0xc1, 10));
  client.on_conn(client_conn(0xc1, mapped(127, 0, 0, 1, 51234)));
  auto start = back_start(0x51, 20, 1);
  start.ctx.flags = GOINSTR_CTX_HAS_TRACE_ID | GOINSTR_CTX_CONTINUED;
  std::memset(start.ctx.trace_id, 0xb1, sizeof start.ctx.trace_id);
  std::memset(start.ctx.parent_span_id, 0xb2, sizeof start.ctx.parent_span_id);
  server.on_start(start);
  server.on_end(back_end(0x51, 30));
  client.on_end(client_end(0xc1, 40, 7));
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0].trace_id, filled_trace(0xb1));
  EXPECT_EQ(server.stats().linked_to_caller, 0u);
  EXPECT_EQ(client.stats().links_by_order_wrong, 0u);  // never claimed
}

// Regression: with the server's method unsanitised and the client's sanitised, such a call
// never linked to its server span.
TEST_F(GrpcCallerLink, MethodWithInvalidUtf8StillLinks) {
  constexpr std::string_view method = "/pkg.Caf\xc3/Get";
  client.on_start(client_start(0xc1, 10, method));
  client.on_conn(client_conn(0xc1, mapped(127, 0, 0, 1, 51234)));
  server.on_start(back_start(0x51, 20, 1, mapped(127, 0, 0, 1, 51234), method));
  EXPECT_EQ(server.stats().linked_to_caller, 1u);
}

}  // namespace
}  // namespace goinstr::agent
