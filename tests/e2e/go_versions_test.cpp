// SPDX-License-Identifier: Apache-2.0
// The agent on the binaries users really have: Go 1.19, 1.26 and 1.27, stripped (-s -w: no symbols,
// no DWARF, so functions come from .gopclntab and offsets from goinstr's table), PIE and static,
// over HTTP/1.1 and over HTTP/2 with TLS (curl --http2; net/http's h2_bundle.go up to Go 1.26,
// net/http/internal/http2 in 1.27). Spans are read from the --output file: this test is about the
// probes, not the backend.
#include <signal.h>

#include "tests/e2e/e2e_env.hpp"
#include "tests/unit/obj/go_fixture.hpp"

namespace goinstr::e2e {
namespace {

struct Case {
  const char* toolchain;
  const char* kind;
};

std::optional<nlohmann::json> attribute(const nlohmann::json& span, const std::string& key) {
  for (const auto& a : span["attributes"])
    if (a["key"] == key) return a["value"];
  return std::nullopt;
}

class GoVersions : public ::testing::TestWithParam<Case> {};

TEST_P(GoVersions, ServerSpansFromEveryBuildKind) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root (BPF and uprobes)";
  const auto* variant = obj::testing::GoFixtures::get().find(GetParam().toolchain, GetParam().kind);
  if (!variant)
    GTEST_SKIP() << "toolchain unavailable: " << obj::testing::GoFixtures::get().notes();
  int port = testing::free_tcp_port();
  int tls_port = testing::free_tcp_port();
  ASSERT_GT(port, 0);
  ASSERT_GT(tls_port, 0);
  fs::path out = fs::temp_directory_path() /
                 ("goinstr-versions-" + std::to_string(getpid()) + "-" + std::to_string(port));
  auto goinstr = testing::Subprocess::spawn(
      {goinstr_path(), "run", "--output", out.string(), "--", variant->path, "-addr",
       "127.0.0.1:" + std::to_string(port), "-tls-addr", "127.0.0.1:" + std::to_string(tls_port)});
  ASSERT_TRUE(goinstr);
  ASSERT_TRUE(testing::wait_for_tcp_port("127.0.0.1", port, 30s)) << goinstr->describe();
  ASSERT_TRUE(testing::wait_for_tcp_port("127.0.0.1", tls_port, 30s)) << goinstr->describe();
  std::string url = "http://127.0.0.1:" + std::to_string(port);
  for (int i = 0; i < 4; ++i) ASSERT_EQ(testing::http_get(url + "/hello")->status, 200);
  ASSERT_EQ(testing::http_get(url + "/status/x")->status, 418);
  // Two requests over HTTP/2 on one TLS connection; curl prints "STATUS VERSION" for each.
  std::string https = "https://127.0.0.1:" + std::to_string(tls_port);
  auto curl = testing::Subprocess::spawn({"curl", "-sk", "--http2", "-o", "/dev/null", "-w",
                                          "%{http_code} %{http_version}\n", https + "/hello", "-o",
                                          "/dev/null", https + "/status/y"});
  ASSERT_TRUE(curl) << curl.error().message;
  ASSERT_EQ(curl->wait(30s), 0) << curl->describe();
  EXPECT_EQ(curl->read_stdout(), "200 2\n418 2\n");
  ASSERT_TRUE(goinstr->send_signal(SIGTERM));
  EXPECT_EQ(goinstr->wait(30s), 128 + SIGTERM) << goinstr->describe();  // log.Fatal app: killed

  auto spans = read_jsonl_spans(out);
  ASSERT_EQ(spans.size(), 7u) << goinstr->describe();
  // The app's go.mod says go 1.19, so even Go 1.26 serves it with the pre-1.22 ServeMux
  // (GODEBUG httpmuxgo121=1): no pattern, so no http.route and the span is named by method only.
  // The demo (go 1.22) covers routes.
  int hello = 0, h2 = 0;
  for (const auto& s : spans) {
    std::string path = attribute(s, "url.path")->at("stringValue");
    auto status = attribute(s, "http.response.status_code")->at("intValue").get<std::string>();
    std::string version = attribute(s, "network.protocol.version")->at("stringValue");
    EXPECT_EQ(attribute(s, "http.request.method")->at("stringValue"), "GET");
    EXPECT_EQ(s["name"], "GET");
    EXPECT_FALSE(attribute(s, "http.route"));
    if (version == "2") {
      ++h2;
      EXPECT_EQ(status, path == "/hello" ? "200" : "418") << s.dump();
      continue;
    }
    EXPECT_EQ(version, "1.1");
    if (path == "/hello") {
      ++hello;
      EXPECT_EQ(status, "200");
    } else {
      EXPECT_EQ(path, "/status/x");
      EXPECT_EQ(status, "418");
    }
  }
  EXPECT_EQ(hello, 4);
  EXPECT_EQ(h2, 2);
  fs::remove(out);
}

INSTANTIATE_TEST_SUITE_P(Builds, GoVersions,
                         ::testing::Values(Case{"go1.19", "plain"}, Case{"go1.19", "stripped"},
                                           Case{"go1.26", "stripped"},
                                           Case{"go1.26", "pie-stripped"}, Case{"go1.26", "static"},
                                           Case{"go1.26", "external"}, Case{"go1.27", "plain"},
                                           Case{"go1.27", "stripped"}),
                         [](const auto& param_info) {
                           std::string name = std::string(param_info.param.toolchain) + "_" +
                                              param_info.param.kind;
                           for (auto& c : name)
                             if (c == '.' || c == '-') c = '_';
                           return name;
                         });

}  // namespace
}  // namespace goinstr::e2e
