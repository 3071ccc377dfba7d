// SPDX-License-Identifier: Apache-2.0
#include "config/values.hpp"

#include <gtest/gtest.h>

namespace goinstr::config {
namespace {

struct EndpointCase {
  std::string endpoint;
  bool allow_host_port;
  std::string error;  // empty: valid
};

TEST(CheckEndpoint, Table) {
  const EndpointCase cases[] = {
      {"http://localhost:4318", false, ""},
      {"https://otel.example.com", false, ""},
      {"HTTP://collector:4318/otlp", false, ""},
      {"http://10.0.0.7:4318/", false, ""},
      {"http://[::1]:4318", false, ""},
      {"http://[::1]", false, ""},
      {"http://my_host.internal", false, ""},
      {"collector:4317", true, ""},
      {"[::1]:4317", true, ""},
      {"collector:4317", false, "'collector:4317': missing scheme (expected http:// or https://)"},
      {"collector", true,
       "'collector' is not a URL (expected http://host[:port], https://host[:port] or, for grpc, "
       "host:port)"},
      {"collector/v1", true, "'collector/v1': missing scheme (expected http:// or https://)"},
      {"", true, "empty endpoint"},
      {"http://local host:4318", false, "'http://local host:4318' contains whitespace"},
      {" http://localhost", false, "' http://localhost' contains whitespace"},
      {"ftp://collector", false,
       "'ftp://collector': unsupported scheme 'ftp' (expected http:// or "
       "https://)"},
      {"http://", false, "'http://': missing host"},
      {"http://:4318", false, "'http://:4318': missing host"},
      {"http:///v1/traces", false, "'http:///v1/traces': missing host"},
      {":4317", true, "':4317': missing host"},
      {"http://localhost:", false, "'http://localhost:': bad port '' (expected 1-65535)"},
      {"http://localhost:0", false, "'http://localhost:0': bad port '0' (expected 1-65535)"},
      {"http://localhost:65536", false,
       "'http://localhost:65536': bad port '65536' (expected 1-65535)"},
      {"http://localhost:43a8", false,
       "'http://localhost:43a8': bad port '43a8' (expected 1-65535)"},
      {"collector:http", true, "'collector:http': bad port 'http' (expected 1-65535)"},
      {"http://user:pw@collector", false,
       "'http://user:pw@collector': credentials in the URL are not supported (use headers)"},
      {"http://::1:4318", false, "'http://::1:4318': IPv6 addresses need brackets ([::1]:4317)"},
      {"http://[::1:4318", false, "'http://[::1:4318': unclosed '['"},
      {"http://coll$ctor", false, "'http://coll$ctor': invalid character '$' in host"},
  };
  for (const auto& c : cases) {
    auto result = check_endpoint(c.endpoint, c.allow_host_port);
    if (c.error.empty()) {
      EXPECT_TRUE(result) << c.endpoint << ": " << result.error().message;
    } else {
      ASSERT_FALSE(result) << c.endpoint;
      EXPECT_EQ(result.error().message, c.error);
    }
  }
}

TEST(ParseProtocol, KnownUnknownAndJson) {
  EXPECT_EQ(*parse_protocol("grpc"), exporter::Protocol::kGrpc);
  EXPECT_EQ(*parse_protocol(" http/protobuf "), exporter::Protocol::kHttpProtobuf);
  EXPECT_EQ(parse_protocol("http/json").error().message,
            "protocol http/json is not supported (use http/protobuf or grpc)");
  EXPECT_EQ(parse_protocol("thrift").error().message,
            "unknown protocol 'thrift' (expected http/protobuf or grpc)");
}

TEST(ParseKeyValues, DecodesTrimsAndSkipsEmptyMembers) {
  auto kv = parse_key_values(" team = payments ,, region=eu%2Dwest%2C1,note=a%20b%3Dc,");
  ASSERT_TRUE(kv) << kv.error().message;
  KeyValues want = {{"team", "payments"}, {"region", "eu-west,1"}, {"note", "a b=c"}};
  EXPECT_EQ(*kv, want);
}

TEST(ParseKeyValues, ValueMayContainEqualsAndBeEmpty) {
  auto kv = parse_key_values("authorization=Bearer abc==,empty=");
  ASSERT_TRUE(kv);
  KeyValues want = {{"authorization", "Bearer abc=="}, {"empty", ""}};
  EXPECT_EQ(*kv, want);
}

TEST(ParseKeyValues, LaterDuplicateWins) {
  KeyValues want = {{"a", "3"}, {"b", "2"}};
  EXPECT_EQ(*parse_key_values("a=1,b=2,a=3"), want);
}

TEST(ParseKeyValues, Errors) {
  EXPECT_EQ(parse_key_values("a=1,broken").error().message, "'broken' is not key=value");
  EXPECT_EQ(parse_key_values("=v").error().message, "'=v' has an empty key");
  EXPECT_EQ(parse_key_values("a=%zz").error().message, "invalid percent-encoding '%zz'");
  EXPECT_EQ(parse_key_values("a=b%2").error().message, "invalid percent-encoding '%2'");
}

TEST(MergeKeyValues, HeadersIgnoreCase) {
  KeyValues into = {{"Authorization", "old"}, {"x-team", "a"}};
  merge_key_values(into, {{"authorization", "new"}, {"x-extra", "b"}}, true);
  KeyValues want = {{"Authorization", "new"}, {"x-team", "a"}, {"x-extra", "b"}};
  EXPECT_EQ(into, want);
}

TEST(ClosestMatch, SuggestsOnlyNearMisses) {
  std::vector<std::string> keys = {"enabled", "trace_headers"};
  EXPECT_EQ(closest_match("enable", keys), "enabled");
  EXPECT_EQ(closest_match("enabeld", keys), "enabled");
  EXPECT_EQ(closest_match("trace_header", keys), "trace_headers");
  EXPECT_EQ(closest_match("verbose", keys), std::nullopt);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
}

}  // namespace
}  // namespace goinstr::config
