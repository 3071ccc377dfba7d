// SPDX-License-Identifier: Apache-2.0
// child_ids(): where a database or client span's trace and parent come from.
#include "agent/span_ids.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <utility>

namespace goinstr::agent {
namespace {

constexpr uint64_t kServerSpan = 0x1122334455667788ULL;
constexpr uint64_t kChildSpan = 0x0102030405060708ULL;

model::TraceId trace_of_byte(uint8_t b) {
  model::TraceId t{};
  t.fill(b);
  return t;
}

goinstr_child_ctx make_ctx(uint64_t self, uint64_t parent, uint32_t via) {
  goinstr_child_ctx c{};
  c.self.span_id = self;
  c.parent_span_id = parent;
  c.goid = 7;
  c.parent_via = via;
  return c;
}

// A lookup that knows one open server span per (pid, span id), and counts its calls.
struct FakeLookup {
  std::map<std::pair<uint32_t, uint64_t>, model::TraceId> open;
  int calls = 0;
  TraceLookup fn() {
    return [this](uint32_t pid, uint64_t span) -> std::optional<model::TraceId> {
      ++calls;
      auto it = open.find({pid, span});
      if (it == open.end()) return std::nullopt;
      return it->second;
    };
  }
};

TEST(SpanIds, U64IsTheIdInMemoryOrder) {
  // x86-64 is little-endian: the low byte comes first, as BPF's bytes (and injected hex) do.
  EXPECT_EQ(model::to_hex(span_id_from_u64(0x0102030405060708ULL)), "0807060504030201");
  uint8_t raw[16];
  for (int i = 0; i < 16; ++i) raw[i] = static_cast<uint8_t>(0xa0 + i);
  EXPECT_EQ(model::to_hex(trace_id_from_bytes(raw)), "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");
}

TEST(SpanIds, RandomTraceIdsAreNonZeroAndDiffer) {
  std::mt19937_64 rng(1);
  auto a = random_trace_id(rng);
  auto b = random_trace_id(rng);
  EXPECT_FALSE(model::is_zero(a.data(), a.size()));
  EXPECT_FALSE(model::is_zero(b.data(), b.size()));
  EXPECT_NE(a, b);
}

TEST(SpanIds, ParentFoundJoinsItsTrace) {
  FakeLookup lookup;
  lookup.open[{42, kServerSpan}] = trace_of_byte(0xab);
  std::mt19937_64 rng(1);
  auto ids =
      child_ids(make_ctx(kChildSpan, kServerSpan, GOINSTR_PARENT_DIRECT), 42, lookup.fn(), rng);
  EXPECT_EQ(ids.trace_id, trace_of_byte(0xab));
  EXPECT_EQ(ids.parent_span_id, span_id_from_u64(kServerSpan));
  EXPECT_EQ(ids.span_id, span_id_from_u64(kChildSpan));
  EXPECT_EQ(lookup.calls, 1);
  EXPECT_NE(ids.why.find("the request this goroutine serves"), std::string::npos) << ids.why;
}

TEST(SpanIds, InheritedParentSaysSo) {
  FakeLookup lookup;
  lookup.open[{42, kServerSpan}] = trace_of_byte(0xab);
  std::mt19937_64 rng(1);
  auto ids =
      child_ids(make_ctx(kChildSpan, kServerSpan, GOINSTR_PARENT_INHERITED), 42, lookup.fn(), rng);
  EXPECT_EQ(ids.trace_id, trace_of_byte(0xab));
  EXPECT_NE(ids.why.find("goroutine that started this one"), std::string::npos) << ids.why;
}

TEST(SpanIds, LookupIsByPidToo) {
  FakeLookup lookup;
  lookup.open[{42, kServerSpan}] = trace_of_byte(0xab);
  std::mt19937_64 rng(1);
  auto ids =
      child_ids(make_ctx(kChildSpan, kServerSpan, GOINSTR_PARENT_DIRECT), 43, lookup.fn(), rng);
  EXPECT_NE(ids.trace_id, trace_of_byte(0xab));
  EXPECT_TRUE(model::is_zero(ids.parent_span_id.data(), ids.parent_span_id.size()));
}

TEST(SpanIds, ParentNotFoundIsARootInARandomTrace) {
  FakeLookup lookup;  // the server span's record was never seen
  std::mt19937_64 rng(1);
  auto ids =
      child_ids(make_ctx(kChildSpan, kServerSpan, GOINSTR_PARENT_DIRECT), 42, lookup.fn(), rng);
  EXPECT_EQ(lookup.calls, 1);
  EXPECT_TRUE(model::is_zero(ids.parent_span_id.data(), ids.parent_span_id.size()));
  EXPECT_FALSE(model::is_zero(ids.trace_id.data(), ids.trace_id.size()));
  EXPECT_EQ(ids.span_id, span_id_from_u64(kChildSpan));
  EXPECT_NE(ids.why.find("not seen"), std::string::npos) << ids.why;
  // Random: another child in the same situation gets another trace.
  auto other =
      child_ids(make_ctx(kChildSpan + 1, kServerSpan, GOINSTR_PARENT_DIRECT), 42, lookup.fn(), rng);
  EXPECT_NE(ids.trace_id, other.trace_id);
}

TEST(SpanIds, NoLookupFunctionIsARoot) {
  std::mt19937_64 rng(1);
  auto ids =
      child_ids(make_ctx(kChildSpan, kServerSpan, GOINSTR_PARENT_DIRECT), 42, TraceLookup{}, rng);
  EXPECT_TRUE(model::is_zero(ids.parent_span_id.data(), ids.parent_span_id.size()));
  EXPECT_FALSE(model::is_zero(ids.trace_id.data(), ids.trace_id.size()));
}

TEST(SpanIds, NoParentButBpfTraceIdUsesIt) {
  FakeLookup lookup;
  std::mt19937_64 rng(1);
  auto ctx = make_ctx(kChildSpan, 0, GOINSTR_PARENT_NONE);
  ctx.self.flags = GOINSTR_CTX_HAS_TRACE_ID;
  std::memset(ctx.self.trace_id, 0x5c, sizeof ctx.self.trace_id);
  auto ids = child_ids(ctx, 42, lookup.fn(), rng);
  EXPECT_EQ(ids.trace_id, trace_of_byte(0x5c));
  EXPECT_TRUE(model::is_zero(ids.parent_span_id.data(), ids.parent_span_id.size()));
  EXPECT_EQ(lookup.calls, 0);  // no parent span id: nothing to look up
}

TEST(SpanIds, BpfTraceIdWithoutTheFlagIsIgnored) {
  std::mt19937_64 rng(1);
  auto ctx = make_ctx(kChildSpan, 0, GOINSTR_PARENT_NONE);
  std::memset(ctx.self.trace_id, 0x5c, sizeof ctx.self.trace_id);  // flags: 0
  auto ids = child_ids(ctx, 42, TraceLookup{}, rng);
  EXPECT_NE(ids.trace_id, trace_of_byte(0x5c));
  EXPECT_FALSE(model::is_zero(ids.trace_id.data(), ids.trace_id.size()));
}

TEST(SpanIds, ParentLookupFailsButBpfTraceIdKeepsTheTrace) {
  FakeLookup lookup;
  std::mt19937_64 rng(1);
  auto ctx = make_ctx(kChildSpan, kServerSpan, GOINSTR_PARENT_DIRECT);
  ctx.self.flags = GOINSTR_CTX_HAS_TRACE_ID;
  std::memset(ctx.self.trace_id, 0x5c, sizeof ctx.self.trace_id);
  auto ids = child_ids(ctx, 42, lookup.fn(), rng);
  EXPECT_EQ(ids.trace_id, trace_of_byte(0x5c));
  EXPECT_TRUE(model::is_zero(ids.parent_span_id.data(), ids.parent_span_id.size()));
}

TEST(SpanIds, EndedRequestIsNotAParent) {
  FakeLookup lookup;
  std::mt19937_64 rng(1);
  auto ids = child_ids(make_ctx(kChildSpan, 0, GOINSTR_PARENT_ENDED), 42, lookup.fn(), rng);
  EXPECT_TRUE(model::is_zero(ids.parent_span_id.data(), ids.parent_span_id.size()));
  EXPECT_NE(ids.why.find("already ended"), std::string::npos) << ids.why;
}

}  // namespace
}  // namespace goinstr::agent
