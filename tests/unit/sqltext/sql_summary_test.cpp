// SPDX-License-Identifier: Apache-2.0
// sanitize, which only the C++ side has, and the properties no list of cases can show (linear time,
// no literal leaks under random noise). summarize and span_name are checked by the shared vectors
// in data/sqltext/vectors.json (vectors_test.cpp), which the Go port runs too.
#include "sqltext/sql_summary.hpp"

#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace goinstr::sqltext {
namespace {

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

}  // namespace
}  // namespace goinstr::sqltext
