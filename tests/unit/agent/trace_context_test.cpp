// SPDX-License-Identifier: Apache-2.0
#include "agent/trace_context.hpp"

#include <gtest/gtest.h>

namespace goinstr::agent {
namespace {

constexpr const char* kValid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

TEST(TraceParent, ParsesVersion00) {
  auto tp = parse_traceparent(kValid);
  ASSERT_TRUE(tp);
  EXPECT_EQ(model::to_hex(tp->trace_id), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(model::to_hex(tp->parent_span_id), "00f067aa0ba902b7");
  EXPECT_EQ(tp->flags, 1);
}

TEST(TraceParent, RejectsMalformed) {
  EXPECT_FALSE(parse_traceparent(""));
  EXPECT_FALSE(parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0"));
  EXPECT_FALSE(parse_traceparent("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"));
  EXPECT_FALSE(parse_traceparent("00-00000000000000000000000000000000-00f067aa0ba902b7-01"));
  EXPECT_FALSE(parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"));
  EXPECT_FALSE(parse_traceparent("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
  EXPECT_FALSE(parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-xx"));
}

TEST(TraceParent, AcceptsFutureVersionsWithExtraFields) {
  EXPECT_TRUE(parse_traceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what"));
}

TEST(RequestHeader, FindsHeaderCaseInsensitively) {
  std::string window =
      "GET /hello HTTP/1.1\r\nHost: x\r\nTraceParent:  " + std::string(kValid) + " \r\n\r\n";
  auto v = find_request_header(window, "GET", "traceparent");
  ASSERT_TRUE(v);
  EXPECT_EQ(*v, kValid);
}

TEST(RequestHeader, UsesTheLastRequestInThePipelinedWindow) {
  std::string window = "ET /old HTTP/1.1\r\ntraceparent: " + std::string(kValid) +
                       "\r\n\r\nGET /new HTTP/1.1\r\nHost: x\r\n\r\n";
  EXPECT_FALSE(find_request_header(window, "GET", "traceparent"));
  EXPECT_EQ(find_request_header(window, "GET", "host").value_or(""), "x");
}

TEST(RequestHeader, StopsAtTheEndOfTheHeaderBlock) {
  std::string window = "POST /x HTTP/1.1\r\nHost: x\r\n\r\ntraceparent: body-not-header\r\n";
  EXPECT_FALSE(find_request_header(window, "POST", "traceparent"));
}

TEST(RequestHeader, BlockHoldsOnlyTheCurrentRequestsHeaders) {
  std::string window = "GET /a HTTP/1.1\r\nA: 1\r\n\r\nGET /b HTTP/1.1\r\nB: 2\r\nC: 3\r\n\r\nbody";
  auto block = request_header_block(window, "GET");
  ASSERT_TRUE(block);
  EXPECT_EQ(*block, "B: 2\r\nC: 3\r\n");
  EXPECT_EQ(header_value(*block, "c").value_or(""), "3");
  EXPECT_FALSE(header_value(*block, "A"));
  EXPECT_FALSE(request_header_block(window, "POST"));
}

TEST(RequestHeader, NoRequestLineMeansNoHeader) {
  EXPECT_FALSE(find_request_header("Host: x\r\n\r\n", "GET", "host"));
}

}  // namespace
}  // namespace goinstr::agent
