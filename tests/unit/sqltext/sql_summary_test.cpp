// SPDX-License-Identifier: Apache-2.0
// The properties of sanitize and summarize that no list of cases can show: linear time, and no
// literal leaks under random noise. The cases themselves (sanitize per dialect, summarize,
// span_name) are the shared vectors in data/sqltext/vectors.json (vectors_test.cpp), which the Go
// port in gort/internal/sqltext runs too.
#include "sqltext/sql_summary.hpp"

#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace goinstr::sqltext {
namespace {

// ---- sanitize ----

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
