// SPDX-License-Identifier: Apache-2.0
#include "tests/e2e/grpc_checks.hpp"

#include <fstream>
#include <map>
#include <set>

#include "tests/e2e/go_command.hpp"
#include "tests/e2e/span_tree.hpp"

namespace goinstr::e2e {

using testing::JaegerClient;

std::filesystem::path grpcapp_at(const std::string& version, const std::string& prefix) {
  fs::path dir = scratch_dir(prefix + version);
  fs::path src = testing::source_dir() / "tests/testapps/grpcapp";
  for (const auto& entry : fs::directory_iterator(src))
    if (entry.path().extension() == ".go")
      fs::copy_file(entry.path(), dir / entry.path().filename());
  std::ofstream(dir / "go.mod") << "module goinstr.dev/testapps/grpcapp\n\ngo 1.22\n\nrequire "
                                   "google.golang.org/grpc "
                                << version << "\n";
  auto tidy = run_in({"go", "mod", "tidy"}, dir);
  EXPECT_EQ(tidy.code, 0) << tidy.output;
  return dir;
}

std::map<std::string, std::multiset<std::string>> codes_by_name(
    const std::vector<nlohmann::json>& spans) {
  std::map<std::string, std::multiset<std::string>> out;
  for (const auto& s : spans) out[s["operationName"]].insert(tag(s, "rpc.response.status_code"));
  return out;
}

void expect_every_rpc_kind(const std::vector<nlohmann::json>& spans) {
  auto codes = codes_by_name(spans);
  EXPECT_EQ(codes["goinstr.test.Echo/Say"],
            (std::multiset<std::string>{"OK", "OK", "OK", "NOT_FOUND", "NOT_FOUND", "INTERNAL",
                                        "INTERNAL", "UNAVAILABLE"}));
  EXPECT_EQ(codes["goinstr.test.Echo/Count"], (std::multiset<std::string>{"OK", "OK", "ABORTED"}));
  EXPECT_EQ(codes["goinstr.test.Echo/Sum"],
            (std::multiset<std::string>{"OK", "OK", "INVALID_ARGUMENT"}));
  EXPECT_EQ(codes["goinstr.test.Echo/Chat"], (std::multiset<std::string>{"OK", "OK", "CANCELLED"}));
  EXPECT_EQ(codes.size(), 4u);
  for (const auto& s : spans) {
    std::string code = tag(s, "rpc.response.status_code");
    EXPECT_EQ(tag(s, "span.kind"), "server") << s.dump();
    EXPECT_EQ(tag(s, "rpc.system.name"), "grpc");
    EXPECT_EQ(tag(s, "rpc.method"), s["operationName"]);
    EXPECT_EQ(tag(s, "network.protocol.version"), "2");
    EXPECT_EQ(tag(s, "server.address"), "127.0.0.1");
    EXPECT_EQ(tag(s, "client.address"), "127.0.0.1");
    EXPECT_FALSE(tag(s, "server.port").empty());
    EXPECT_FALSE(tag(s, "client.port").empty());
    // Server errors are the six the conventions name: NOT_FOUND, ABORTED, CANCELLED... are not.
    bool server_error = code == "INTERNAL" || code == "UNAVAILABLE";
    EXPECT_EQ(is_error(s), server_error) << s.dump();
    if (server_error) {
      EXPECT_EQ(tag(s, "error.type"), code);
      EXPECT_EQ(tag(s, "otel.status_description"), code == "INTERNAL" ? "boom" : "down");
    }
  }
}

std::vector<nlohmann::json> run_and_collect(const TestApp& app, const std::string& script,
                                            size_t expected, const std::string& traceparent) {
  std::string service = unique_service("e2e-grpc");
  auto goinstr = run_traced(service, app.path, {"-addr", "127.0.0.1:0"});
  EXPECT_TRUE(goinstr) << goinstr.error().message;
  if (!goinstr) return {};
  std::string addr = wait_for_listen_address(*goinstr);
  EXPECT_FALSE(addr.empty()) << goinstr->describe();
  if (addr.empty()) return {};
  std::vector<std::string> args = {"-drive", addr, "-script", script};
  if (!traceparent.empty()) args.insert(args.end(), {"-traceparent", traceparent});
  drive(app, args);
  stop_goinstr(*goinstr);
  auto spans = JaegerClient(kJaegerQuery).wait_for_span_count(service, expected, 30s);
  EXPECT_TRUE(spans) << spans.error().message << "\n" << goinstr->describe();
  if (!spans) return {};
  EXPECT_EQ(spans->size(), expected) << goinstr->describe();
  // Nothing lost, nothing left open: every RPC ended with its status.
  std::string err = goinstr->read_stderr();
  EXPECT_EQ(err.find("warning: lost:"), std::string::npos) << err;
  return *spans;
}

void expect_two_instance_tree(const std::vector<nlohmann::json>& spans, const std::string& b_port) {
  Tree tree(spans);
  size_t roots = 0;
  for (const auto& s : tree.named("goinstr.test.Echo/Say")) {
    if (tag(s, "span.kind") != "server" || testing::parent_span_id(s)) continue;
    ++roots;  // A's server span: one client child, whose child is B's server span
    auto clients = tree.children_of(s);
    ASSERT_EQ(clients.size(), 1u) << s.dump();
    const auto& client = clients[0];
    EXPECT_EQ(tag(client, "span.kind"), "client");
    EXPECT_EQ(client["traceID"], s["traceID"]);
    EXPECT_EQ(tag(client, "server.address"), "127.0.0.1");
    EXPECT_EQ(tag(client, "server.port"), b_port);
    EXPECT_EQ(tag(client, "network.peer.port"), b_port);
    auto callee = tree.children_of(client);
    ASSERT_EQ(callee.size(), 1u) << "B's server span is the client span's child: " << client.dump();
    EXPECT_EQ(tag(callee[0], "span.kind"), "server");
    EXPECT_EQ(tag(callee[0], "server.port"), b_port);
    if (tag(s, "rpc.response.status_code") == "INTERNAL") {  // callfail
      EXPECT_TRUE(is_error(s));
      EXPECT_EQ(tag(client, "rpc.response.status_code"), "NOT_FOUND");
      EXPECT_TRUE(is_error(client)) << "every non-OK code is a client error";
      EXPECT_EQ(tag(client, "otel.status_description"), "downstream");
      EXPECT_EQ(tag(callee[0], "rpc.response.status_code"), "NOT_FOUND");
      EXPECT_FALSE(is_error(callee[0])) << "NOT_FOUND is no server error";
    } else {
      EXPECT_EQ(tag(client, "rpc.response.status_code"), "OK") << client.dump();
    }
  }
  EXPECT_EQ(roots, 5u);
}

void expect_two_instance_trace(const TestApp& app) {
  std::string service = unique_service("e2e-grpc2");
  auto goinstr = testing::Subprocess::spawn({goinstr_path(), "attach", "--exe", app.path.string(),
                                             "--endpoint", kOtlpHttp, "--service-name", service});
  ASSERT_TRUE(goinstr) << goinstr.error().message;
  ASSERT_TRUE(goinstr->wait_for_output("tracing every process", 60s, true)) << goinstr->describe();
  auto b = testing::Subprocess::spawn({app.path.string(), "-addr", "127.0.0.1:0"});
  ASSERT_TRUE(b) << b.error().message;
  std::string b_addr = wait_for_listen_address(*b);
  ASSERT_FALSE(b_addr.empty()) << b->describe();
  auto a = testing::Subprocess::spawn({app.path.string(), "-addr", "127.0.0.1:0", "-peer", b_addr});
  ASSERT_TRUE(a) << a.error().message;
  std::string a_addr = wait_for_listen_address(*a);
  ASSERT_FALSE(a_addr.empty()) << a->describe();
  drive(app, {"-drive", a_addr, "-script", "say:call*3,say:callfail,say:goroutine-call"});
  a->terminate();
  b->terminate();
  stop_goinstr(*goinstr);

  // A: 5 server spans, 5 client spans; B: 5 server spans.
  auto spans = JaegerClient(kJaegerQuery).wait_for_span_count(service, 15, 30s);
  ASSERT_TRUE(spans) << spans.error().message << "\n" << goinstr->describe();
  EXPECT_EQ(spans->size(), 15u);
  expect_two_instance_tree(*spans, b_addr.substr(b_addr.find(':') + 1));
  std::string err = goinstr->read_stderr();
  EXPECT_NE(err.find("5 gRPC client (5 with a parent)"), std::string::npos) << err;
  EXPECT_EQ(err.find("wrong caller"), std::string::npos) << err;
}

}  // namespace goinstr::e2e
