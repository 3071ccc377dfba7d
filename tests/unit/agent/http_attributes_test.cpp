// SPDX-License-Identifier: Apache-2.0
#include "agent/http_attributes.hpp"
#include "model/span.hpp"

#include <gtest/gtest.h>

namespace goinstr::agent {
namespace {

TEST(HttpAttributes, RouteFromPattern) {
  EXPECT_EQ(route_from_pattern("GET /hello"), "/hello");
  EXPECT_EQ(route_from_pattern("/status/{code}"), "/status/{code}");
  EXPECT_EQ(route_from_pattern("POST example.com/log"), "/log");
  EXPECT_EQ(route_from_pattern("example.com/"), "/");
  EXPECT_EQ(route_from_pattern(""), "");
}

TEST(HttpAttributes, NormalizesMethod) {
  EXPECT_EQ(normalize_method("GET"), "GET");
  EXPECT_EQ(normalize_method("PATCH"), "PATCH");
  EXPECT_EQ(normalize_method("get"), "_OTHER");
  EXPECT_EQ(normalize_method("PROPFIND"), "_OTHER");
}

TEST(HttpAttributes, SplitsHostAndPort) {
  auto [h1, p1] = split_host_port("127.0.0.1:8080");
  EXPECT_EQ(h1, "127.0.0.1");
  EXPECT_EQ(p1, 8080);
  auto [h2, p2] = split_host_port("[::1]:443");
  EXPECT_EQ(h2, "::1");
  EXPECT_EQ(p2, 443);
  auto [h3, p3] = split_host_port("example.com");
  EXPECT_EQ(h3, "example.com");
  EXPECT_FALSE(p3);
  auto [h4, p4] = split_host_port("::1");
  EXPECT_EQ(h4, "::1");
  EXPECT_FALSE(p4);
  auto [h5, p5] = split_host_port("host:99999");
  EXPECT_FALSE(p5);
}

TEST(HttpAttributes, ProtocolVersion) {
  EXPECT_EQ(protocol_version(1, 1), "1.1");
  EXPECT_EQ(protocol_version(1, 0), "1.0");
  EXPECT_EQ(protocol_version(2, 0), "2");
}

}  // namespace
}  // namespace goinstr::agent

namespace goinstr::model {
namespace {

TEST(Utf8, KeepsValidTextAndReplacesInvalidBytes) {
  EXPECT_EQ(to_valid_utf8("/héllo/日本"), "/héllo/日本");
  EXPECT_EQ(to_valid_utf8(std::string("a\xff"
                                      "b")),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(to_valid_utf8(std::string("\xe6\x97")), "\xEF\xBF\xBD\xEF\xBF\xBD");  // cut mid-char
  EXPECT_EQ(to_valid_utf8(std::string("\xc0\xaf")), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong
  EXPECT_EQ(to_valid_utf8(std::string("\xed\xa0\x80")).size(), 9u);               // surrogate
}

}  // namespace
}  // namespace goinstr::model
