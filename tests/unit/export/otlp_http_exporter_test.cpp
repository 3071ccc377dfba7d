// SPDX-License-Identifier: Apache-2.0
// OTLP/HTTP exporter against a minimal HTTP/1.1 server on 127.0.0.1 (test-only fake; the end-to-end
// tests use a real Jaeger).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <mutex>
#include <thread>

#include "export/exporter.hpp"
#include "export/otlp_encode.hpp"
#include "test_spans.hpp"

namespace goinstr::exporter {
namespace {

struct Request {
  std::string request_line;
  std::string headers;  // raw header block, lowercased
  std::string body;
};

// Serves requests on keep-alive connections, answering each with a fixed status and body.
class FakeHttpServer {
 public:
  FakeHttpServer(int status, std::string body) : status_(status), body_(std::move(body)) {
    listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
        listen(listen_fd_, 8) != 0 ||
        getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
      ADD_FAILURE() << "cannot listen on 127.0.0.1: " << std::strerror(errno);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { accept_loop(); });
  }

  ~FakeHttpServer() {
    // shutdown() wakes the blocked accept(); the connection fds are closed by their loops.
    ::shutdown(listen_fd_, SHUT_RDWR);
    close(listen_fd_);
    thread_.join();
  }

  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<Request> requests() {
    std::lock_guard lock(mu_);
    return requests_;
  }
  int connections() {
    std::lock_guard lock(mu_);
    return connections_;
  }

 private:
  void accept_loop() {
    for (;;) {
      const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) return;
      {
        std::lock_guard lock(mu_);
        ++connections_;
      }
      // Connections are served one at a time: the exporter uses a single connection anyway.
      while (serve_one(fd)) {
      }
      close(fd);
    }
  }

  bool serve_one(int fd) {
    std::string data;
    size_t header_end;
    while ((header_end = data.find("\r\n\r\n")) == std::string::npos)
      if (!read_more(fd, data)) return false;
    Request req;
    req.request_line = data.substr(0, data.find("\r\n"));
    req.headers = data.substr(0, header_end);
    std::transform(req.headers.begin(), req.headers.end(), req.headers.begin(), ::tolower);
    const auto cl = req.headers.find("content-length:");
    const size_t length = cl == std::string::npos ? 0 : std::stoul(req.headers.substr(cl + 15));
    while (data.size() < header_end + 4 + length)
      if (!read_more(fd, data)) return false;
    req.body = data.substr(header_end + 4, length);
    {
      std::lock_guard lock(mu_);
      requests_.push_back(std::move(req));
    }
    const std::string reply = "HTTP/1.1 " + std::to_string(status_) +
                              " Whatever\r\nContent-Type: application/x-protobuf\r\n"
                              "Content-Length: " +
                              std::to_string(body_.size()) + "\r\n\r\n" + body_;
    return send(fd, reply.data(), reply.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(reply.size());
  }

  static bool read_more(int fd, std::string& data) {
    char buf[4096];
    const ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) return false;
    data.append(buf, static_cast<size_t>(n));
    return true;
  }

  int status_;
  std::string body_;
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::vector<Request> requests_;
  int connections_ = 0;
};

// A port nothing listens on: bind an ephemeral port, then release it.
uint16_t closed_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), len);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

const std::vector<model::Span>& two_spans() {
  static const std::vector<model::Span> spans = [] {
    const auto root = testing::server_span();
    return std::vector<model::Span>{root, testing::child_span(root, 0x02, "SELECT", 10)};
  }();
  return spans;
}

TEST(OtlpHttpExporter, PostsProtobufToV1Traces) {
  FakeHttpServer server(200, otlp_collector::ExportTraceServiceResponse().SerializeAsString());
  auto exporter = make_otlp_http_exporter(
      {.endpoint = server.endpoint() + "/", .headers = {{"X-Api-Key", "secret"}}});
  auto r = exporter->export_batch(testing::resource_for(4242), two_spans());
  ASSERT_TRUE(r) << r.error().message;

  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].request_line, "POST /v1/traces HTTP/1.1");
  EXPECT_NE(reqs[0].headers.find("content-type: application/x-protobuf"), std::string::npos);
  EXPECT_NE(reqs[0].headers.find("x-api-key: secret"), std::string::npos);
  otlp_collector::ExportTraceServiceRequest body;
  ASSERT_TRUE(body.ParseFromString(reqs[0].body));
  ASSERT_EQ(body.resource_spans(0).scope_spans(0).spans_size(), 2);
  EXPECT_EQ(body.resource_spans(0).scope_spans(0).spans(1).name(), "SELECT");
  EXPECT_EQ(body.resource_spans(0).resource().attributes(1).value().int_value(), 4242);
}

TEST(OtlpHttpExporter, FullUrlIsUsedVerbatim) {
  FakeHttpServer server(200, "");
  auto exporter = make_otlp_http_exporter(
      {.endpoint = server.endpoint() + "/custom/traces", .endpoint_is_full_url = true});
  ASSERT_TRUE(exporter->export_batch({}, two_spans()));
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].request_line, "POST /custom/traces HTTP/1.1");
}

TEST(OtlpHttpExporter, ReusesTheConnection) {
  FakeHttpServer server(200, "");
  auto exporter = make_otlp_http_exporter({.endpoint = server.endpoint()});
  ASSERT_TRUE(exporter->export_batch({}, two_spans()));
  ASSERT_TRUE(exporter->export_batch({}, two_spans()));
  EXPECT_EQ(server.requests().size(), 2u);
  EXPECT_EQ(server.connections(), 1);
}

TEST(OtlpHttpExporter, PartialSuccessIsStillSuccess) {
  otlp_collector::ExportTraceServiceResponse response;
  response.mutable_partial_success()->set_rejected_spans(1);
  response.mutable_partial_success()->set_error_message("span too old");
  FakeHttpServer server(200, response.SerializeAsString());
  auto exporter = make_otlp_http_exporter({.endpoint = server.endpoint()});
  EXPECT_TRUE(exporter->export_batch({}, two_spans()));
}

TEST(OtlpHttpExporter, ServerErrorReportsStatusAndBodyExcerpt) {
  FakeHttpServer server(500, "collector is overloaded" + std::string(1000, 'x'));
  auto exporter = make_otlp_http_exporter({.endpoint = server.endpoint()});
  auto r = exporter->export_batch({}, two_spans());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("HTTP 500"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("collector is overloaded"), std::string::npos);
  EXPECT_LT(r.error().message.size(), 400u);  // an excerpt, not the whole body
}

TEST(OtlpHttpExporter, ConnectionRefusedIsAnError) {
  const std::string endpoint = "127.0.0.1:" + std::to_string(closed_port());
  auto exporter = make_otlp_http_exporter({.endpoint = endpoint, .timeout_ms = 2000});
  auto r = exporter->export_batch({}, two_spans());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("http://" + endpoint + "/v1/traces"), std::string::npos)
      << r.error().message;
}

}  // namespace
}  // namespace goinstr::exporter
