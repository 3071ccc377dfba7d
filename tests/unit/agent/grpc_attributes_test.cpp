// SPDX-License-Identifier: Apache-2.0
// The gRPC semantic-convention helpers shared by server and client spans: code names, which codes
// are server errors, the method form "/package.Service/Method", connection ends as text, and the
// attributes and status every gRPC span gets.
#include "agent/grpc_attributes.hpp"

#include <gtest/gtest.h>

#include "tests/unit/agent/grpc_records.hpp"

#include <algorithm>
#include <initializer_list>
#include <map>
#include <string>
#include <vector>

namespace goinstr::agent {
namespace {

using namespace testing;

TEST(GrpcCodeName, EveryCodeHasItsName) {
  const std::vector<std::string> names = {"OK",
                                          "CANCELLED",
                                          "UNKNOWN",
                                          "INVALID_ARGUMENT",
                                          "DEADLINE_EXCEEDED",
                                          "NOT_FOUND",
                                          "ALREADY_EXISTS",
                                          "PERMISSION_DENIED",
                                          "RESOURCE_EXHAUSTED",
                                          "FAILED_PRECONDITION",
                                          "ABORTED",
                                          "OUT_OF_RANGE",
                                          "UNIMPLEMENTED",
                                          "INTERNAL",
                                          "UNAVAILABLE",
                                          "DATA_LOSS",
                                          "UNAUTHENTICATED"};
  for (int32_t code = 0; code <= 16; ++code) EXPECT_EQ(grpc_code_name(code), names[code]) << code;
}

TEST(GrpcCodeName, CodesOutsideTheRangeAreTheirNumber) {
  EXPECT_EQ(grpc_code_name(17), "17");
  EXPECT_EQ(grpc_code_name(-1), "-1");
  EXPECT_EQ(grpc_code_name(1000), "1000");
  EXPECT_EQ(grpc_code_name(INT32_MIN), "-2147483648");
}

TEST(GrpcServerError, OnlyTheSixServerErrorCodes) {
  // UNKNOWN, DEADLINE_EXCEEDED, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS.
  const std::vector<int32_t> errors = {2, 4, 12, 13, 14, 15};
  for (int32_t code = -1; code <= 17; ++code) {
    bool expected = std::find(errors.begin(), errors.end(), code) != errors.end();
    EXPECT_EQ(grpc_server_error(code), expected) << grpc_code_name(code);
  }
}

TEST(GrpcMethod, StripsTheLeadingSlash) {
  EXPECT_EQ(grpc_method("/helloworld.Greeter/SayHello"), "helloworld.Greeter/SayHello");
  EXPECT_EQ(grpc_method("/grpc.health.v1.Health/Check"), "grpc.health.v1.Health/Check");
  EXPECT_EQ(grpc_method("/a/b"), "a/b");      // the shortest valid form
  EXPECT_EQ(grpc_method("/Svc/M"), "Svc/M");  // a service without a package is fine
}

TEST(GrpcMethod, RejectsWhatIsNotSlashServiceSlashMethod) {
  EXPECT_EQ(grpc_method(""), "");
  EXPECT_EQ(grpc_method("/"), "");
  EXPECT_EQ(grpc_method("//"), "");
  EXPECT_EQ(grpc_method("/a"), "");
  EXPECT_EQ(grpc_method("/a/"), "");                    // empty method
  EXPECT_EQ(grpc_method("//b"), "");                    // empty service
  EXPECT_EQ(grpc_method("//Method"), "");               // empty service, longer
  EXPECT_EQ(grpc_method("/pkg.Svc/"), "");              // empty method, longer
  EXPECT_EQ(grpc_method("/pkg.Svc"), "");               // no second slash
  EXPECT_EQ(grpc_method("pkg.Svc/Method"), "");         // no leading slash
  EXPECT_EQ(grpc_method("x/pkg.Svc/Method"), "");       // leading slash missing, extra part
  EXPECT_EQ(grpc_method("/pkg.Svc/Method/extra"), "");  // a second slash after the service
  EXPECT_EQ(grpc_method("/a//b"), "");
  EXPECT_EQ(grpc_method("/pkg.Svc/Method/"), "");
}

TEST(TcpAddrIp, Ipv4FourBytes) {
  EXPECT_EQ(tcp_addr_ip(tcp({10, 1, 2, 254}, 1)), "10.1.2.254");
  EXPECT_EQ(tcp_addr_ip(tcp({0, 0, 0, 0}, 1)), "0.0.0.0");
  EXPECT_EQ(tcp_addr_ip(tcp({255, 255, 255, 255}, 1)), "255.255.255.255");
}

TEST(TcpAddrIp, V4MappedIsPlainIpv4) {
  // Go's net.TCPAddr usually holds an IPv4 address in its 16-byte, IPv4-mapped form.
  EXPECT_EQ(tcp_addr_ip(tcp({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1}, 1)),
            "127.0.0.1");
  EXPECT_EQ(tcp_addr_ip(tcp({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 168, 0, 10}, 1)),
            "192.168.0.10");
}

TEST(TcpAddrIp, Ipv6) {
  EXPECT_EQ(tcp_addr_ip(tcp({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 1)), "::1");
  EXPECT_EQ(tcp_addr_ip(tcp({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 1)), "::");
  EXPECT_EQ(tcp_addr_ip(tcp({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12, 0x34}, 1)),
            "2001:db8::1234");
  EXPECT_EQ(tcp_addr_ip(tcp(
                {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44, 0x55}, 1)),
            "fe80::211:22ff:fe33:4455");
  // Only ::ffff:0:0/96 is IPv4: a 16-byte address with other leading bytes stays IPv6.
  EXPECT_EQ(tcp_addr_ip(tcp({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xfe, 127, 0, 0, 1}, 1)),
            "::fffe:7f00:1");
}

TEST(TcpAddrIp, UnknownAddressIsEmpty) {
  EXPECT_EQ(tcp_addr_ip(goinstr_tcp_addr{}), "");         // ip_len 0: not a TCP address
  EXPECT_EQ(tcp_addr_ip(tcp({127, 0, 0, 1, 9}, 1)), "");  // neither 4 nor 16 bytes
  EXPECT_EQ(tcp_addr_ip(tcp({127, 0, 0}, 1)), "");
}

class SetGrpcAttributesTest : public ::testing::Test {
 protected:
  model::Span span;
  goinstr_tcp_addr peer = tcp({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 7}, 50051);
};

TEST_F(SetGrpcAttributesTest, RecognisedMethodNamesTheSpan) {
  set_grpc_attributes(span, "/helloworld.Greeter/SayHello", true, 0, false, "", peer);
  EXPECT_EQ(span.name, "helloworld.Greeter/SayHello");
  EXPECT_EQ(span.status, model::StatusCode::kUnset);
  EXPECT_EQ(span.status_message, "");
  auto a = attrs(span);
  EXPECT_EQ(str(a, "rpc.system.name"), "grpc");
  EXPECT_EQ(str(a, "rpc.method"), "helloworld.Greeter/SayHello");
  EXPECT_FALSE(a.contains("rpc.method_original"));
  EXPECT_EQ(str(a, "rpc.response.status_code"), "OK");
  EXPECT_EQ(str(a, "network.protocol.version"), "2");
  EXPECT_EQ(str(a, "network.peer.address"), "10.0.0.7");
  EXPECT_EQ(num(a, "network.peer.port"), 50051);
  EXPECT_FALSE(a.contains("error.type"));
  EXPECT_EQ(a.size(), 6u);
}

TEST_F(SetGrpcAttributesTest, UnrecognisedMethodIsOtherWithTheOriginal) {
  set_grpc_attributes(span, "/pkg.Nope/Call", false, 12, true, "unknown service pkg.Nope", peer);
  EXPECT_EQ(span.name, "grpc");
  auto a = attrs(span);
  EXPECT_EQ(str(a, "rpc.method"), "_OTHER");
  EXPECT_EQ(str(a, "rpc.method_original"), "/pkg.Nope/Call");
  EXPECT_EQ(str(a, "rpc.response.status_code"), "UNIMPLEMENTED");
  EXPECT_EQ(str(a, "error.type"), "UNIMPLEMENTED");
  EXPECT_EQ(span.status, model::StatusCode::kError);
  EXPECT_EQ(span.status_message, "unknown service pkg.Nope");
}

TEST_F(SetGrpcAttributesTest, MalformedPathIsOtherEvenWhenRecognised) {
  set_grpc_attributes(span, "not-a-method", true, 0, false, "", peer);
  EXPECT_EQ(span.name, "grpc");
  auto a = attrs(span);
  EXPECT_EQ(str(a, "rpc.method"), "_OTHER");
  EXPECT_EQ(str(a, "rpc.method_original"), "not-a-method");
}

TEST_F(SetGrpcAttributesTest, EmptyPathHasNoOriginal) {
  set_grpc_attributes(span, "", true, 0, false, "", peer);
  EXPECT_EQ(span.name, "grpc");
  auto a = attrs(span);
  EXPECT_EQ(str(a, "rpc.method"), "_OTHER");
  EXPECT_FALSE(a.contains("rpc.method_original"));
}

TEST_F(SetGrpcAttributesTest, OriginalMethodIsValidUtf8) {
  set_grpc_attributes(span, "/pkg.Svc/Caf\xc3", false, 12, true, "unknown method", peer);
  EXPECT_EQ(str(attrs(span), "rpc.method_original"), "/pkg.Svc/Caf\xEF\xBF\xBD");
}

TEST_F(SetGrpcAttributesTest, ErrorCarriesTheCodeNameAndTheSanitisedMessage) {
  set_grpc_attributes(span, "/a/b", true, 13, true, "boom \xff", peer);
  EXPECT_EQ(span.status, model::StatusCode::kError);
  EXPECT_EQ(span.status_message, "boom \xEF\xBF\xBD");
  auto a = attrs(span);
  EXPECT_EQ(str(a, "error.type"), "INTERNAL");
  EXPECT_EQ(str(a, "rpc.response.status_code"), "INTERNAL");
}

TEST_F(SetGrpcAttributesTest, NonErrorCodeKeepsStatusUnsetAndNoMessage) {
  set_grpc_attributes(span, "/a/b", true, 5, false, "no such item", peer);
  EXPECT_EQ(span.status, model::StatusCode::kUnset);
  EXPECT_EQ(span.status_message, "");
  auto a = attrs(span);
  EXPECT_EQ(str(a, "rpc.response.status_code"), "NOT_FOUND");
  EXPECT_FALSE(a.contains("error.type"));
}

TEST_F(SetGrpcAttributesTest, CodeOutsideTheRangeIsItsNumber) {
  set_grpc_attributes(span, "/a/b", true, 42, true, "", peer);
  auto a = attrs(span);
  EXPECT_EQ(str(a, "rpc.response.status_code"), "42");
  EXPECT_EQ(str(a, "error.type"), "42");
}

TEST_F(SetGrpcAttributesTest, UnknownPeerHasNoNetworkPeer) {
  set_grpc_attributes(span, "/a/b", true, 0, false, "", goinstr_tcp_addr{});
  auto a = attrs(span);
  EXPECT_FALSE(a.contains("network.peer.address"));
  EXPECT_FALSE(a.contains("network.peer.port"));
  EXPECT_EQ(str(a, "network.protocol.version"), "2");
}

TEST_F(SetGrpcAttributesTest, Ipv6Peer) {
  set_grpc_attributes(span, "/a/b", true, 0, false, "",
                      tcp({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 443));
  auto a = attrs(span);
  EXPECT_EQ(str(a, "network.peer.address"), "::1");
  EXPECT_EQ(num(a, "network.peer.port"), 443);
}

}  // namespace
}  // namespace goinstr::agent
