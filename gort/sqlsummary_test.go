// SPDX-License-Identifier: Apache-2.0

// SQL summarizer tests, the same cases as the eBPF agent's
// tests/unit/sqltext/sql_summary_test.cpp so both modes stay in step.

package rt

import (
	"math/rand"
	"strings"
	"testing"
)

func TestSummarizeSQL(t *testing.T) {
	cases := []struct{ sql, op, collection string }{
		// operation
		{"select 1", "SELECT", ""},
		{"  \n\tInsert into t values (1)", "INSERT", "t"},
		{"BEGIN", "BEGIN", ""},
		{"commit", "COMMIT", ""},
		{"ROLLBACK", "ROLLBACK", ""},
		{"CALL do_things(1)", "CALL", ""},
		{"EXPLAIN SELECT * FROM t", "EXPLAIN", ""},
		{"SHOW TABLES", "SHOW", ""},
		{"VACUUM ANALYZE t", "VACUUM", ""},
		// leading comments
		{"-- fetch\nSELECT * FROM t", "SELECT", "t"},
		{"/* a */ /* b /* nested */ still b */ update t set a = 1", "UPDATE", "t"},
		{"/*+ hint */\n-- x\n  DELETE FROM t", "DELETE", "t"},
		// nothing to summarize
		{"", "", ""},
		{"   ", "", ""},
		{"-- only a comment", "", ""},
		{"/* unterminated", "", ""},
		{"'text'", "", ""},
		{"42", "", ""},
		{"\"quoted\"", "", ""},
		{"sp_who2", "", ""},
		// only the first statement
		{"BEGIN; INSERT INTO t VALUES (1); COMMIT", "BEGIN", ""},
		{"SELECT * FROM a; SELECT * FROM b", "SELECT", "a"},
		// SELECT
		{"SELECT * FROM visits WHERE id = $1", "SELECT", "visits"},
		{"SELECT a, b FROM public.visits v", "SELECT", "public.visits"},
		{"SELECT * FROM ONLY parent", "SELECT", "parent"},
		{"SELECT count(*) FROM t", "SELECT", "t"},
		{"SELECT EXTRACT(YEAR FROM ts), SUBSTRING(s FROM 2) FROM events", "SELECT", "events"},
		{"SELECT a IS DISTINCT FROM b FROM t", "SELECT", "t"},
		{"SELECT a IS NOT DISTINCT FROM b, c FROM t", "SELECT", "t"},
		{"SELECT (SELECT max(x) FROM inner_t) FROM outer_t", "SELECT", "outer_t"},
		{"(SELECT a FROM t1) UNION (SELECT a FROM t2)", "SELECT", "t1"},
		{"SELECT 1", "SELECT", ""},
		{"SELECT now()", "SELECT", ""},
		{"SELECT * FROM orders o JOIN customers c ON c.id = o.cid", "SELECT", "orders"},
		{"SELECT * FROM orders LEFT OUTER JOIN items USING (oid)", "SELECT", "orders"},
		{"SELECT * FROM a, b WHERE a.id = b.id", "SELECT", "a"},
		{"SELECT * FROM (SELECT * FROM t) sub", "SELECT", ""},
		{"SELECT * FROM generate_series(1, 10)", "SELECT", ""},
		{"SELECT * FROM LATERAL f(x)", "SELECT", ""},
		{"SELECT * FROM pg_catalog.unnest(ARRAY[1, 2])", "SELECT", ""},
		{"SELECT 1 FROM DUAL", "SELECT", ""},
		{"SELECT * FROM ?", "SELECT", ""},
		{"SELECT * FROM db..t", "SELECT", ""},
		{"SELECT * FROM", "SELECT", ""},
		// quoted identifiers
		{"SELECT * FROM \"Visits\"", "SELECT", "Visits"},
		{"SELECT * FROM `visits`", "SELECT", "visits"},
		{"SELECT * FROM [visits]", "SELECT", "visits"},
		{"SELECT * FROM \"public\".\"Visits\"", "SELECT", "public.Visits"},
		{"SELECT * FROM [dbo].[My Table]", "SELECT", "dbo.My Table"},
		{"SELECT * FROM `shop`.`order items`", "SELECT", "shop.order items"},
		{"SELECT * FROM \"we\"\"ird\"", "SELECT", "we\"ird"},
		{"SELECT * FROM \"\"", "SELECT", ""},
		// strings and comments do not confuse the parser
		{"SELECT 'FROM fake' FROM real_t", "SELECT", "real_t"},
		{"SELECT '-- x'' FROM fake' AS s FROM real_t -- FROM fake2", "SELECT", "real_t"},
		{"SELECT /* FROM fake */ a FROM real_t", "SELECT", "real_t"},
		{"SELECT $$ FROM fake $$ FROM real_t", "SELECT", "real_t"},
		{"SELECT \"from\" FROM real_t", "SELECT", "real_t"},
		{"SELECT arr[1], ARRAY['x'] FROM real_t", "SELECT", "real_t"},
		// INSERT
		{"INSERT INTO visits (a, b) VALUES ($1, $2)", "INSERT", "visits"},
		{"insert into public.visits select * from staging", "INSERT", "public.visits"},
		{"INSERT IGNORE INTO t VALUES (1)", "INSERT", "t"},
		{"INSERT LOW_PRIORITY INTO t VALUES (1)", "INSERT", "t"},
		{"INSERT OR REPLACE INTO t VALUES (1)", "INSERT", "t"},
		{"INSERT t (a) VALUES (1)", "INSERT", "t"},
		{"INSERT t VALUES (1)", "INSERT", "t"},
		{"INSERT TOP (5) INTO t SELECT * FROM s", "INSERT", "t"},
		{"INSERT INTO TABLE t VALUES", "INSERT", "t"},
		{"REPLACE INTO t VALUES (1)", "REPLACE", "t"},
		{"UPSERT INTO t (a) VALUES (1)", "UPSERT", "t"},
		{"INSERT INTO \"Visits\" DEFAULT VALUES", "INSERT", "Visits"},
		{"INSERT ALL INTO a VALUES (1) INTO b VALUES (2) SELECT * FROM dual", "INSERT", ""},
		{"INSERT FIRST WHEN x > 1 THEN INTO a SELECT * FROM s", "INSERT", ""},
		{"INSERT INTO FUNCTION remote('h', db, t) VALUES (1)", "INSERT", ""},
		{"INSERT INTO", "INSERT", ""},
		// UPDATE
		{"UPDATE visits SET n = n + 1 WHERE id = ?", "UPDATE", "visits"},
		{"UPDATE ONLY public.visits SET n = 1", "UPDATE", "public.visits"},
		{"UPDATE LOW_PRIORITY IGNORE t SET a = 1", "UPDATE", "t"},
		{"UPDATE OR IGNORE t SET a = 1", "UPDATE", "t"},
		{"UPDATE TOP (10) t SET a = 1", "UPDATE", "t"},
		{"UPDATE t1 JOIN t2 ON t1.id = t2.id SET t1.a = t2.a", "UPDATE", "t1"},
		{"UPDATE t SET a = u.a FROM u WHERE u.id = t.id", "UPDATE", "t"},
		{"UPDATE t SET a = (SELECT max(b) FROM u)", "UPDATE", "t"},
		{"UPDATE a SET a.x = b.y FROM t a JOIN u b ON a.id = b.id", "UPDATE", ""},
		{"UPDATE a SET x = 1 FROM t AS a", "UPDATE", ""},
		// DELETE
		{"DELETE FROM visits WHERE id = 1", "DELETE", "visits"},
		{"DELETE FROM ONLY s.t", "DELETE", "s.t"},
		{"DELETE LOW_PRIORITY QUICK IGNORE FROM t", "DELETE", "t"},
		{"DELETE TOP (10) FROM t", "DELETE", "t"},
		{"DELETE t WHERE a = 1", "DELETE", "t"},
		{"DELETE t", "DELETE", "t"},
		{"DELETE FROM t USING u WHERE t.id = u.id", "DELETE", "t"},
		{"DELETE t1 FROM t1 JOIN t2 ON t1.id = t2.id", "DELETE", ""},
		{"DELETE FROM a FROM t a JOIN u ON a.id = u.id", "DELETE", ""},
		// MERGE
		{"MERGE INTO target t USING src s ON t.id = s.id WHEN MATCHED THEN UPDATE SET a=1", "MERGE", "target"},
		{"MERGE dbo.target AS t USING src ON 1 = 1", "MERGE", "dbo.target"},
		// DDL
		{"CREATE TABLE visits (id int)", "CREATE", "visits"},
		{"CREATE TABLE IF NOT EXISTS public.visits (id int)", "CREATE", "public.visits"},
		{"CREATE TEMPORARY TABLE tmp AS SELECT 1", "CREATE", "tmp"},
		{"create or replace global temp table t (a int)", "CREATE", "t"},
		{"CREATE UNLOGGED TABLE t (a int)", "CREATE", "t"},
		{"CREATE INDEX i ON t (a)", "CREATE", ""},
		{"CREATE VIEW v AS SELECT * FROM t", "CREATE", ""},
		{"CREATE TABLE IF EXISTS", "CREATE", ""},
		{"DROP TABLE visits", "DROP", "visits"},
		{"DROP TABLE IF EXISTS \"Visits\" CASCADE", "DROP", "Visits"},
		{"DROP TEMPORARY TABLE t", "DROP", "t"},
		{"DROP TABLE a, b", "DROP", ""},
		{"DROP INDEX i", "DROP", ""},
		{"TRUNCATE visits", "TRUNCATE", "visits"},
		{"TRUNCATE TABLE ONLY s.visits", "TRUNCATE", "s.visits"},
		{"TRUNCATE a, b", "TRUNCATE", ""},
		{"ALTER TABLE visits ADD COLUMN x int", "ALTER", "visits"},
		{"ALTER TABLE IF EXISTS ONLY s.t ADD x int", "ALTER", "s.t"},
		{"ALTER INDEX i RENAME TO j", "ALTER", ""},
		// WITH takes the main statement
		{"WITH x AS (SELECT * FROM a) SELECT * FROM b JOIN x ON true", "SELECT", "b"},
		{"WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT n FROM r", "SELECT", ""},
		{"WITH a AS (SELECT 1), b AS MATERIALIZED (SELECT 2) INSERT INTO t SELECT * FROM a", "INSERT", "t"},
		{"WITH d AS NOT MATERIALIZED (DELETE FROM q RETURNING *) UPDATE t SET a = 1", "UPDATE", "t"},
		{"with X as (select 1) select * from x", "SELECT", ""},
		{"WITH", "WITH", ""},
		{"WITH x AS SELECT", "WITH", ""},
		{"WITH 1 AS n SELECT n", "WITH", ""},
		{"WITH x AS (SELECT 1)", "WITH", ""},
		{"WITH x AS (SELECT 1) WITH y AS (SELECT 2) SELECT 1", "WITH", ""},
		// lexer corners
		{"SELECT E'it\\'s FROM x', a FROM real_t", "SELECT", "real_t"},
		{"SELECT q'[it's FROM x]' FROM real_t", "SELECT", "real_t"},
		{"SELECT $tag$ FROM x $tag$ FROM real_t", "SELECT", "real_t"},
		{"SELECT a::int FROM real_t WHERE b = :name AND c = @p1", "SELECT", "real_t"},
	}
	for _, c := range cases {
		got := summarizeSQL(c.sql)
		if got.operation != c.op || got.collection != c.collection {
			t.Errorf("summarizeSQL(%q) = {%q, %q}, want {%q, %q}", c.sql, got.operation, got.collection, c.op, c.collection)
		}
	}
}

func TestDBSpanName(t *testing.T) {
	cases := []struct {
		s      querySummary
		system string
		want   string
	}{
		{querySummary{"SELECT", "visits"}, "postgresql", "SELECT visits"},
		{querySummary{"SELECT", ""}, "postgresql", "SELECT"},
		{querySummary{"", "visits"}, "postgresql", "visits"},
		{querySummary{}, "mysql", "mysql"},
		{querySummary{}, "", "other_sql"},
	}
	for _, c := range cases {
		if got := dbSpanName(c.s, c.system); got != c.want {
			t.Errorf("dbSpanName(%+v, %q) = %q, want %q", c.s, c.system, got, c.want)
		}
	}
}

// Arbitrary bytes never crash the lexer or parser, and it stays linear.
func TestSummarizeSQLRobust(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	alphabet := []byte("selctFROMinsertowh ()[]\"'`$;:?@.,-/*\\\n0123456789eExqQ_\x80")
	for i := 0; i < 5000; i++ {
		b := make([]byte, r.Intn(80))
		for j := range b {
			b[j] = alphabet[r.Intn(len(alphabet))]
		}
		_ = summarizeSQL(string(b))
	}
	big := "SELECT " + strings.Repeat("((", 50000) + " FROM t"
	_ = summarizeSQL(big)
}

func BenchmarkSummarizeSQL(b *testing.B) {
	const q = "SELECT id, name, created_at FROM public.visits v JOIN users u ON u.id = v.user_id WHERE v.id = $1"
	for b.Loop() {
		_ = summarizeSQL(q)
	}
}
