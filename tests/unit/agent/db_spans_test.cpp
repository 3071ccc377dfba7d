// SPDX-License-Identifier: Apache-2.0
// DbSpans on hand-built database/sql records: pairing, semconv attributes, errors, parents.
#include "agent/db_spans.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace goinstr::agent {
namespace {

constexpr uint32_t kPid = 42;
constexpr uint64_t kServerSpan = 0x1122334455667788ULL;

template <size_t N>
uint16_t put(char (&dst)[N], std::string_view s) {
  size_t n = std::min(N, s.size());
  std::memcpy(dst, s.data(), n);
  return static_cast<uint16_t>(n);
}

db_start make_start(uint64_t goid, uint64_t ts, uint8_t op, std::string_view query,
                    uint64_t parent = 0, uint64_t self = 0xabcdef0012345678ULL) {
  db_start s{};
  s.hdr = {GOINSTR_EVENT_DB_START, kPid, ts};
  s.ctx.self.span_id = self;
  s.ctx.parent_span_id = parent;
  s.ctx.goid = goid;
  s.ctx.parent_via = parent ? GOINSTR_PARENT_DIRECT : GOINSTR_PARENT_NONE;
  s.db_ptr = 0xc000100000;
  s.op = op;
  s.query_len = put(s.query, query);
  return s;
}

db_end make_end(uint64_t goid, uint64_t ts, uint64_t err_itab = 0, std::string_view msg = {}) {
  db_end e{};
  e.hdr = {GOINSTR_EVENT_DB_END, kPid, ts};
  e.goid = goid;
  e.err_itab = err_itab;
  e.err_len = put(e.err_msg, msg);
  return e;
}

std::map<std::string, model::AttributeValue> attrs(const model::Span& s) {
  std::map<std::string, model::AttributeValue> m;
  for (const auto& a : s.attributes) {
    EXPECT_FALSE(m.contains(a.key)) << "duplicate attribute " << a.key;
    m[a.key] = a.value;
  }
  return m;
}

std::string str(const std::map<std::string, model::AttributeValue>& m, const std::string& key) {
  auto it = m.find(key);
  if (it == m.end()) return "<absent>";
  const auto* s = std::get_if<std::string>(&it->second);
  return s ? *s : "<not a string>";
}

DbTarget postgres() {
  return DbTarget{"postgresql", "db.internal", 5432};
}

class DbSpansTest : public ::testing::Test {
 protected:
  std::vector<model::Span> spans;
  std::map<std::pair<uint32_t, uint64_t>, model::TraceId> open_servers;
  int lookups = 0;

  DbSpans make(DbSpanOptions options = {}) {
    return DbSpans([this](model::Span&& s) { spans.push_back(std::move(s)); }, options,
                   [this](uint32_t pid, uint64_t span) -> std::optional<model::TraceId> {
                     ++lookups;
                     auto it = open_servers.find({pid, span});
                     if (it == open_servers.end()) return std::nullopt;
                     return it->second;
                   });
  }
};

TEST_F(DbSpansTest, InsertNamesOperationAndTable) {
  auto db = make();
  db.on_start(
      make_start(7, 1'000, GOINSTR_DB_EXEC, "INSERT INTO users (name, age) VALUES ('bob', 42)"),
      postgres());
  db.on_end(make_end(7, 4'500));
  ASSERT_EQ(spans.size(), 1u);
  const auto& s = spans[0];
  EXPECT_EQ(s.name, "INSERT users");
  EXPECT_EQ(s.kind, model::SpanKind::kClient);
  EXPECT_EQ(s.pid, static_cast<int32_t>(kPid));
  EXPECT_EQ(s.end_unix_ns - s.start_unix_ns, 3'500u);
  EXPECT_EQ(s.status, model::StatusCode::kUnset);
  EXPECT_EQ(s.span_id, span_id_from_u64(0xabcdef0012345678ULL));
  auto a = attrs(s);
  EXPECT_EQ(str(a, "db.system.name"), "postgresql");
  EXPECT_EQ(str(a, "db.operation.name"), "INSERT");
  EXPECT_EQ(str(a, "db.collection.name"), "users");
  EXPECT_EQ(str(a, "server.address"), "db.internal");
  ASSERT_TRUE(a.contains("server.port"));
  EXPECT_EQ(std::get<int64_t>(a["server.port"]), 5432);
  EXPECT_FALSE(a.contains("db.query.text"));  // capture_queries is off by default
  EXPECT_FALSE(a.contains("error.type"));
}

TEST_F(DbSpansTest, SelectWithSchemaQualifiedTable) {
  auto db = make();
  db.on_start(make_start(7, 10, GOINSTR_DB_QUERY, "  select id, n FROM public.visits WHERE id=$1"),
              postgres());
  db.on_end(make_end(7, 20));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].name, "SELECT public.visits");
  auto a = attrs(spans[0]);
  EXPECT_EQ(str(a, "db.operation.name"), "SELECT");
  EXPECT_EQ(str(a, "db.collection.name"), "public.visits");
}

TEST_F(DbSpansTest, BeginAndCommitAreNamedByTheOperation) {
  auto db = make(DbSpanOptions{.capture_queries = true});
  db.on_start(make_start(7, 10, GOINSTR_DB_BEGIN, ""), postgres());
  db.on_end(make_end(7, 20));
  db.on_start(make_start(7, 30, GOINSTR_DB_COMMIT, ""), postgres());
  db.on_end(make_end(7, 40));
  db.on_start(make_start(7, 50, GOINSTR_DB_ROLLBACK, ""), postgres());
  db.on_end(make_end(7, 60));
  ASSERT_EQ(spans.size(), 3u);
  EXPECT_EQ(spans[0].name, "BEGIN");
  EXPECT_EQ(spans[1].name, "COMMIT");
  EXPECT_EQ(spans[2].name, "ROLLBACK");
  for (const auto& s : spans) {
    auto a = attrs(s);
    EXPECT_EQ(str(a, "db.operation.name"), s.name);
    EXPECT_FALSE(a.contains("db.collection.name"));
    EXPECT_FALSE(a.contains("db.query.text"));  // there is no query text to capture
    EXPECT_EQ(str(a, "db.system.name"), "postgresql");
  }
  EXPECT_EQ(db.stats().spans, 3u);
}

TEST_F(DbSpansTest, FixedOperationWinsOverTheQueryText) {
  auto db = make();
  // A COMMIT record never carries a statement, but if it did the op decides the name.
  db.on_start(make_start(7, 10, GOINSTR_DB_COMMIT, "SELECT 1 FROM t"), postgres());
  db.on_end(make_end(7, 20));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].name, "COMMIT");
  EXPECT_FALSE(attrs(spans[0]).contains("db.collection.name"));
}

TEST_F(DbSpansTest, NoOperationFallsBackToTheSystemName) {
  auto db = make();
  db.on_start(make_start(7, 10, GOINSTR_DB_QUERY, ""), DbTarget{});
  db.on_end(make_end(7, 20));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].name, "other_sql");
  auto a = attrs(spans[0]);
  EXPECT_EQ(str(a, "db.system.name"), "other_sql");
  EXPECT_FALSE(a.contains("db.operation.name"));
  EXPECT_FALSE(a.contains("server.address"));
  EXPECT_FALSE(a.contains("server.port"));
}

TEST_F(DbSpansTest, ServerPortOnlyWhenKnown) {
  auto db = make();
  db.on_start(make_start(7, 10, GOINSTR_DB_QUERY, "SELECT 1"), DbTarget{"mysql", "db", 0});
  db.on_end(make_end(7, 20));
  ASSERT_EQ(spans.size(), 1u);
  auto a = attrs(spans[0]);
  EXPECT_EQ(str(a, "server.address"), "db");
  EXPECT_FALSE(a.contains("server.port"));
}

TEST_F(DbSpansTest, QueryTextIsSanitizedWhenCaptured) {
  auto db = make(DbSpanOptions{.capture_queries = true});
  db.on_start(
      make_start(7, 10, GOINSTR_DB_EXEC, "INSERT INTO users (name, age) VALUES ('bob', 42)"),
      postgres());
  db.on_end(make_end(7, 20));
  ASSERT_EQ(spans.size(), 1u);
  auto text = str(attrs(spans[0]), "db.query.text");
  EXPECT_EQ(text, "INSERT INTO users (name, age) VALUES (?, ?)");
  EXPECT_EQ(text.find("bob"), std::string::npos);
  EXPECT_EQ(text.find("42"), std::string::npos);
}

TEST_F(DbSpansTest, SanitizingFollowsTheTargetDialect) {
  auto db = make(DbSpanOptions{.capture_queries = true});
  // MySQL takes "..." as a string: it must be masked there.
  db.on_start(make_start(7, 10, GOINSTR_DB_QUERY, "SELECT * FROM t WHERE a = \"secret\""),
              DbTarget{"mysql", "", 0});
  db.on_end(make_end(7, 20));
  ASSERT_EQ(spans.size(), 1u);
  auto text = str(attrs(spans[0]), "db.query.text");
  EXPECT_EQ(text.find("secret"), std::string::npos) << text;
}

TEST_F(DbSpansTest, RawQueriesKeepLiterals) {
  auto db = make(DbSpanOptions{.capture_queries = true, .raw_queries = true});
  const std::string q = "INSERT INTO users (name, age) VALUES ('bob', 42)";
  db.on_start(make_start(7, 10, GOINSTR_DB_EXEC, q), postgres());
  db.on_end(make_end(7, 20));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(str(attrs(spans[0]), "db.query.text"), q);
}

TEST_F(DbSpansTest, RawQueriesAloneCaptureNothing) {
  auto db = make(DbSpanOptions{.capture_queries = false, .raw_queries = true});
  db.on_start(make_start(7, 10, GOINSTR_DB_EXEC, "DELETE FROM t WHERE id = 1"), postgres());
  db.on_end(make_end(7, 20));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_FALSE(attrs(spans[0]).contains("db.query.text"));
}

TEST_F(DbSpansTest, QueryBytesBecomeValidUtf8AndStayInBounds) {
  auto db = make(DbSpanOptions{.capture_queries = true, .raw_queries = true});
  auto start = make_start(7, 10, GOINSTR_DB_QUERY, "SELECT 'caf\xc3");  // cut mid-character
  db.on_start(start, postgres());
  db.on_end(make_end(7, 20));
  auto big = make_start(8, 10, GOINSTR_DB_QUERY, "");
  std::memset(big.query, 'x', sizeof big.query);
  big.query_len = 60000;  // claims more than the buffer holds
  db.on_start(big, postgres());
  db.on_end(make_end(8, 20));
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(str(attrs(spans[0]), "db.query.text"), "SELECT 'caf\xEF\xBF\xBD");
  EXPECT_EQ(str(attrs(spans[1]), "db.query.text"), std::string(GOINSTR_QUERY_MAX, 'x'));
}

TEST_F(DbSpansTest, ErrorWithMessage) {
  auto db = make();
  db.on_start(make_start(7, 10, GOINSTR_DB_EXEC, "INSERT INTO t VALUES (1)"), postgres());
  db.on_end(make_end(7, 20, 0x4a0000, "pq: duplicate key value"), "*pq.Error",
            "ignored: the record has a message");
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].status, model::StatusCode::kError);
  EXPECT_EQ(spans[0].status_message, "pq: duplicate key value");
  EXPECT_EQ(str(attrs(spans[0]), "error.type"), "*pq.Error");
}

TEST_F(DbSpansTest, ErrorWithOnlyATypeUsesItsFixedMessage) {
  auto db = make();
  db.on_start(make_start(7, 10, GOINSTR_DB_QUERY, "SELECT a FROM t"), postgres());
  db.on_end(make_end(7, 20, 0x4a0000), "*errors.errorString", "sql: no rows in result set");
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].status, model::StatusCode::kError);
  EXPECT_EQ(spans[0].status_message, "sql: no rows in result set");
  EXPECT_EQ(str(attrs(spans[0]), "error.type"), "*errors.errorString");
}

TEST_F(DbSpansTest, ErrorWithOnlyATypeAndNoFixedMessageUsesTheType) {
  auto db = make();
  db.on_start(make_start(7, 10, GOINSTR_DB_QUERY, "SELECT a FROM t"), postgres());
  db.on_end(make_end(7, 20, 0x4a0000), "*net.OpError");
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].status, model::StatusCode::kError);
  EXPECT_EQ(spans[0].status_message, "*net.OpError");
  EXPECT_EQ(str(attrs(spans[0]), "error.type"), "*net.OpError");
}

TEST_F(DbSpansTest, ErrorOfUnknownTypeIsOther) {
  auto db = make();
  db.on_start(make_start(7, 10, GOINSTR_DB_QUERY, "SELECT a FROM t"), postgres());
  db.on_end(make_end(7, 20, 0x4a0000));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].status, model::StatusCode::kError);
  EXPECT_EQ(spans[0].status_message, "error");
  EXPECT_EQ(str(attrs(spans[0]), "error.type"), "_OTHER");
}

TEST_F(DbSpansTest, ErrorMessageIsBoundedByTheRecord) {
  auto db = make();
  db.on_start(make_start(7, 10, GOINSTR_DB_QUERY, "SELECT a FROM t"), postgres());
  auto end = make_end(7, 20, 0x4a0000);
  std::memset(end.err_msg, 'e', sizeof end.err_msg);
  end.err_len = 5000;
  db.on_end(end, "*pq.Error");
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].status_message, std::string(GOINSTR_ERROR_MAX, 'e'));
}

TEST_F(DbSpansTest, NoErrorItabMeansNoErrorEvenWithAType) {
  auto db = make();
  db.on_start(make_start(7, 10, GOINSTR_DB_QUERY, "SELECT a FROM t"), postgres());
  db.on_end(make_end(7, 20, 0, "stale bytes"), "*pq.Error", "msg");
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].status, model::StatusCode::kUnset);
  EXPECT_TRUE(spans[0].status_message.empty());
  EXPECT_FALSE(attrs(spans[0]).contains("error.type"));
}

TEST_F(DbSpansTest, ParentFoundJoinsTheServerTrace) {
  model::TraceId server_trace{};
  server_trace.fill(0x77);
  open_servers[{kPid, kServerSpan}] = server_trace;
  auto db = make();
  db.on_start(make_start(7, 10, GOINSTR_DB_QUERY, "SELECT 1", kServerSpan), postgres());
  db.on_end(make_end(7, 20));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].trace_id, server_trace);
  EXPECT_EQ(spans[0].parent_span_id, span_id_from_u64(kServerSpan));
  EXPECT_TRUE(spans[0].has_parent());
  EXPECT_EQ(db.stats().with_parent, 1u);
}

TEST_F(DbSpansTest, ParentDecidedAtStartNotAtEnd) {
  model::TraceId server_trace{};
  server_trace.fill(0x77);
  open_servers[{kPid, kServerSpan}] = server_trace;
  auto db = make();
  db.on_start(make_start(7, 10, GOINSTR_DB_QUERY, "SELECT 1", kServerSpan), postgres());
  open_servers.clear();  // the request ended before the query's end record arrived
  db.on_end(make_end(7, 20));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].trace_id, server_trace);
  EXPECT_EQ(lookups, 1);
}

TEST_F(DbSpansTest, ParentNotFoundIsARootWithARandomTrace) {
  auto db = make();
  db.on_start(make_start(7, 10, GOINSTR_DB_QUERY, "SELECT 1", kServerSpan), postgres());
  db.on_end(make_end(7, 20));
  db.on_start(make_start(7, 30, GOINSTR_DB_QUERY, "SELECT 2", kServerSpan), postgres());
  db.on_end(make_end(7, 40));
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(lookups, 2);
  for (const auto& s : spans) {
    EXPECT_FALSE(s.has_parent());
    EXPECT_FALSE(model::is_zero(s.trace_id.data(), s.trace_id.size()));
  }
  EXPECT_NE(spans[0].trace_id, spans[1].trace_id);
  EXPECT_EQ(db.stats().with_parent, 0u);
}

TEST_F(DbSpansTest, NoParentButBpfTraceIdUsesIt) {
  auto db = make();
  auto start = make_start(7, 10, GOINSTR_DB_QUERY, "SELECT 1");
  start.ctx.self.flags = GOINSTR_CTX_HAS_TRACE_ID;
  std::memset(start.ctx.self.trace_id, 0x3e, sizeof start.ctx.self.trace_id);
  db.on_start(start, postgres());
  db.on_end(make_end(7, 20));
  ASSERT_EQ(spans.size(), 1u);
  model::TraceId expected{};
  expected.fill(0x3e);
  EXPECT_EQ(spans[0].trace_id, expected);
  EXPECT_FALSE(spans[0].has_parent());
  EXPECT_EQ(lookups, 0);
}

TEST_F(DbSpansTest, PairsByPidAndGoroutine) {
  auto db = make();
  db.on_start(make_start(7, 10, GOINSTR_DB_QUERY, "SELECT a FROM t1"), postgres());
  db.on_start(make_start(8, 11, GOINSTR_DB_QUERY, "SELECT a FROM t2"), postgres());
  auto other_pid = make_start(7, 12, GOINSTR_DB_QUERY, "SELECT a FROM t3");
  other_pid.hdr.pid = kPid + 1;
  db.on_start(other_pid, postgres());
  db.on_end(make_end(8, 100));
  db.on_end(make_end(7, 200));
  auto end_other = make_end(7, 300);
  end_other.hdr.pid = kPid + 1;
  db.on_end(end_other);
  ASSERT_EQ(spans.size(), 3u);
  EXPECT_EQ(spans[0].name, "SELECT t2");
  EXPECT_EQ(spans[1].name, "SELECT t1");
  EXPECT_EQ(spans[2].name, "SELECT t3");
  EXPECT_EQ(spans[2].pid, static_cast<int32_t>(kPid + 1));
  EXPECT_EQ(db.stats().abandoned_starts, 0u);
}

TEST_F(DbSpansTest, EndBeforeStartClampsToZeroDuration) {
  auto db = make();
  db.on_start(make_start(7, 1'000, GOINSTR_DB_QUERY, "SELECT 1"), postgres());
  db.on_end(make_end(7, 500));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].end_unix_ns, spans[0].start_unix_ns);
}

TEST_F(DbSpansTest, UnmatchedEndIsCounted) {
  auto db = make();
  db.on_end(make_end(7, 20));
  db.on_start(make_start(7, 30, GOINSTR_DB_QUERY, "SELECT 1"), postgres());
  db.on_end(make_end(7, 40));
  db.on_end(make_end(7, 50));  // the start was consumed by the previous end
  EXPECT_EQ(db.stats().unmatched_ends, 2u);
  EXPECT_EQ(db.stats().spans, 1u);
  EXPECT_EQ(spans.size(), 1u);
}

TEST_F(DbSpansTest, SecondStartOnTheSameGoroutineAbandonsTheFirst) {
  auto db = make();
  db.on_start(make_start(7, 10, GOINSTR_DB_QUERY, "SELECT a FROM first"), postgres());
  db.on_start(make_start(7, 20, GOINSTR_DB_QUERY, "SELECT a FROM second"), postgres());
  EXPECT_EQ(db.stats().abandoned_starts, 1u);
  db.on_end(make_end(7, 30));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].name, "SELECT second");
  EXPECT_EQ(spans[0].end_unix_ns - spans[0].start_unix_ns, 10u);
}

TEST_F(DbSpansTest, AbandonAllCountsAndForgets) {
  auto db = make();
  db.on_start(make_start(7, 10, GOINSTR_DB_QUERY, "SELECT 1"), postgres());
  db.on_start(make_start(8, 10, GOINSTR_DB_QUERY, "SELECT 2"), postgres());
  db.on_start(make_start(9, 10, GOINSTR_DB_BEGIN, ""), postgres());
  db.abandon_all();
  EXPECT_EQ(db.stats().abandoned_starts, 3u);
  db.on_end(make_end(7, 20));
  EXPECT_TRUE(spans.empty());
  EXPECT_EQ(db.stats().unmatched_ends, 1u);
  db.abandon_all();  // nothing left: nothing more counted
  EXPECT_EQ(db.stats().abandoned_starts, 3u);
}

}  // namespace
}  // namespace goinstr::agent
