// SPDX-License-Identifier: Apache-2.0
#include "export/batch_processor.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <future>
#include <latch>
#include <sstream>

#include "test_spans.hpp"

namespace goinstr::exporter {
namespace {

using namespace std::chrono_literals;
using testing::resource_for;
using testing::server_span;

// Everything the fake saw, shared with the test because the processor owns the exporter.
struct Recorded {
  struct Batch {
    int64_t resource_pid = -1;
    std::vector<model::Span> spans;
  };
  std::mutex mu;
  std::vector<Batch> batches;
  bool shut_down = false;
  // When set, the first export_batch call signals `entered` and waits for `release`.
  std::unique_ptr<std::latch> entered, release;

  size_t span_count() {
    std::lock_guard lock(mu);
    size_t n = 0;
    for (const auto& b : batches) n += b.spans.size();
    return n;
  }
};

class FakeExporter final : public SpanExporter {
 public:
  FakeExporter(std::shared_ptr<Recorded> rec, bool fail = false)
      : rec_(std::move(rec)), fail_(fail) {}

  Result<> export_batch(const model::Resource& resource,
                        std::span<const model::Span> spans) override {
    if (rec_->entered && !gated_once_) {
      gated_once_ = true;
      rec_->entered->count_down();
      rec_->release->wait();
    }
    std::lock_guard lock(rec_->mu);
    Recorded::Batch batch{.resource_pid = -1, .spans = {spans.begin(), spans.end()}};
    for (const auto& a : resource.attributes)
      if (a.key == semconv::kProcessPid) batch.resource_pid = std::get<int64_t>(a.value);
    rec_->batches.push_back(std::move(batch));
    if (fail_) return fail("backend down");
    return {};
  }
  Result<> shutdown() override {
    std::lock_guard lock(rec_->mu);
    rec_->shut_down = true;
    return {};
  }
  std::string name() const override { return "fake"; }

 private:
  std::shared_ptr<Recorded> rec_;
  bool fail_;
  bool gated_once_ = false;
};

std::vector<std::unique_ptr<SpanExporter>> exporters_for(std::shared_ptr<Recorded> rec,
                                                         bool fail = false) {
  std::vector<std::unique_ptr<SpanExporter>> v;
  v.push_back(std::make_unique<FakeExporter>(std::move(rec), fail));
  return v;
}

model::Span span_for_pid(int32_t pid, uint8_t id) {
  auto s = server_span();
  s.pid = pid;
  s.span_id[7] = id;
  return s;
}

// A long interval proves flush() does not rely on the timer.
constexpr BatchOptions kSlowTimer{.max_queue = 8192, .max_batch = 512, .interval = 1h};

TEST(BatchProcessor, FlushExportsEverythingSubmittedBefore) {
  auto rec = std::make_shared<Recorded>();
  BatchProcessor bp(exporters_for(rec), resource_for, kSlowTimer);
  for (uint8_t i = 0; i < 10; ++i) EXPECT_TRUE(bp.submit(span_for_pid(1, i)));
  bp.flush();
  EXPECT_EQ(rec->span_count(), 10u);
  const auto st = bp.stats();
  EXPECT_EQ(st.submitted, 10u);
  EXPECT_EQ(st.exported, 10u);
  EXPECT_EQ(st.dropped_queue_full, 0u);
  EXPECT_EQ(st.dropped_export_failed, 0u);
  bp.flush();  // nothing pending: returns at once
  EXPECT_EQ(rec->span_count(), 10u);
}

TEST(BatchProcessor, IntervalExportsWithoutFlush) {
  auto rec = std::make_shared<Recorded>();
  BatchProcessor bp(exporters_for(rec), resource_for, {.interval = 20ms});
  bp.submit(span_for_pid(1, 1));
  for (int i = 0; i < 200 && rec->span_count() == 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(rec->span_count(), 1u);
}

TEST(BatchProcessor, GroupsByPidWithThatPidsResource) {
  auto rec = std::make_shared<Recorded>();
  BatchProcessor bp(exporters_for(rec), resource_for, kSlowTimer);
  bp.submit(span_for_pid(10, 1));
  bp.submit(span_for_pid(20, 2));
  bp.submit(span_for_pid(10, 3));
  bp.flush();
  std::lock_guard lock(rec->mu);
  ASSERT_EQ(rec->batches.size(), 2u);
  for (const auto& b : rec->batches) {
    for (const auto& s : b.spans) EXPECT_EQ(s.pid, b.resource_pid);
  }
  EXPECT_EQ(rec->batches[0].resource_pid, 10);
  ASSERT_EQ(rec->batches[0].spans.size(), 2u);
  EXPECT_EQ(rec->batches[0].spans[0].span_id[7], 1);  // submission order kept within a pid
  EXPECT_EQ(rec->batches[0].spans[1].span_id[7], 3);
  EXPECT_EQ(rec->batches[1].resource_pid, 20);
}

TEST(BatchProcessor, SplitsIntoMaxBatch) {
  auto rec = std::make_shared<Recorded>();
  BatchProcessor bp(exporters_for(rec), resource_for,
                    {.max_queue = 100, .max_batch = 3, .interval = 1h});
  for (uint8_t i = 0; i < 7; ++i) bp.submit(span_for_pid(1, i));
  bp.flush();
  std::lock_guard lock(rec->mu);
  size_t total = 0;
  for (const auto& b : rec->batches) {
    EXPECT_LE(b.spans.size(), 3u);
    total += b.spans.size();
  }
  EXPECT_EQ(total, 7u);
}

TEST(BatchProcessor, DropsAndCountsWhenQueueIsFullWithoutBlocking) {
  auto rec = std::make_shared<Recorded>();
  rec->entered = std::make_unique<std::latch>(1);
  rec->release = std::make_unique<std::latch>(1);
  BatchProcessor bp(exporters_for(rec), resource_for,
                    {.max_queue = 2, .max_batch = 512, .interval = 1h});
  ASSERT_TRUE(bp.submit(span_for_pid(1, 1)));
  auto first_flush = std::async(std::launch::async, [&] { bp.flush(); });
  rec->entered->wait();  // the worker now holds span 1 inside the blocked exporter
  EXPECT_TRUE(bp.submit(span_for_pid(1, 2)));
  EXPECT_TRUE(bp.submit(span_for_pid(1, 3)));
  EXPECT_FALSE(bp.submit(span_for_pid(1, 4)));  // returns at once although the exporter hangs
  EXPECT_FALSE(bp.submit(span_for_pid(1, 5)));
  rec->release->count_down();
  first_flush.get();
  bp.flush();
  const auto st = bp.stats();
  EXPECT_EQ(st.submitted, 3u);
  EXPECT_EQ(st.dropped_queue_full, 2u);
  EXPECT_EQ(st.exported, 3u);
  EXPECT_EQ(rec->span_count(), 3u);
}

TEST(BatchProcessor, EveryExporterGetsEveryBatchAndFailuresAreCounted) {
  auto good = std::make_shared<Recorded>();
  auto bad = std::make_shared<Recorded>();
  std::vector<std::unique_ptr<SpanExporter>> exporters;
  exporters.push_back(std::make_unique<FakeExporter>(good));
  exporters.push_back(std::make_unique<FakeExporter>(bad, /*fail=*/true));
  BatchProcessor bp(std::move(exporters), resource_for, kSlowTimer);
  for (int round = 0; round < 3; ++round) {  // repeated failures must not stop delivery
    for (uint8_t i = 0; i < 4; ++i) bp.submit(span_for_pid(round + 1, i));
    bp.flush();
  }
  EXPECT_EQ(good->span_count(), 12u);
  EXPECT_EQ(bad->span_count(), 12u);
  const auto st = bp.stats();
  EXPECT_EQ(st.submitted, 12u);
  EXPECT_EQ(st.exported, 12u);               // deliveries to the good exporter
  EXPECT_EQ(st.dropped_export_failed, 12u);  // deliveries the bad exporter failed
}

TEST(BatchProcessor, FailureWarningsAreRateLimited) {
  std::ostringstream log;
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>(
      "capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(log)));
  {
    auto rec = std::make_shared<Recorded>();
    BatchProcessor bp(exporters_for(rec, /*fail=*/true), resource_for, kSlowTimer);
    for (uint8_t i = 0; i < 20; ++i) {  // 20 failed batches while the backend is down
      bp.submit(span_for_pid(1, i));
      bp.flush();
    }
    EXPECT_EQ(bp.stats().dropped_export_failed, 20u);
  }
  spdlog::set_default_logger(previous);
  const std::string text = log.str();
  size_t warnings = 0;
  for (size_t pos = 0; (pos = text.find("span(s) dropped", pos)) != std::string::npos; ++pos)
    ++warnings;
  EXPECT_EQ(warnings, 1u) << text;
  EXPECT_NE(text.find("backend down"), std::string::npos);
}

TEST(BatchProcessor, ShutdownDrainsQueueAndShutsExportersDown) {
  auto rec = std::make_shared<Recorded>();
  BatchProcessor bp(exporters_for(rec), resource_for, kSlowTimer);
  for (uint8_t i = 0; i < 5; ++i) bp.submit(span_for_pid(1, i));
  bp.shutdown();
  EXPECT_EQ(rec->span_count(), 5u);
  EXPECT_TRUE(rec->shut_down);
  EXPECT_FALSE(bp.submit(span_for_pid(1, 9)));
  EXPECT_EQ(bp.stats().dropped_queue_full, 1u);
  bp.flush();     // no-op after shutdown, must not hang
  bp.shutdown();  // idempotent
}

TEST(BatchProcessor, ConcurrentSubmittersAreAllAccountedFor) {
  auto rec = std::make_shared<Recorded>();
  BatchProcessor bp(exporters_for(rec), resource_for,
                    {.max_queue = 64, .max_batch = 16, .interval = 1ms});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&bp, t] {
      for (int i = 0; i < 1000; ++i) bp.submit(span_for_pid(t, static_cast<uint8_t>(i)));
    });
  }
  for (auto& th : threads) th.join();
  bp.flush();
  const auto st = bp.stats();
  EXPECT_EQ(st.submitted + st.dropped_queue_full, 4000u);
  EXPECT_EQ(st.exported, st.submitted);
  EXPECT_EQ(rec->span_count(), st.submitted);
}

}  // namespace
}  // namespace goinstr::exporter
