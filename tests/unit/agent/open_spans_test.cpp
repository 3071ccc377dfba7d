// SPDX-License-Identifier: Apache-2.0
// OpenSpans<T>, the table of open spans every server family uses: pairing by (pid, pointer), the
// index by BPF span id, expiry in arrival order, the bound on open spans, the queue's compaction,
// and the memory of recent closes that tells a repeated end from one whose start was missed.
#include "agent/open_spans.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace goinstr::agent {
namespace {

constexpr uint32_t kPid = 42;
constexpr size_t kRecentlyClosed = 4096;  // OpenSpans::kRecentlyClosed

struct Item {
  uint64_t start_ns = 0;
  uint64_t bpf_span_id = 0;
  model::TraceId trace_id{};
  std::string tag;
};

model::TraceId trace(uint8_t b) {
  model::TraceId t{};
  t.fill(b);
  return t;
}

Item item(uint64_t start_ns, uint64_t span, uint8_t trace_byte, std::string tag = {}) {
  return Item{start_ns, span, trace(trace_byte), std::move(tag)};
}

TEST(OpenSpans, OpenFindCloseByPidAndPointer) {
  OpenSpans<Item> open(1'000, 16);
  EXPECT_EQ(open.open({kPid, 0x10}, item(1, 0xa1, 1, "a")), 0u);
  EXPECT_EQ(open.open({kPid + 1, 0x10}, item(2, 0xa2, 2, "other pid")), 0u);
  EXPECT_EQ(open.size(), 2u);
  ASSERT_NE(open.find({kPid, 0x10}), nullptr);
  EXPECT_EQ(open.find({kPid, 0x10})->tag, "a");
  EXPECT_EQ(open.find({kPid + 1, 0x10})->tag, "other pid");
  EXPECT_EQ(open.find({kPid, 0x11}), nullptr);
  auto closed = open.close({kPid, 0x10});
  ASSERT_TRUE(closed);
  EXPECT_EQ(closed->tag, "a");
  EXPECT_EQ(closed->trace_id, trace(1));
  EXPECT_EQ(open.size(), 1u);
  EXPECT_EQ(open.find({kPid, 0x10}), nullptr);
  EXPECT_FALSE(open.close({kPid, 0x10}));  // closed already
  EXPECT_FALSE(open.close({kPid, 0x99}));  // never opened
}

TEST(OpenSpans, FindGivesAMutableSpan) {
  OpenSpans<Item> open(1'000, 16);
  open.open({kPid, 0x10}, item(1, 0xa1, 1));
  open.find({kPid, 0x10})->tag = "changed";
  EXPECT_EQ(open.close({kPid, 0x10})->tag, "changed");
}

TEST(OpenSpans, TraceOfWhileOpenOnly) {
  OpenSpans<Item> open(1'000, 16);
  open.open({kPid, 0x10}, item(1, 0xa1, 7));
  ASSERT_TRUE(open.trace_of(kPid, 0xa1));
  EXPECT_EQ(*open.trace_of(kPid, 0xa1), trace(7));
  EXPECT_FALSE(open.trace_of(kPid + 1, 0xa1));  // another process
  EXPECT_FALSE(open.trace_of(kPid, 0x10));      // the pointer is not a span id
  open.close({kPid, 0x10});
  EXPECT_FALSE(open.trace_of(kPid, 0xa1));
}

TEST(OpenSpans, ReusedKeyGivesUpTheOldSpan) {
  OpenSpans<Item> open(1'000, 16);
  open.open({kPid, 0x10}, item(1, 0xa1, 1, "first"));
  EXPECT_EQ(open.open({kPid, 0x10}, item(2, 0xa2, 2, "second")), 1u);
  EXPECT_EQ(open.size(), 1u);
  EXPECT_FALSE(open.trace_of(kPid, 0xa1));
  EXPECT_EQ(*open.trace_of(kPid, 0xa2), trace(2));
  EXPECT_EQ(open.find({kPid, 0x10})->tag, "second");
  // The first one's arrival entry is stale now: expiring at its age gives up nothing.
  EXPECT_EQ(open.expire(1 + 1'000 + 1), 0u);
  EXPECT_EQ(open.expire(2 + 1'000 + 1), 1u);
}

TEST(OpenSpans, ExpireWalksArrivalOrderAndSkipsClosedSpans) {
  OpenSpans<Item> open(100, 16);
  open.open({kPid, 0xa}, item(10, 0xa1, 1));
  open.open({kPid, 0xb}, item(20, 0xb1, 2));
  open.open({kPid, 0xc}, item(500, 0xc1, 3));
  open.close({kPid, 0xa});
  EXPECT_EQ(open.expire(110), 0u);  // 0xb is exactly at the limit: not yet
  EXPECT_EQ(open.expire(200), 1u);  // 0xb is 180 ns old
  EXPECT_EQ(open.size(), 1u);
  EXPECT_FALSE(open.trace_of(kPid, 0xb1));
  EXPECT_TRUE(open.trace_of(kPid, 0xc1));
  EXPECT_EQ(open.expire(300), 0u);
  EXPECT_EQ(open.expire(601), 1u);
  EXPECT_EQ(open.size(), 0u);
  EXPECT_EQ(open.expire(10'000), 0u);
}

TEST(OpenSpans, ExpireStopsAtAStartFromTheFuture) {
  // A start stamped after `now` (records from another CPU) is not old, and what queued behind it
  // waits for it.
  OpenSpans<Item> open(100, 16);
  open.open({kPid, 0xa}, item(1'000, 0xa1, 1));
  open.open({kPid, 0xb}, item(10, 0xb1, 2));
  EXPECT_EQ(open.expire(500), 0u);
  EXPECT_EQ(open.size(), 2u);
  EXPECT_EQ(open.expire(1'101), 2u);
}

TEST(OpenSpans, BoundGivesUpTheOldest) {
  OpenSpans<Item> open(1'000'000, 3);
  uint64_t given_up = 0;
  for (uint64_t i = 1; i <= 5; ++i) given_up += open.open({kPid, i}, item(i, 0x100 + i, 1));
  EXPECT_EQ(given_up, 2u);
  EXPECT_EQ(open.size(), 3u);
  EXPECT_EQ(open.find({kPid, 1}), nullptr);
  EXPECT_EQ(open.find({kPid, 2}), nullptr);
  EXPECT_FALSE(open.trace_of(kPid, 0x101));
  EXPECT_FALSE(open.trace_of(kPid, 0x102));
  for (uint64_t i = 3; i <= 5; ++i) EXPECT_NE(open.find({kPid, i}), nullptr) << i;
}

TEST(OpenSpans, BoundSkipsClosedSpansAtTheFront) {
  OpenSpans<Item> open(1'000'000, 2);
  open.open({kPid, 1}, item(1, 0x101, 1));
  open.open({kPid, 2}, item(2, 0x102, 1));
  open.close({kPid, 1});
  EXPECT_EQ(open.open({kPid, 3}, item(3, 0x103, 1)), 0u);
  EXPECT_EQ(open.open({kPid, 4}, item(4, 0x104, 1)), 1u);  // 2 goes, not the closed 1
  EXPECT_EQ(open.find({kPid, 2}), nullptr);
  EXPECT_NE(open.find({kPid, 3}), nullptr);
  EXPECT_NE(open.find({kPid, 4}), nullptr);
}

TEST(OpenSpans, ClearGivesUpEverything) {
  OpenSpans<Item> open(1'000, 16);
  open.open({kPid, 1}, item(1, 0x101, 1));
  open.open({kPid, 2}, item(2, 0x102, 1));
  open.close({kPid, 2});
  open.open({kPid, 3}, item(3, 0x103, 1));
  EXPECT_EQ(open.clear(), 2u);
  EXPECT_EQ(open.size(), 0u);
  EXPECT_FALSE(open.trace_of(kPid, 0x101));
  EXPECT_FALSE(open.trace_of(kPid, 0x103));
  EXPECT_EQ(open.expire(1'000'000), 0u);
  EXPECT_EQ(open.clear(), 0u);
}

// Many short requests pass while one stays open: the queue is compacted, and neither trace_of
// nor the expiry of the long one may suffer from it.
TEST(OpenSpans, CompactionKeepsALongOpenSpanBehindManyClosedOnes) {
  constexpr uint64_t kMaxAge = 1'000'000'000;
  OpenSpans<Item> open(kMaxAge, 65536);
  open.open({kPid, 0x1}, item(1, 0x5150, 0x77, "long"));
  for (uint64_t i = 0; i < 20'000; ++i) {
    uint64_t ptr = 0x10000 + i;
    EXPECT_EQ(open.open({kPid, ptr}, item(2 + i, 0x900000 + i, 0x11)), 0u);
    ASSERT_TRUE(open.close({kPid, ptr}));
    if (i % 4096 == 0) {
      ASSERT_TRUE(open.trace_of(kPid, 0x5150)) << i;
      EXPECT_EQ(*open.trace_of(kPid, 0x5150), trace(0x77));
    }
  }
  // A few open ones queued behind the compaction too.
  open.open({kPid, 0x2}, item(30'000, 0x6160, 0x88, "later"));
  EXPECT_EQ(open.size(), 2u);
  ASSERT_TRUE(open.trace_of(kPid, 0x5150));
  EXPECT_EQ(*open.trace_of(kPid, 0x5150), trace(0x77));
  EXPECT_EQ(*open.trace_of(kPid, 0x6160), trace(0x88));
  EXPECT_FALSE(open.trace_of(kPid, 0x900000));
  EXPECT_FALSE(open.trace_of(kPid, 0x900000 + 19'999));
  ASSERT_NE(open.find({kPid, 0x1}), nullptr);
  EXPECT_EQ(open.find({kPid, 0x1})->tag, "long");
  // The long one still expires on time, and only it.
  EXPECT_EQ(open.expire(1 + kMaxAge), 0u);
  EXPECT_EQ(open.expire(2 + kMaxAge), 1u);
  EXPECT_FALSE(open.trace_of(kPid, 0x5150));
  EXPECT_TRUE(open.trace_of(kPid, 0x6160));
  EXPECT_EQ(open.expire(30'001 + kMaxAge), 1u);
  EXPECT_EQ(open.size(), 0u);
}

TEST(OpenSpans, CompactionKeepsTheBoundInArrivalOrder) {
  OpenSpans<Item> open(1'000'000'000, 3);
  open.open({kPid, 0xa}, item(1, 0x10a, 1, "oldest"));
  open.open({kPid, 0xb}, item(2, 0x10b, 2, "second"));
  for (uint64_t i = 0; i < 20'000; ++i) {
    ASSERT_EQ(open.open({kPid, 0x10000 + i}, item(3 + i, 0x900000 + i, 3)), 0u) << i;
    open.close({kPid, 0x10000 + i});
  }
  EXPECT_EQ(open.open({kPid, 0xc}, item(30'000, 0x10c, 4)), 0u);
  EXPECT_EQ(open.open({kPid, 0xd}, item(30'001, 0x10d, 5)), 1u);
  EXPECT_EQ(open.find({kPid, 0xa}), nullptr);  // the oldest goes first
  EXPECT_NE(open.find({kPid, 0xb}), nullptr);
  EXPECT_EQ(open.open({kPid, 0xe}, item(30'002, 0x10e, 6)), 1u);
  EXPECT_EQ(open.find({kPid, 0xb}), nullptr);
  EXPECT_NE(open.find({kPid, 0xc}), nullptr);
  EXPECT_EQ(open.size(), 3u);
}

TEST(OpenSpans, RecentlyClosedRemembersTheLastCloses) {
  OpenSpans<Item> open(1'000, 65536);
  EXPECT_FALSE(open.recently_closed({kPid, 0x10}));
  open.open({kPid, 0x10}, item(1, 0xa1, 1));
  EXPECT_FALSE(open.recently_closed({kPid, 0x10}));  // open, not closed
  open.close({kPid, 0x10});
  EXPECT_TRUE(open.recently_closed({kPid, 0x10}));
  EXPECT_FALSE(open.recently_closed({kPid + 1, 0x10}));
  // Opened again: no longer "closed".
  open.open({kPid, 0x10}, item(2, 0xa2, 1));
  EXPECT_FALSE(open.recently_closed({kPid, 0x10}));
}

TEST(OpenSpans, RecentlyClosedForgetsBeyondItsWindow) {
  OpenSpans<Item> open(1'000, 65536);
  open.open({kPid, 0x10}, item(1, 0xa1, 1));
  open.close({kPid, 0x10});
  for (uint64_t i = 0; i < kRecentlyClosed - 1; ++i) {
    open.open({kPid, 0x10000 + i}, item(2 + i, 0x900000 + i, 1));
    open.close({kPid, 0x10000 + i});
  }
  EXPECT_TRUE(open.recently_closed({kPid, 0x10}));  // the oldest of the last 4096 closes
  open.open({kPid, 0x20000}, item(10'000, 0x700000, 1));
  open.close({kPid, 0x20000});
  EXPECT_FALSE(open.recently_closed({kPid, 0x10}));  // 4097 closes ago
  EXPECT_TRUE(open.recently_closed({kPid, 0x20000}));
}

TEST(OpenSpans, ExpiredAndGivenUpSpansAreNotRecentlyClosed) {
  // An end for a span that was given up is one whose start is gone: the caller counts it.
  OpenSpans<Item> open(100, 1);
  open.open({kPid, 0x1}, item(1, 0x101, 1));
  open.open({kPid, 0x2}, item(2, 0x102, 1));  // gives up 0x1
  open.expire(1'000);                         // gives up 0x2
  EXPECT_FALSE(open.recently_closed({kPid, 0x1}));
  EXPECT_FALSE(open.recently_closed({kPid, 0x2}));
}

// Regression: a reopened key's stale entry in the close queue used to evict its newer close
// early, so grpc's repeated end calls for a reused stream pointer counted as unmatched ends.
TEST(OpenSpans, RecentlyClosedSurvivesKeyReuse) {
  {
    // Closed, reopened, closed again, then 4095 other closes: its last close is one of the last
    // 4096, so it is still recently closed.
    OpenSpans<Item> open(1'000, 65536);
    open.open({kPid, 0x10}, item(1, 0xa1, 1));
    open.close({kPid, 0x10});
    open.open({kPid, 0x10}, item(2, 0xa2, 1));
    open.close({kPid, 0x10});
    for (uint64_t i = 0; i < kRecentlyClosed - 1; ++i) {
      open.open({kPid, 0x10000 + i}, item(3 + i, 0x900000 + i, 1));
      open.close({kPid, 0x10000 + i});
    }
    EXPECT_TRUE(open.recently_closed({kPid, 0x10}));
  }
  {
    // One pointer reused for every request: right after its 4097th close it must be recently
    // closed (it was closed a moment ago).
    OpenSpans<Item> open(1'000, 65536);
    for (uint64_t i = 0; i <= kRecentlyClosed; ++i) {
      open.open({kPid, 0x10}, item(1 + i, 0xa000 + i, 1));
      open.close({kPid, 0x10});
      ASSERT_TRUE(open.recently_closed({kPid, 0x10})) << "after close " << i + 1;
    }
  }
}

}  // namespace
}  // namespace goinstr::agent
