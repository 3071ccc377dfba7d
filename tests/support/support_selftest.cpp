// SPDX-License-Identifier: Apache-2.0
// Self-test of the test-support library: if these helpers were wrong, every e2e failure would be
// ambiguous, so they are checked against things the test controls (sh, its own sockets).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/jaeger.hpp"
#include "tests/support/net.hpp"
#include "tests/support/paths.hpp"
#include "tests/support/process.hpp"

namespace goinstr::testing {
namespace {

using namespace std::chrono_literals;

TEST(Subprocess, CapturesOutputAndExitCode) {
  auto proc = Subprocess::spawn({"/bin/sh", "-c", "echo hi; echo err >&2; exit 3"});
  ASSERT_TRUE(proc) << proc.error().message;
  EXPECT_GT(proc->pid(), 0);
  EXPECT_EQ(proc->wait(10s), 3);
  EXPECT_EQ(proc->read_stdout(), "hi\n");
  EXPECT_EQ(proc->read_stderr(), "err\n");
}

TEST(Subprocess, PassesEnvironmentAdditions) {
  auto proc = Subprocess::spawn({"/bin/sh", "-c", "echo \"$GOINSTR_SELFTEST\""},
                                {{"GOINSTR_SELFTEST", "from-test"}});
  ASSERT_TRUE(proc) << proc.error().message;
  ASSERT_EQ(proc->wait(10s), 0);
  EXPECT_EQ(proc->read_stdout(), "from-test\n");
}

TEST(Subprocess, OptionsSetWorkingDirectoryAndEnvironment) {
  SubprocessOptions opts;
  opts.cwd = "/";
  opts.env["GOINSTR_SELFTEST"] = "opt";
  auto proc = Subprocess::spawn({"/bin/sh", "-c", "pwd; echo \"$GOINSTR_SELFTEST\""}, opts);
  ASSERT_TRUE(proc) << proc.error().message;
  ASSERT_EQ(proc->wait(10s), 0);
  EXPECT_EQ(proc->read_stdout(), "/\nopt\n");
}

TEST(Subprocess, InheritedOutputIsNotCaptured) {
  SubprocessOptions opts;
  opts.capture_output = false;
  auto proc = Subprocess::spawn({"/bin/sh", "-c", "true"}, opts);
  ASSERT_TRUE(proc) << proc.error().message;
  EXPECT_EQ(proc->wait(10s), 0);
  EXPECT_TRUE(proc->stdout_path().empty());
  EXPECT_FALSE(proc->wait_for_output("x", 10ms));
}

TEST(Subprocess, RunsInItsOwnProcessGroup) {
  auto proc = Subprocess::spawn({"/bin/sh", "-c", "sleep 30"});
  ASSERT_TRUE(proc) << proc.error().message;
  EXPECT_EQ(getpgid(proc->pid()), proc->pid());
}

TEST(Subprocess, WaitTimesOutThenSignalIsReported) {
  auto proc = Subprocess::spawn({"sleep", "30"});
  ASSERT_TRUE(proc) << proc.error().message;
  EXPECT_FALSE(proc->wait(50ms).has_value());
  EXPECT_TRUE(proc->running());
  ASSERT_TRUE(proc->send_signal(SIGTERM));
  EXPECT_EQ(proc->wait(10s), -SIGTERM);
  EXPECT_FALSE(proc->send_signal(SIGTERM));
}

TEST(Subprocess, WaitForOutput) {
  auto proc = Subprocess::spawn({"/bin/sh", "-c", "sleep 0.2; echo ready; sleep 30"});
  ASSERT_TRUE(proc) << proc.error().message;
  EXPECT_TRUE(proc->wait_for_output("ready", 10s)) << proc->describe();
  EXPECT_FALSE(proc->wait_for_output("never printed", 50ms));
  EXPECT_EQ(proc->terminate(), -SIGTERM);
}

TEST(Subprocess, WaitForOutputStopsWhenChildExits) {
  auto proc = Subprocess::spawn({"/bin/sh", "-c", "echo bye"});
  ASSERT_TRUE(proc) << proc.error().message;
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(proc->wait_for_output("never printed", 30s));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
}

TEST(Subprocess, MissingProgramIsAnError) {
  auto proc = Subprocess::spawn({"/nonexistent/goinstr-selftest"});
  ASSERT_FALSE(proc);
  EXPECT_NE(proc.error().message.find("/nonexistent/goinstr-selftest"), std::string::npos);
}

// True once /proc says the pid is gone or a zombie (a zombie's reaper is not us).
bool process_dead(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  if (!stat) return true;
  std::string line;
  std::getline(stat, line);
  auto paren = line.rfind(')');
  return paren != std::string::npos && paren + 2 < line.size() && line[paren + 2] == 'Z';
}

TEST(Subprocess, DestructorKillsTheWholeGroup) {
  pid_t grandchild = -1;
  {
    auto proc = Subprocess::spawn({"/bin/sh", "-c", "sleep 30 & echo $!; wait"});
    ASSERT_TRUE(proc) << proc.error().message;
    ASSERT_TRUE(proc->wait_for_output("\n", 10s)) << proc->describe();
    grandchild = std::stoi(proc->read_stdout());
  }
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!process_dead(grandchild) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_TRUE(process_dead(grandchild));
}

// A listening socket on 127.0.0.1 with a kernel-chosen port, closed on destruction.
struct Listener {
  int fd = -1;
  int port = 0;
  Listener() {
    fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 || listen(fd, 16) != 0 ||
        getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      return;
    }
    port = ntohs(addr.sin_port);
  }
  ~Listener() { close(fd); }
};

TEST(Net, WaitForTcpPort) {
  Listener listener;
  ASSERT_GT(listener.port, 0);
  EXPECT_TRUE(wait_for_tcp_port("127.0.0.1", listener.port, 5s));
  EXPECT_TRUE(wait_for_tcp_port("localhost", listener.port, 5s));
}

TEST(Net, WaitForTcpPortTimesOutOnClosedPort) {
  int port = free_tcp_port();
  ASSERT_GT(port, 0);
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(wait_for_tcp_port("127.0.0.1", port, 200ms));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

TEST(Net, FreeTcpPortIsBindable) {
  int port = free_tcp_port();
  ASSERT_GT(port, 0);
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  close(fd);
}

// Serves one canned HTTP response and records the request it got.
std::string serve_once(int listen_fd, const std::string& response) {
  int conn = accept(listen_fd, nullptr, nullptr);
  if (conn < 0) return {};
  std::string request;
  char buf[4096];
  size_t want = std::string::npos;
  while (request.size() < want) {
    ssize_t n = read(conn, buf, sizeof(buf));
    if (n <= 0) break;
    request.append(buf, static_cast<size_t>(n));
    auto end = request.find("\r\n\r\n");
    if (end != std::string::npos && want == std::string::npos) {
      size_t body_len = 0;
      auto cl = request.find("Content-Length: ");
      if (cl != std::string::npos && cl < end) body_len = std::stoul(request.substr(cl + 16));
      want = end + 4 + body_len;
    }
  }
  (void)!write(conn, response.data(), response.size());
  close(conn);
  return request;
}

TEST(Net, HttpGetReturnsStatusBodyAndHeaders) {
  Listener listener;
  ASSERT_GT(listener.port, 0);
  std::string request;
  std::thread server([&] {
    request = serve_once(listener.fd,
                         "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n"
                         "X-Selftest: yes\r\nConnection: close\r\n\r\ndown");
  });
  auto resp =
      http_get("http://127.0.0.1:" + std::to_string(listener.port) + "/status",
               {{"traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}});
  server.join();
  ASSERT_TRUE(resp) << resp.error().message;
  EXPECT_EQ(resp->status, 503);
  EXPECT_EQ(resp->body, "down");
  EXPECT_EQ(resp->headers["x-selftest"], "yes");
  EXPECT_NE(request.find("GET /status HTTP/1.1"), std::string::npos) << request;
  EXPECT_NE(request.find("traceparent: 00-0af7651916cd43dd8448eb211c80319c"), std::string::npos);
}

TEST(Net, HttpPostSendsBodyAndContentType) {
  Listener listener;
  ASSERT_GT(listener.port, 0);
  std::string request;
  std::thread server([&] {
    request = serve_once(
        listener.fd, "HTTP/1.1 201 Created\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
  });
  std::string body(3000, 'x');  // over 1 KiB, where libcurl would otherwise send Expect
  auto resp = http_post("http://127.0.0.1:" + std::to_string(listener.port) + "/log", body);
  server.join();
  ASSERT_TRUE(resp) << resp.error().message;
  EXPECT_EQ(resp->status, 201);
  EXPECT_EQ(resp->body, "ok");
  EXPECT_NE(request.find("POST /log HTTP/1.1"), std::string::npos) << request;
  EXPECT_NE(request.find("Content-Type: application/json"), std::string::npos);
  EXPECT_EQ(request.find("Expect:"), std::string::npos);
  EXPECT_NE(request.find(body), std::string::npos);
}

TEST(Net, HttpGetOnClosedPortIsAnError) {
  int port = free_tcp_port();
  ASSERT_GT(port, 0);
  auto resp = http_get("http://127.0.0.1:" + std::to_string(port) + "/", {}, 2s);
  EXPECT_FALSE(resp);
}

TEST(Jaeger, SpanHelpersReadJaegerJson) {
  auto answer = nlohmann::json::parse(R"({
    "data": [{
      "traceID": "t1",
      "processes": {"p1": {"serviceName": "demo", "tags": []}},
      "spans": [
        {"traceID": "t1", "spanID": "a", "operationName": "GET /hello", "references": [],
         "processID": "p1",
         "tags": [{"key": "http.response.status_code", "type": "int64", "value": 200},
                  {"key": "http.route", "type": "string", "value": "/hello"}]},
        {"traceID": "t1", "spanID": "b", "operationName": "INSERT", "processID": "p1",
         "references": [{"refType": "FOLLOWS_FROM", "traceID": "t1", "spanID": "z"},
                        {"refType": "CHILD_OF", "traceID": "t1", "spanID": "a"}],
         "tags": []}
      ]
    }]
  })");
  auto spans = all_spans(answer);
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(span_tag(spans[0], "http.response.status_code"), nlohmann::json(200));
  EXPECT_EQ(span_tag_string(spans[0], "http.response.status_code"), "200");
  EXPECT_EQ(span_tag_string(spans[0], "http.route"), "/hello");
  EXPECT_FALSE(span_tag(spans[0], "missing"));
  EXPECT_FALSE(parent_span_id(spans[0]));
  EXPECT_EQ(parent_span_id(spans[1]), "a");
  auto pairs = spans_with_traces(answer);
  EXPECT_EQ(span_service(pairs[1].first, pairs[1].second), "demo");
  EXPECT_TRUE(all_spans(nlohmann::json::parse(R"({"data": null})")).empty());
}

TEST(Jaeger, UnreachableJaegerTimesOutWithReason) {
  int port = free_tcp_port();
  ASSERT_GT(port, 0);
  JaegerClient client("http://127.0.0.1:" + std::to_string(port) + "/");
  EXPECT_EQ(client.base_url(), "http://127.0.0.1:" + std::to_string(port));
  auto spans = client.wait_for_span_count("demo", 1, 300ms);
  ASSERT_FALSE(spans);
  EXPECT_NE(spans.error().message.find("last query error"), std::string::npos)
      << spans.error().message;
}

// Round trip through a real Jaeger (scripts/services.sh start-jaeger): OTLP/HTTP JSON in, query
// API out. Labelled e2e by CMake; skips when Jaeger is not running.
TEST(JaegerLive, ReadsBackAnOtlpSpan) {
  if (!wait_for_tcp_port("127.0.0.1", 4318, 1s) || !wait_for_tcp_port("127.0.0.1", 16686, 1s)) {
    GTEST_SKIP() << "Jaeger is not running (scripts/services.sh start-jaeger)";
  }
  std::string service = "support-selftest-" + std::to_string(getpid());
  auto now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  char trace_id[33];
  std::snprintf(trace_id, sizeof(trace_id), "%016llx%016llx", static_cast<unsigned long long>(now),
                static_cast<unsigned long long>(getpid()));
  nlohmann::json span_root = {
      {"traceId", trace_id},
      {"spanId", "00000000000000a1"},
      {"name", "GET /status/{code}"},
      {"kind", 2},
      {"startTimeUnixNano", std::to_string(now)},
      {"endTimeUnixNano", std::to_string(now + 1000000)},
      {"attributes", {{{"key", "http.response.status_code"}, {"value", {{"intValue", "503"}}}}}}};
  nlohmann::json span_child = {{"traceId", trace_id},
                               {"spanId", "00000000000000b2"},
                               {"parentSpanId", "00000000000000a1"},
                               {"name", "INSERT"},
                               {"kind", 3},
                               {"startTimeUnixNano", std::to_string(now + 100)},
                               {"endTimeUnixNano", std::to_string(now + 200)}};
  nlohmann::json body = {
      {"resourceSpans",
       {{{"resource",
          {{"attributes", {{{"key", "service.name"}, {"value", {{"stringValue", service}}}}}}}},
         {"scopeSpans", {{{"spans", {span_root, span_child}}}}}}}}};
  auto posted = http_post("http://127.0.0.1:4318/v1/traces", body.dump());
  ASSERT_TRUE(posted) << posted.error().message;
  ASSERT_EQ(posted->status, 200) << posted->body;

  JaegerClient jaeger;
  auto spans = jaeger.wait_for_span_count(service, 2, 30s);
  ASSERT_TRUE(spans) << spans.error().message;
  ASSERT_EQ(spans->size(), 2u);
  for (const auto& s : *spans) {
    if (s["operationName"] == "INSERT") {
      EXPECT_EQ(parent_span_id(s), "00000000000000a1") << s.dump();
    } else {
      EXPECT_EQ(s["operationName"], "GET /status/{code}");
      EXPECT_FALSE(parent_span_id(s)) << s.dump();
      EXPECT_EQ(span_tag(s, "http.response.status_code"), nlohmann::json(503)) << s.dump();
    }
  }
  auto only_insert = jaeger.wait_for_span_count(
      service, 1, 5s, [](const nlohmann::json& s, const nlohmann::json& trace) {
        return s["operationName"] == "INSERT" && span_service(s, trace).has_value();
      });
  ASSERT_TRUE(only_insert) << only_insert.error().message;
  EXPECT_EQ(only_insert->size(), 1u);
  auto services = jaeger.services();
  ASSERT_TRUE(services) << services.error().message;
  EXPECT_NE(std::find(services->begin(), services->end(), service), services->end());
  auto by_id = jaeger.trace(trace_id);
  ASSERT_TRUE(by_id) << by_id.error().message;
  EXPECT_EQ(all_spans(*by_id).size(), 2u);
}

TEST(Paths, DirectoriesComeFromCMake) {
  EXPECT_TRUE(std::filesystem::exists(source_dir() / "tests/support/CMakeLists.txt"));
  EXPECT_TRUE(std::filesystem::is_directory(binary_dir()));
}

TEST(Paths, BuildGoReportsFailure) {
  auto dir = std::filesystem::temp_directory_path() / "goinstr-selftest-missing-pkg";
  auto r = build_go(dir, binary_dir() / "selftest-never-built");
  ASSERT_FALSE(r);
  EXPECT_FALSE(r.error().message.empty());
}

}  // namespace
}  // namespace goinstr::testing
