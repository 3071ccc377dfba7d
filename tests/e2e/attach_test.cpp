// SPDX-License-Identifier: Apache-2.0
// `goinstr attach` on a service that is already running, and what it leaves behind: nothing. A
// uprobe is an int3 (0xcc) the kernel writes into the traced process's copy of the code; after the
// agent exits, every probe site must hold its original byte again.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <set>

#include "agent/probe_plan.hpp"
#include "obj/go_binary.hpp"
#include "tests/e2e/e2e_env.hpp"

namespace goinstr::e2e {
namespace {

std::vector<uint64_t> probe_addresses(const std::string& binary) {
  std::vector<uint64_t> out;
  auto bin = obj::GoBinary::open(binary);
  EXPECT_TRUE(bin) << bin.error().message;
  if (!bin) return out;
  EXPECT_FALSE(bin->is_pie()) << "the address check below assumes a non-PIE demo build";
  for (const auto& hook : agent::kHttpServerHooks) {
    auto fn = bin->find_function(hook.symbol);
    EXPECT_TRUE(fn) << hook.symbol;
    if (!fn) continue;
    auto site = bin->entry_probe_site(*fn);
    EXPECT_TRUE(site) << site.error().message;
    if (site) out.push_back(site->vaddr);
  }
  return out;
}

int byte_at(pid_t pid, uint64_t addr) {
  int fd = open(("/proc/" + std::to_string(pid) + "/mem").c_str(), O_RDONLY);
  if (fd < 0) return -1;
  uint8_t b = 0;
  ssize_t n = pread(fd, &b, 1, static_cast<off_t>(addr));
  close(fd);
  return n == 1 ? b : -1;
}

TEST(RuntimeAgentAttach, TracesARunningServiceAndLeavesNoProbeBehind) {
  require_root_and_jaeger();
  if (HasFatalFailure() || IsSkipped()) return;
  auto demo = testing::Subprocess::spawn({demo_binary(), "-addr", "127.0.0.1:0"});
  ASSERT_TRUE(demo);
  std::string url = wait_for_demo_url(*demo);
  ASSERT_FALSE(url.empty()) << demo->describe();
  auto sites = probe_addresses(demo_binary());
  ASSERT_EQ(sites.size(), 2u);
  std::vector<int> original;
  for (uint64_t a : sites) {
    original.push_back(byte_at(demo->pid(), a));
    ASSERT_NE(original.back(), 0xcc) << "probe site already patched before attach";
  }
  // Not traced: before the agent is there.
  ASSERT_TRUE(testing::http_get(url + "/hello"));

  std::string service = unique_service("e2e-attach");
  auto goinstr =
      testing::Subprocess::spawn({goinstr_path(), "attach", "--pid", std::to_string(demo->pid()),
                                  "--endpoint", kOtlpHttp, "--service-name", service});
  ASSERT_TRUE(goinstr);
  ASSERT_TRUE(goinstr->wait_for_output("tracing pid", 30s, /*from_stderr=*/true))
      << goinstr->describe();
  for (uint64_t a : sites) EXPECT_EQ(byte_at(demo->pid(), a), 0xcc) << "probe not in place";

  constexpr int kRequests = 7;
  for (int i = 0; i < kRequests; ++i) {
    auto r = testing::http_get(url + "/hello");
    ASSERT_TRUE(r && r->status == 200);
  }
  ASSERT_TRUE(goinstr->send_signal(SIGINT));
  auto code = goinstr->wait(30s);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 0) << goinstr->describe();

  for (size_t i = 0; i < sites.size(); ++i)
    EXPECT_EQ(byte_at(demo->pid(), sites[i]), original[i]) << "probe left behind at " << sites[i];
  // The service goes on serving, untraced.
  auto after = testing::http_get(url + "/hello");
  EXPECT_TRUE(after && after->status == 200);
  EXPECT_TRUE(demo->running());

  testing::JaegerClient jaeger(kJaegerQuery);
  auto spans = jaeger.wait_for_span_count(service, kRequests, 30s);
  ASSERT_TRUE(spans) << spans.error().message << "\n" << goinstr->describe();
  EXPECT_EQ(spans->size(), static_cast<size_t>(kRequests));
  for (const auto& s : *spans) EXPECT_EQ(s["operationName"], "GET /hello");
}

// `attach --exe` traces every process of the executable: one already running and one started
// after the agent. A private copy of the demo keeps other tests' processes out of it.
TEST(RuntimeAgentAttach, ExeTracesEveryProcessIncludingLaterOnes) {
  require_root_and_jaeger();
  if (HasFatalFailure() || IsSkipped()) return;
  fs::path copy = fs::path(demo_binary()).parent_path() / "demo-exe-copy";
  fs::copy_file(demo_binary(), copy, fs::copy_options::overwrite_existing);
  auto before = testing::Subprocess::spawn({copy.string(), "-addr", "127.0.0.1:0"});
  ASSERT_TRUE(before);
  std::string url_before = wait_for_demo_url(*before);
  ASSERT_FALSE(url_before.empty()) << before->describe();

  std::string service = unique_service("e2e-exe");
  auto goinstr = testing::Subprocess::spawn({goinstr_path(), "attach", "--exe", copy.string(),
                                             "--endpoint", kOtlpHttp, "--service-name", service});
  ASSERT_TRUE(goinstr);
  ASSERT_TRUE(goinstr->wait_for_output("tracing every process", 30s, /*from_stderr=*/true))
      << goinstr->describe();
  auto later = testing::Subprocess::spawn({copy.string(), "-addr", "127.0.0.1:0"});
  ASSERT_TRUE(later);
  std::string url_later = wait_for_demo_url(*later);
  ASSERT_FALSE(url_later.empty()) << later->describe();

  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(testing::http_get(url_before + "/hello"));
    ASSERT_TRUE(testing::http_get(url_later + "/hello"));
  }
  ASSERT_TRUE(goinstr->send_signal(SIGINT));
  ASSERT_EQ(goinstr->wait(30s), 0) << goinstr->describe();

  testing::JaegerClient jaeger(kJaegerQuery);
  auto answer = jaeger.wait_for_span_count(service, 6, 30s);
  ASSERT_TRUE(answer) << answer.error().message << "\n" << goinstr->describe();
  auto traces = jaeger.traces(service, 100);
  ASSERT_TRUE(traces);
  std::set<std::string> pids;
  for (const auto& [span, trace] : testing::spans_with_traces(*traces)) {
    for (const auto& tag : trace["processes"][span["processID"].get<std::string>()]["tags"])
      if (tag["key"] == "process.pid") pids.insert(tag["value"].dump());
  }
  EXPECT_EQ(pids,
            (std::set<std::string>{std::to_string(before->pid()), std::to_string(later->pid())}));
  fs::remove(copy);
}

TEST(RuntimeAgentAttach, ExportsOtlpJsonLinesWithOutput) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root";
  ASSERT_TRUE(fs::exists(demo_binary())) << demo_binary();
  fs::path out = fs::temp_directory_path() / ("goinstr-out-" + std::to_string(getpid()) + ".jsonl");
  fs::remove(out);
  auto goinstr = testing::Subprocess::spawn({goinstr_path(), "run", "--output", out.string(), "--",
                                             demo_binary(), "-addr", "127.0.0.1:0"});
  ASSERT_TRUE(goinstr);
  std::string url = wait_for_demo_url(*goinstr);
  ASSERT_FALSE(url.empty()) << goinstr->describe();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(testing::http_get(url + "/hello"));
  ASSERT_TRUE(goinstr->send_signal(SIGTERM));
  ASSERT_EQ(goinstr->wait(30s), 0) << goinstr->describe();

  auto spans = read_jsonl_spans(out);
  for (const auto& s : spans) {
    EXPECT_EQ(s["name"], "GET /hello");
    EXPECT_EQ(s["traceId"].get<std::string>().size(), 32u);
  }
  EXPECT_EQ(spans.size(), 5u);
  fs::remove(out);
}

}  // namespace
}  // namespace goinstr::e2e
