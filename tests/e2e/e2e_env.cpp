// SPDX-License-Identifier: Apache-2.0
#include "tests/e2e/e2e_env.hpp"

#include <fstream>
#include <random>

namespace goinstr::e2e {

const std::string& demo_binary() {
  static std::string path = [] {
    fs::path dir = fs::temp_directory_path() / ("goinstr-e2e-" + std::to_string(getpid()));
    fs::create_directories(dir);
    std::string out = (dir / "demo").string();
    testing::SubprocessOptions opts;
    opts.cwd = fs::path(GOINSTR_SOURCE_DIR) / "demo";
    auto go = testing::Subprocess::spawn({"go", "build", "-o", out, "."}, opts);
    if (!go) return std::string("cannot run go: ") + go.error().message;
    auto code = go->wait(300s);
    if (code != 0) return "go build failed: " + go->describe();
    return out;
  }();
  return path;
}

std::string unique_service(const std::string& prefix) {
  std::random_device rd;
  return prefix + "-" + std::to_string(getpid()) + "-" + std::to_string(rd() % 100000);
}

void require_root_and_jaeger() {
  if (geteuid() != 0) GTEST_SKIP() << "needs root (BPF and uprobes); CI runs as root";
  ASSERT_TRUE(testing::wait_for_tcp_port("127.0.0.1", 16686, 5s))
      << "Jaeger is not running: start it with scripts/services.sh start-jaeger";
  ASSERT_TRUE(fs::exists(demo_binary())) << demo_binary();
}

std::string wait_for_demo_url(testing::Subprocess& process) {
  if (!process.wait_for_output("listening on ", 30s)) return {};
  std::string out = process.read_stdout();
  size_t at = out.find("listening on ") + std::string("listening on ").size();
  size_t end = out.find_first_of("\r\n", at);
  return "http://" + out.substr(at, end - at);
}

std::string traceparent(const std::string& trace_id, const std::string& span_id) {
  return "00-" + trace_id + "-" + span_id + "-01";
}

std::vector<nlohmann::json> read_jsonl_spans(const fs::path& file) {
  std::vector<nlohmann::json> spans;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    auto request = nlohmann::json::parse(line);  // named: the loops below refer into it
    for (const auto& rs : request["resourceSpans"])
      for (const auto& ss : rs["scopeSpans"])
        for (const auto& s : ss["spans"]) spans.push_back(s);
  }
  return spans;
}

}  // namespace goinstr::e2e
