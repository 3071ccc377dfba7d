// SPDX-License-Identifier: Apache-2.0
// /proc sampling on real processes (this test and a child it spawns), the lookup of the process
// listening on a port, and the child-process helper the bench starts services with.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "bench/child.hpp"
#include "bench/listener.hpp"
#include "bench/proc_stats.hpp"
#include "bench/sampler.hpp"

namespace goinstr::bench {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

double process_cpu_s() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// Spins until this process has used `seconds` of CPU (by the kernel's own clock, not the wall
// clock: on a busy machine a wall-clock loop may get little CPU), or 20 s have passed.
void burn_cpu(double seconds) {
  double until = process_cpu_s() + seconds;
  auto give_up = std::chrono::steady_clock::now() + 20s;
  volatile uint64_t x = 0;
  while (process_cpu_s() < until && std::chrono::steady_clock::now() < give_up)
    for (int i = 0; i < 10000; ++i) x = x + static_cast<uint64_t>(i);
}

fs::path temp_log(const std::string& name) {
  return fs::temp_directory_path() / ("goinstr-bench-test-" + std::to_string(getpid()) + name);
}

TEST(ProcStats, OwnCpuGrowsUnderABusyLoopAsTheKernelClockSays) {
  auto before = read_process(getpid());
  double clock_before = process_cpu_s();
  ASSERT_TRUE(before) << before.error().message;
  burn_cpu(0.3);
  auto after = read_process(getpid());
  double clock_used = process_cpu_s() - clock_before;
  ASSERT_TRUE(after);
  double cpu = (after->user_s + after->system_s) - (before->user_s + before->system_s);
  EXPECT_GE(clock_used, 0.3);
  EXPECT_NEAR(cpu, clock_used, 0.05);  // /proc counts in clock ticks (10 ms)
  EXPECT_GT(after->user_s - before->user_s, after->system_s - before->system_s);
}

TEST(ProcStats, RssIsPlausibleAndFollowsTouchedMemory) {
  auto before = read_process(getpid());
  ASSERT_TRUE(before);
  EXPECT_GT(before->rss_mib, 1.0);
  EXPECT_LT(before->rss_mib, 4096.0);
  std::vector<char> block(64 << 20);
  std::memset(block.data(), 1, block.size());  // touched, so resident
  auto after = read_process(getpid());
  ASSERT_TRUE(after);
  EXPECT_GE(after->rss_mib - before->rss_mib, 50.0);
  EXPECT_EQ(block[12345], 1);
}

TEST(ProcStats, GoneProcessIsAnError) {
  auto child = Child::start({"exit 0", fs::temp_directory_path(), {}, temp_log("gone.log")});
  ASSERT_TRUE(child);
  pid_t pid = child->pid();
  ASSERT_EQ(child->wait(5s), 0);  // exited and reaped: /proc has nothing left of it
  EXPECT_FALSE(read_process(pid));
  fs::remove(temp_log("gone.log"));
}

TEST(ProcStats, SystemCpuIsBusyWhileWeBurn) {
  auto from = read_system_cpu();
  auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(from);
  burn_cpu(0.3);
  auto to = read_system_cpu();
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  ASSERT_TRUE(to);
  double busy = busy_percent(*from, *to);
  // At least our own 0.3 s of CPU over the wall time, on all cores (less a tick of slack).
  double cores = static_cast<double>(sysconf(_SC_NPROCESSORS_ONLN));
  EXPECT_GE(busy, 100.0 * 0.25 / (wall * cores));
  EXPECT_LE(busy, 100.0);
  EXPECT_EQ(busy_percent(*to, *from), 0);  // backwards is nothing, not negative
}

TEST(Sampler, SeesABusyChildOverItsWindow) {
  // A shell counting with builtins only (no child processes, whose CPU would not be the
  // shell's): its CPU must show in the samples' first-to-last span.
  auto child = Child::start({"i=0; while [ $i -lt 100000000 ]; do i=$((i+1)); done",
                             fs::temp_directory_path(),
                             {},
                             temp_log("busy.log")});
  ASSERT_TRUE(child) << child.error().message;
  Sampler sampler({child->pid(), -1, getpid()}, 100ms);
  sampler.start();
  std::this_thread::sleep_for(800ms);
  std::vector<Sample> samples = sampler.finish();
  child->stop(1s);
  ASSERT_GE(samples.size(), 6u);
  EXPECT_LT(samples.front().t_s, 0.05);
  EXPECT_GE(samples.back().t_s, 0.75);
  ASSERT_TRUE(samples.front().service && samples.back().service);
  double cpu = samples.back().service->user_s + samples.back().service->system_s -
               samples.front().service->user_s - samples.front().service->system_s;
  // It spun for the whole window, sharing the machine with whatever else runs: some CPU, and
  // never more than the window on every core.
  double cores = static_cast<double>(sysconf(_SC_NPROCESSORS_ONLN));
  EXPECT_GE(cpu, 0.04);
  EXPECT_LE(cpu, samples.back().t_s * cores + 0.02);
  EXPECT_FALSE(samples.front().agent.has_value());
  EXPECT_TRUE(samples.front().collector.has_value());
  for (size_t i = 1; i < samples.size(); ++i) EXPECT_GT(samples[i].t_s, samples[i - 1].t_s);
  fs::remove(temp_log("busy.log"));
}

TEST(Listener, FindsThisProcessListeningOnAPort) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  uint16_t port = ntohs(addr.sin_port);
  EXPECT_FALSE(find_listening_pid(port).has_value());  // bound, not listening yet
  ASSERT_EQ(listen(fd, 1), 0);
  EXPECT_EQ(find_listening_pid(port), getpid());
  close(fd);
  EXPECT_FALSE(find_listening_pid(port).has_value());
}

TEST(Listener, ParsesProcNetTcp) {
  const char* table =
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
      "timeout inode\n"
      "   0: 0100007F:10DE 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        "
      "0 424242 1 0000000000000000 100 0 0 10 0\n"
      "   1: 0100007F:10DE 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        "
      "0 555 1 0000000000000000 100 0 0 10 0\n"
      "   2: 0100007F:10DD 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        "
      "0 777 1 0000000000000000 100 0 0 10 0\n";
  EXPECT_EQ(listening_inodes(table, 4318), (std::vector<uint64_t>{424242}));
  EXPECT_TRUE(listening_inodes(table, 80).empty());
}

TEST(Child, WaitsForTextAndStopsWithSigterm) {
  auto child = Child::start({"echo \"listening on 127.0.0.1:$PORT\"; exec sleep 30",
                             fs::temp_directory_path(),
                             {{"PORT", "4242"}},
                             temp_log("c.log")});
  ASSERT_TRUE(child) << child.error().message;
  auto rest = child->wait_for_text("listening on ", 5s);
  ASSERT_TRUE(rest.has_value());
  EXPECT_EQ(*rest, "127.0.0.1:4242");
  EXPECT_TRUE(child->running());
  EXPECT_EQ(child->stop(2s), -SIGTERM);
  EXPECT_FALSE(child->wait_for_text("never", 100ms).has_value());
  fs::remove(temp_log("c.log"));
}

TEST(Child, NeverReadsThePreviousRunsLog) {
  // A reused --out holds the last run's log under the same name. Before the fix the child
  // truncated it after fork, and a parent reading first found the stale port (a real flake).
  fs::path log = temp_log("stale.log");
  std::ofstream(log) << "listening on 127.0.0.1:1111\n";
  auto child = Child::start({"sleep 0.2; echo \"listening on 127.0.0.1:2222\"; exec sleep 30",
                             fs::temp_directory_path(),
                             {},
                             log});
  ASSERT_TRUE(child) << child.error().message;
  EXPECT_EQ(child->wait_for_text("listening on ", 5s).value_or("nothing"), "127.0.0.1:2222");
  child->stop(2s);
  fs::remove(log);
}

TEST(Child, RunToEndReportsStatusOutputAndTime) {
  auto done = run_to_end(
      {"echo one; echo two >&2; exit 3", fs::temp_directory_path(), {}, temp_log("r.log")}, 10s);
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, 3);
  EXPECT_EQ(done->output, "one\ntwo\n");
  EXPECT_GT(done->seconds, 0);
  EXPECT_EQ(describe_status(done->status), "exit status 3");
  EXPECT_EQ(first_lines("\n a\n\nb\nc\n", 2), " a\nb");
  EXPECT_EQ(last_lines("a\nb\nc\n", 2), "b\nc");
  EXPECT_EQ(last_lines("a", 5), "a");
  fs::remove(temp_log("r.log"));
}

}  // namespace
}  // namespace goinstr::bench
