// SPDX-License-Identifier: Apache-2.0
#include "sqltext/sql_summary.hpp"

#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace goinstr::sqltext {
namespace {

void expect_summary(std::string_view sql, std::string_view op, std::string_view collection) {
  QuerySummary s = summarize(sql);
  EXPECT_EQ(s.operation, op) << sql;
  EXPECT_EQ(s.collection, collection) << sql;
}

// ---- summarize: operation ----

TEST(Summarize, OperationIsFirstKeywordUpperCased) {
  expect_summary("select 1", "SELECT", "");
  expect_summary("  \n\tInsert into t values (1)", "INSERT", "t");
  expect_summary("BEGIN", "BEGIN", "");
  expect_summary("commit", "COMMIT", "");
  expect_summary("ROLLBACK", "ROLLBACK", "");
  expect_summary("CALL do_things(1)", "CALL", "");
  expect_summary("EXPLAIN SELECT * FROM t", "EXPLAIN", "");
  expect_summary("SHOW TABLES", "SHOW", "");
  expect_summary("VACUUM ANALYZE t", "VACUUM", "");
}

TEST(Summarize, SkipsLeadingComments) {
  expect_summary("-- fetch\nSELECT * FROM t", "SELECT", "t");
  expect_summary("/* a */ /* b /* nested */ still b */ update t set a = 1", "UPDATE", "t");
  expect_summary("/*+ hint */\n-- x\n  DELETE FROM t", "DELETE", "t");
}

TEST(Summarize, NothingToSummarize) {
  expect_summary("", "", "");
  expect_summary("   ", "", "");
  expect_summary("-- only a comment", "", "");
  expect_summary("/* unterminated", "", "");
  expect_summary("'text'", "", "");
  expect_summary("42", "", "");
  expect_summary("\"quoted\"", "", "");
  expect_summary("sp_who2", "", "");  // not a keyword
}

TEST(Summarize, OnlyTheFirstStatement) {
  expect_summary("BEGIN; INSERT INTO t VALUES (1); COMMIT", "BEGIN", "");
  expect_summary("SELECT * FROM a; SELECT * FROM b", "SELECT", "a");
}

// ---- summarize: collection per statement ----

TEST(Summarize, Select) {
  expect_summary("SELECT * FROM visits WHERE id = $1", "SELECT", "visits");
  expect_summary("SELECT a, b FROM public.visits v", "SELECT", "public.visits");
  expect_summary("SELECT * FROM ONLY parent", "SELECT", "parent");
  expect_summary("SELECT count(*) FROM t", "SELECT", "t");
  expect_summary("SELECT EXTRACT(YEAR FROM ts), SUBSTRING(s FROM 2) FROM events", "SELECT",
                 "events");
  expect_summary("SELECT a IS DISTINCT FROM b FROM t", "SELECT", "t");
  expect_summary("SELECT a IS NOT DISTINCT FROM b, c FROM t", "SELECT", "t");
  expect_summary("SELECT (SELECT max(x) FROM inner_t) FROM outer_t", "SELECT", "outer_t");
  expect_summary("(SELECT a FROM t1) UNION (SELECT a FROM t2)", "SELECT", "t1");
  expect_summary("SELECT 1", "SELECT", "");
  expect_summary("SELECT now()", "SELECT", "");
}

TEST(Summarize, SelectJoinsTakeTheFirstTable) {
  expect_summary("SELECT * FROM orders o JOIN customers c ON c.id = o.cid", "SELECT", "orders");
  expect_summary("SELECT * FROM orders LEFT OUTER JOIN items USING (oid)", "SELECT", "orders");
  expect_summary("SELECT * FROM a, b WHERE a.id = b.id", "SELECT", "a");
}

TEST(Summarize, SelectFromSomethingOtherThanATable) {
  expect_summary("SELECT * FROM (SELECT * FROM t) sub", "SELECT", "");
  expect_summary("SELECT * FROM generate_series(1, 10)", "SELECT", "");
  expect_summary("SELECT * FROM LATERAL f(x)", "SELECT", "");
  expect_summary("SELECT * FROM pg_catalog.unnest(ARRAY[1, 2])", "SELECT", "");
  expect_summary("SELECT 1 FROM DUAL", "SELECT", "");
  expect_summary("SELECT * FROM ?", "SELECT", "");
  expect_summary("SELECT * FROM db..t", "SELECT", "");
  expect_summary("SELECT * FROM", "SELECT", "");
}

TEST(Summarize, QuotedIdentifiersLoseTheirQuotes) {
  expect_summary("SELECT * FROM \"Visits\"", "SELECT", "Visits");
  expect_summary("SELECT * FROM `visits`", "SELECT", "visits");
  expect_summary("SELECT * FROM [visits]", "SELECT", "visits");
  expect_summary("SELECT * FROM \"public\".\"Visits\"", "SELECT", "public.Visits");
  expect_summary("SELECT * FROM [dbo].[My Table]", "SELECT", "dbo.My Table");
  expect_summary("SELECT * FROM `shop`.`order items`", "SELECT", "shop.order items");
  expect_summary("SELECT * FROM \"we\"\"ird\"", "SELECT", "we\"ird");
  expect_summary("SELECT * FROM \"\"", "SELECT", "");
}

TEST(Summarize, StringsAndCommentsDoNotConfuseTheParser) {
  expect_summary("SELECT 'FROM fake' FROM real_t", "SELECT", "real_t");
  expect_summary("SELECT '-- x'' FROM fake' AS s FROM real_t -- FROM fake2", "SELECT", "real_t");
  expect_summary("SELECT /* FROM fake */ a FROM real_t", "SELECT", "real_t");
  expect_summary("SELECT $$ FROM fake $$ FROM real_t", "SELECT", "real_t");
  expect_summary("SELECT \"from\" FROM real_t", "SELECT", "real_t");
  expect_summary("SELECT arr[1], ARRAY['x'] FROM real_t", "SELECT", "real_t");
}

TEST(Summarize, Insert) {
  expect_summary("INSERT INTO visits (a, b) VALUES ($1, $2)", "INSERT", "visits");
  expect_summary("insert into public.visits select * from staging", "INSERT", "public.visits");
  expect_summary("INSERT IGNORE INTO t VALUES (1)", "INSERT", "t");
  expect_summary("INSERT LOW_PRIORITY INTO t VALUES (1)", "INSERT", "t");
  expect_summary("INSERT OR REPLACE INTO t VALUES (1)", "INSERT", "t");
  expect_summary("INSERT t (a) VALUES (1)", "INSERT", "t");  // MySQL, SQL Server
  expect_summary("INSERT t VALUES (1)", "INSERT", "t");
  expect_summary("INSERT TOP (5) INTO t SELECT * FROM s", "INSERT", "t");
  expect_summary("INSERT INTO TABLE t VALUES", "INSERT", "t");  // ClickHouse
  expect_summary("REPLACE INTO t VALUES (1)", "REPLACE", "t");
  expect_summary("UPSERT INTO t (a) VALUES (1)", "UPSERT", "t");
  expect_summary("INSERT INTO \"Visits\" DEFAULT VALUES", "INSERT", "Visits");
}

TEST(Summarize, InsertShapesItDoesNotFollow) {
  expect_summary("INSERT ALL INTO a VALUES (1) INTO b VALUES (2) SELECT * FROM dual", "INSERT", "");
  expect_summary("INSERT FIRST WHEN x > 1 THEN INTO a SELECT * FROM s", "INSERT", "");
  expect_summary("INSERT INTO FUNCTION remote('h', db, t) VALUES (1)", "INSERT", "");
  expect_summary("INSERT INTO", "INSERT", "");
}

TEST(Summarize, Update) {
  expect_summary("UPDATE visits SET n = n + 1 WHERE id = ?", "UPDATE", "visits");
  expect_summary("UPDATE ONLY public.visits SET n = 1", "UPDATE", "public.visits");
  expect_summary("UPDATE LOW_PRIORITY IGNORE t SET a = 1", "UPDATE", "t");
  expect_summary("UPDATE OR IGNORE t SET a = 1", "UPDATE", "t");
  expect_summary("UPDATE TOP (10) t SET a = 1", "UPDATE", "t");
  expect_summary("UPDATE t1 JOIN t2 ON t1.id = t2.id SET t1.a = t2.a", "UPDATE", "t1");
  // PostgreSQL: the target stays the target, other tables come in FROM.
  expect_summary("UPDATE t SET a = u.a FROM u WHERE u.id = t.id", "UPDATE", "t");
  expect_summary("UPDATE t SET a = (SELECT max(b) FROM u)", "UPDATE", "t");
}

TEST(Summarize, UpdateThroughAnAliasIsLeftEmpty) {
  // SQL Server: "a" is an alias defined in the FROM clause.
  expect_summary("UPDATE a SET a.x = b.y FROM t a JOIN u b ON a.id = b.id", "UPDATE", "");
  expect_summary("UPDATE a SET x = 1 FROM t AS a", "UPDATE", "");
}

TEST(Summarize, Delete) {
  expect_summary("DELETE FROM visits WHERE id = 1", "DELETE", "visits");
  expect_summary("DELETE FROM ONLY s.t", "DELETE", "s.t");
  expect_summary("DELETE LOW_PRIORITY QUICK IGNORE FROM t", "DELETE", "t");
  expect_summary("DELETE TOP (10) FROM t", "DELETE", "t");
  expect_summary("DELETE t WHERE a = 1", "DELETE", "t");  // SQL Server
  expect_summary("DELETE t", "DELETE", "t");
  expect_summary("DELETE FROM t USING u WHERE t.id = u.id", "DELETE", "t");
  // Multi-table forms name aliases or several tables.
  expect_summary("DELETE t1 FROM t1 JOIN t2 ON t1.id = t2.id", "DELETE", "");
  expect_summary("DELETE FROM a FROM t a JOIN u ON a.id = u.id", "DELETE", "");
}

TEST(Summarize, Merge) {
  expect_summary("MERGE INTO target t USING src s ON t.id = s.id WHEN MATCHED THEN UPDATE SET a=1",
                 "MERGE", "target");
  expect_summary("MERGE dbo.target AS t USING src ON 1 = 1", "MERGE", "dbo.target");
}

TEST(Summarize, Ddl) {
  expect_summary("CREATE TABLE visits (id int)", "CREATE", "visits");
  expect_summary("CREATE TABLE IF NOT EXISTS public.visits (id int)", "CREATE", "public.visits");
  expect_summary("CREATE TEMPORARY TABLE tmp AS SELECT 1", "CREATE", "tmp");
  expect_summary("create or replace global temp table t (a int)", "CREATE", "t");
  expect_summary("CREATE UNLOGGED TABLE t (a int)", "CREATE", "t");
  expect_summary("CREATE INDEX i ON t (a)", "CREATE", "");
  expect_summary("CREATE VIEW v AS SELECT * FROM t", "CREATE", "");
  expect_summary("CREATE TABLE IF EXISTS", "CREATE", "");
  expect_summary("DROP TABLE visits", "DROP", "visits");
  expect_summary("DROP TABLE IF EXISTS \"Visits\" CASCADE", "DROP", "Visits");
  expect_summary("DROP TEMPORARY TABLE t", "DROP", "t");
  expect_summary("DROP TABLE a, b", "DROP", "");
  expect_summary("DROP INDEX i", "DROP", "");
  expect_summary("TRUNCATE visits", "TRUNCATE", "visits");
  expect_summary("TRUNCATE TABLE ONLY s.visits", "TRUNCATE", "s.visits");
  expect_summary("TRUNCATE a, b", "TRUNCATE", "");
  expect_summary("ALTER TABLE visits ADD COLUMN x int", "ALTER", "visits");
  expect_summary("ALTER TABLE IF EXISTS ONLY s.t ADD x int", "ALTER", "s.t");
  expect_summary("ALTER INDEX i RENAME TO j", "ALTER", "");
}

TEST(Summarize, WithTakesTheMainStatement) {
  expect_summary("WITH x AS (SELECT * FROM a) SELECT * FROM b JOIN x ON true", "SELECT", "b");
  expect_summary("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT n FROM r",
                 "SELECT", "");  // r is the CTE, not a table
  expect_summary("WITH a AS (SELECT 1), b AS MATERIALIZED (SELECT 2) INSERT INTO t SELECT * FROM a",
                 "INSERT", "t");
  expect_summary("WITH d AS NOT MATERIALIZED (DELETE FROM q RETURNING *) UPDATE t SET a = 1",
                 "UPDATE", "t");
  expect_summary("with X as (select 1) select * from x", "SELECT", "");
}

TEST(Summarize, WithThatCannotBeFollowed) {
  expect_summary("WITH", "WITH", "");
  expect_summary("WITH x AS SELECT", "WITH", "");
  expect_summary("WITH 1 AS n SELECT n", "WITH", "");  // ClickHouse expression alias
  expect_summary("WITH x AS (SELECT 1)", "WITH", "");
  expect_summary("WITH x AS (SELECT 1) WITH y AS (SELECT 2) SELECT 1", "WITH", "");
}

// ---- sanitize ----

TEST(Sanitize, ReplacesLiterals) {
  EXPECT_EQ(sanitize("SELECT * FROM users WHERE id = 42 AND name = 'bob'", "postgresql"),
            "SELECT * FROM users WHERE id = ? AND name = ?");
  EXPECT_EQ(sanitize("UPDATE t SET a = 'it''s', b = -3.5e-2 WHERE c = 0xFF", "postgresql"),
            "UPDATE t SET a = ?, b = -? WHERE c = ?");
}

TEST(Sanitize, Numbers) {
  EXPECT_EQ(sanitize("SELECT 1, 12.5, .5, 6., 1e10, 1E+3, 0x1F, 1_000, 0b101", "postgresql"),
            "SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?");
  // Digits inside names stay.
  EXPECT_EQ(sanitize("SELECT t1.col2, x1e5, a$1 FROM t1", "postgresql"),
            "SELECT t1.col2, x1e5, a$1 FROM t1");
  EXPECT_EQ(sanitize("SELECT a-1, b+2, c*3", "postgresql"), "SELECT a-?, b+?, c*?");
  EXPECT_EQ(sanitize("SELECT \"t\".5, t.5", "postgresql"), "SELECT \"t\".?, t.?");
}

TEST(Sanitize, KeepsKeywordsBooleansAndNull) {
  EXPECT_EQ(sanitize("SELECT TRUE, false, NULL FROM t WHERE a IS NOT NULL", "postgresql"),
            "SELECT TRUE, false, NULL FROM t WHERE a IS NOT NULL");
}

TEST(Sanitize, KeepsPlaceholders) {
  EXPECT_EQ(sanitize("SELECT * FROM t WHERE a = $1 AND b = $12", "postgresql"),
            "SELECT * FROM t WHERE a = $1 AND b = $12");
  EXPECT_EQ(sanitize("SELECT * FROM t WHERE a = ? AND b = ?2", "sqlite"),
            "SELECT * FROM t WHERE a = ? AND b = ?2");
  EXPECT_EQ(sanitize("SELECT * FROM t WHERE a = :name AND b = $val", "sqlite"),
            "SELECT * FROM t WHERE a = :name AND b = $val");
  EXPECT_EQ(sanitize("SELECT * FROM t WHERE a = @p1 AND b = @@ROWCOUNT", "microsoft.sql_server"),
            "SELECT * FROM t WHERE a = @p1 AND b = @@ROWCOUNT");
  EXPECT_EQ(sanitize("SELECT * FROM t WHERE a = :1", "oracle.db"), "SELECT * FROM t WHERE a = :1");
  EXPECT_EQ(sanitize("SELECT a::int, b::text FROM t", "postgresql"),
            "SELECT a::int, b::text FROM t");
}

TEST(Sanitize, ColonDigitsAreALiteralOutsideOracle) {
  EXPECT_EQ(sanitize("SELECT arr[1:2] FROM t", "postgresql"), "SELECT arr[?:?] FROM t");
  EXPECT_EQ(sanitize("SELECT @5", "postgresql"), "SELECT @?");
}

TEST(Sanitize, RemovesCommentsAndCollapsesWhitespace) {
  EXPECT_EQ(sanitize("  SELECT\n\t*   FROM  t -- trailing\n WHERE /* c */ a = 1  \n", "postgresql"),
            "SELECT * FROM t WHERE a = ?");
  EXPECT_EQ(sanitize("SELECT a/**/FROM t", "postgresql"), "SELECT a FROM t");
  EXPECT_EQ(sanitize("/* a /* nested */ still a */SELECT 1", "postgresql"), "SELECT ?");
  EXPECT_EQ(sanitize("SELECT 1 /* unterminated 'x", "postgresql"), "SELECT ?");
  EXPECT_EQ(sanitize("-- only comment", "postgresql"), "");
  EXPECT_EQ(sanitize("", "postgresql"), "");
}

TEST(Sanitize, StringWithDashesAndQuoteIsOneLiteral) {
  EXPECT_EQ(sanitize("SELECT 'a -- b'' c /* d' FROM t -- the end 'x", "postgresql"),
            "SELECT ? FROM t");
  EXPECT_EQ(sanitize("SELECT '--', 'it''s' FROM t", "mysql"), "SELECT ?, ? FROM t");
}

TEST(Sanitize, UnterminatedQuotesMaskTheRest) {
  EXPECT_EQ(sanitize("SELECT * FROM t WHERE a = 'secret and more", "postgresql"),
            "SELECT * FROM t WHERE a = ?");
  EXPECT_EQ(sanitize("SELECT * FROM t WHERE a = 'x''", "postgresql"),
            "SELECT * FROM t WHERE a = ?");
  EXPECT_EQ(sanitize("SELECT \"abc, 'secret' FROM t", "postgresql"), "SELECT ?");
  EXPECT_EQ(sanitize("SELECT `abc, 'secret' FROM t", "mysql"), "SELECT ?");
  EXPECT_EQ(sanitize("SELECT [abc, 'secret' FROM t", "microsoft.sql_server"), "SELECT ?");
  EXPECT_EQ(sanitize("SELECT $$secret", "postgresql"), "SELECT ?");
  EXPECT_EQ(sanitize("SELECT q'[secret", "oracle.db"), "SELECT ?");
}

TEST(Sanitize, EscapeStringsUseBackslashes) {
  EXPECT_EQ(sanitize("SELECT E'it\\'s secret', 'plain' FROM t", "postgresql"),
            "SELECT ?, ? FROM t");
  EXPECT_EQ(sanitize("SELECT e'\\\\', x FROM t", "postgresql"), "SELECT ?, x FROM t");
}

TEST(Sanitize, StringPrefixesBelongToTheLiteral) {
  EXPECT_EQ(sanitize("SELECT N'x', X'0F', B'101', _utf8mb4'y' FROM t", "mysql"),
            "SELECT ?, ?, ?, ? FROM t");
}

TEST(Sanitize, DollarQuotes) {
  EXPECT_EQ(sanitize("SELECT $$it's $1 secret$$, $1 FROM t", "postgresql"), "SELECT ?, $1 FROM t");
  EXPECT_EQ(sanitize("SELECT $tag$ a $$ b $other$ c $tag$ FROM t", "postgresql"),
            "SELECT ? FROM t");
  EXPECT_EQ(sanitize("SELECT $a$x$b$ FROM t", "postgresql"), "SELECT ?");  // no closing $a$
  std::string long_tag = "$" + std::string(100, 't') + "$";
  EXPECT_EQ(sanitize("SELECT " + long_tag + "secret" + long_tag + " FROM t", "postgresql"),
            "SELECT ?");
}

TEST(Sanitize, BackslashBeforeAQuoteIsAmbiguousUnlessTheDialectDecides) {
  // standard_conforming_strings / NO_BACKSLASH_ESCAPES decide: mask everything from there.
  EXPECT_EQ(sanitize("SELECT 'C:\\' , 'secret' FROM t", "postgresql"), "SELECT ?");
  EXPECT_EQ(sanitize("SELECT 'it\\'s secret', a FROM t", "mysql"), "SELECT ?");
  EXPECT_EQ(sanitize("SELECT 'it\\'s secret', a FROM t"), "SELECT ?");
  // An even run of backslashes means the same in both readings.
  EXPECT_EQ(sanitize("SELECT 'C:\\\\', a FROM t", "postgresql"), "SELECT ?, a FROM t");
  EXPECT_EQ(sanitize("SELECT 'a\\b', a FROM t", "mysql"), "SELECT ?, a FROM t");
  // Systems where backslashes always or never escape.
  EXPECT_EQ(sanitize("SELECT 'it\\'s', a FROM t", "clickhouse"), "SELECT ?, a FROM t");
  EXPECT_EQ(sanitize("SELECT 'it\\'s', a FROM t", "snowflake"), "SELECT ?, a FROM t");
  EXPECT_EQ(sanitize("SELECT 'C:\\', a FROM t", "microsoft.sql_server"), "SELECT ?, a FROM t");
  EXPECT_EQ(sanitize("SELECT 'C:\\', a FROM t", "sqlite"), "SELECT ?, a FROM t");
  EXPECT_EQ(sanitize("SELECT 'C:\\', a FROM t", "oracle.db"), "SELECT ?, a FROM t");
}

TEST(Sanitize, DoubleQuotesPerDialect) {
  const char* sql = "SELECT \"Name\" FROM \"Visits\" WHERE x = \"bob\"";
  EXPECT_EQ(sanitize(sql, "postgresql"), sql);
  EXPECT_EQ(sanitize(sql, "oracle.db"), sql);
  EXPECT_EQ(sanitize(sql, "microsoft.sql_server"), sql);
  EXPECT_EQ(sanitize(sql, "mysql"), "SELECT ? FROM ? WHERE x = ?");
  EXPECT_EQ(sanitize(sql, "sqlite"), "SELECT ? FROM ? WHERE x = ?");
  EXPECT_EQ(sanitize(sql), "SELECT ? FROM ? WHERE x = ?");
  EXPECT_EQ(sanitize("SELECT `Name` FROM `Visits`", "mysql"), "SELECT `Name` FROM `Visits`");
}

TEST(Sanitize, BracketsAreIdentifiersOnlyWhereArraysDoNotExist) {
  EXPECT_EQ(sanitize("SELECT [a b] FROM [dbo].[t]", "microsoft.sql_server"),
            "SELECT [a b] FROM [dbo].[t]");
  EXPECT_EQ(sanitize("SELECT ARRAY['secret'], arr[2] FROM t", "postgresql"),
            "SELECT ARRAY[?], arr[?] FROM t");
  EXPECT_EQ(sanitize("SELECT ARRAY['secret'] FROM t"), "SELECT ARRAY[?] FROM t");
}

TEST(Sanitize, DialectSpecificComments) {
  EXPECT_EQ(sanitize("SELECT a # password is hunter2\nFROM t", "mysql"), "SELECT a FROM t");
  EXPECT_EQ(sanitize("SELECT a // note hunter2\nFROM t", "snowflake"), "SELECT a FROM t");
  EXPECT_EQ(sanitize("SELECT a # b FROM t", "postgresql"), "SELECT a # b FROM t");
}

TEST(Sanitize, OracleQQuotes) {
  EXPECT_EQ(sanitize("SELECT q'[it's secret]', nq'{x}', Q'!y!' FROM t", "oracle.db"),
            "SELECT ?, ?, ? FROM t");
}

TEST(Sanitize, InListsStay) {
  EXPECT_EQ(sanitize("SELECT * FROM t WHERE id IN (1, 2, 3)", "postgresql"),
            "SELECT * FROM t WHERE id IN (?, ?, ?)");
}

TEST(Sanitize, KeepsUtf8Identifiers) {
  EXPECT_EQ(sanitize("SELECT größe FROM maße WHERE name = 'Jürgen'", "postgresql"),
            "SELECT größe FROM maße WHERE name = ?");
}

// Quadratic behaviour would make these take hours; each is a single linear pass.
TEST(Sanitize, AdversarialInputsStayLinear) {
  const size_t n = 1 << 20;
  std::string tag = "$" + std::string(60, 'a') + "$";
  std::string near_miss = "$" + std::string(59, 'a') + "$";
  std::string dollar = "SELECT " + tag;
  while (dollar.size() < n) dollar += near_miss;
  EXPECT_EQ(sanitize(dollar, "postgresql"), "SELECT ?");
  std::string quotes(n, '\'');
  EXPECT_LE(sanitize(quotes, "postgresql").size(), 1u);
  std::string comments;
  while (comments.size() < n) comments += "/*";
  EXPECT_EQ(sanitize(comments, "postgresql"), "");
  std::string backslashes = "SELECT '" + std::string(n, '\\');
  EXPECT_EQ(sanitize(backslashes, "mysql"), "SELECT ?");
  std::string dollars(n, '$');
  EXPECT_FALSE(sanitize(dollars, "postgresql").empty());
  std::string words;
  while (words.size() < n) words += "a 1 'b' ";
  EXPECT_FALSE(summarize("SELECT " + words + " FROM t").operation.empty());
}

// Literals with a marker inside, in each dialect's string syntaxes, between random SQL noise:
// whatever the combination, the marker never reaches the output. The noise is made of complete
// tokens: a lone quote would make the server, too, read the marker as a name.
struct LeakCase {
  std::string_view db_system;
  std::vector<std::string> literals;
};

std::string random_sql(std::mt19937& rng, const std::vector<std::string>& literals) {
  static const std::vector<std::string> noise = {
      " ",      "\n",   "SELECT", "a",   ",",     "(",    ")",  "=",   "--c\n", "/*c*/", "t.x",
      "$1",     "?",    ":n",     "@p",  "::int", "[1]",  "-",  "+",   "''",    "\\",    "0x1",
      "1.5",    "e",    "N",      "#",   "//",    "/*",   "*/", "E''", ";",     "IN",    "FROM",
      "'a''b'", "$$$$", "\"q\"",  "`b`", "@@v",   "1e-3", "x1", ".5",  "'\\\\'"};
  std::uniform_int_distribution<size_t> count(1, 24), pick_noise(0, noise.size() - 1),
      pick_lit(0, literals.size() - 1), coin(0, 2);
  std::string sql;
  for (size_t i = 0, n = count(rng); i < n; ++i) {
    if (coin(rng) == 0) {
      sql += ' ';
      sql += literals[pick_lit(rng)];
      sql += ' ';
    } else {
      sql += noise[pick_noise(rng)];
    }
  }
  return sql;
}

TEST(Sanitize, NeverLeaksALiteralUnderRandomNoise) {
  const std::vector<LeakCase> cases = {
      {"postgresql",
       {"'SECRET'", "'SE''CRET'", "E'SE\\'CRET'", "$$SECRET$$", "$t$SE$$CRET$t$", "12345",
        "'SECRET -- x'"}},
      {"mysql", {"'SECRET'", "\"SECRET\"", "'SE''CRET'", "\"SE\"\"CRET\"", "_utf8'SECRET'"}},
      {"sqlite", {"'SECRET'", "\"SECRET\"", "X'5345435245'"}},
      {"microsoft.sql_server", {"'SECRET'", "N'SE''CRET'", "'C:\\SECRET\\'"}},
      {"oracle.db", {"'SECRET'", "q'[SE'CRET]'", "q'!SECRET!'"}},
      {"clickhouse", {"'SE\\'CRET'", "'SECRET'"}},
      {"snowflake", {"'SE\\'CRET'", "$$SECRET$$"}},
      {"", {"'SECRET'", "\"SECRET\"", "$$SECRET$$", "E'SE\\'CRET'", "q'[SECRET]'"}},
  };
  std::mt19937 rng(20240607);
  for (const auto& c : cases) {
    for (int i = 0; i < 4000; ++i) {
      std::string sql = random_sql(rng, c.literals);
      std::string out = sanitize(sql, c.db_system);
      ASSERT_EQ(out.find("SECRET"), std::string::npos)
          << c.db_system << ": " << sql << "\n-> " << out;
      ASSERT_EQ(out.find("12345"), std::string::npos) << sql << "\n-> " << out;
      ASSERT_EQ(out.find("CRET"), std::string::npos)
          << c.db_system << ": " << sql << "\n-> " << out;
    }
  }
}

// ---- span_name ----

TEST(SpanName, FollowsTheDatabaseConventions) {
  EXPECT_EQ(span_name({"SELECT", "visits"}, "postgresql"), "SELECT visits");
  EXPECT_EQ(span_name({"SELECT", "public.visits"}, "postgresql"), "SELECT public.visits");
  EXPECT_EQ(span_name({"BEGIN", ""}, "mysql"), "BEGIN");
  EXPECT_EQ(span_name({"", "visits"}, "mysql"), "visits");
  EXPECT_EQ(span_name({"", ""}, "postgresql"), "postgresql");
  EXPECT_EQ(span_name({"", ""}, ""), "other_sql");
  EXPECT_EQ(span_name(summarize("select * from t where a = 'x'"), "sqlite"), "SELECT t");
}

}  // namespace
}  // namespace goinstr::sqltext
