// SPDX-License-Identifier: Apache-2.0

// Sanitize properties that no list of cases can show: no panic and no leak
// under random input, linear time, one allocation. The cases themselves are
// the shared vectors (the "sanitize" family of data/sqltext/vectors.json,
// vectors_test.go), which the C++ sanitize runs too.

package sqltext

import (
	"math/rand"
	"strings"
	"testing"
)

// Every system with rules of its own, plus an unknown one.
var sanitizeSystems = []string{
	"postgresql", "cockroachdb", "mysql", "mariadb", "sqlite", "microsoft.sql_server",
	"oracle.db", "clickhouse", "snowflake", "", "other_sql",
}

// Arbitrary bytes: no panic, and the output is never longer than the input
// (the single allocation of Sanitize relies on it) and never starts or ends
// with a space.
func TestSanitizeRandomBytes(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	alphabet := []byte("selctFROMqQnNeExXbB_ \t\n()[]{}<>!\"'`$;:?@#.,-+/*\\0123456789\x80\xc3\xbc")
	for i := 0; i < 20000; i++ {
		b := make([]byte, r.Intn(60))
		for j := range b {
			b[j] = alphabet[r.Intn(len(alphabet))]
		}
		sql := string(b)
		system := sanitizeSystems[i%len(sanitizeSystems)]
		out := Sanitize(sql, system)
		if len(out) > len(sql) {
			t.Fatalf("%q (%s): output %q is longer than the input", sql, system, out)
		}
		if out != "" && (isSpaceByte(out[0]) || isSpaceByte(out[len(out)-1])) {
			t.Fatalf("%q (%s): output %q has a space at an end", sql, system, out)
		}
	}
}

// Literals with a marker inside (a digit run, a word in quotes), in each
// dialect's literal syntaxes, between random SQL noise: whatever the
// combination, no marker reaches the output. The noise is made of complete
// tokens: a lone quote would make the server, too, read the marker as a name.
// The same design as NeverLeaksALiteralUnderRandomNoise in
// tests/unit/sqltext/sql_summary_test.cpp.
func TestSanitizeNeverLeaksALiteral(t *testing.T) {
	noise := []string{
		" ", "\n", "SELECT", "a", ",", "(", ")", "=", "--c\n", "/*c*/", "t.x", "$1", "?", ":n",
		"@p", "::int", "[1]", "-", "+", "''", "\\", "0x1", "1.5", "e", "N", "#", "//", "/*", "*/",
		"E''", ";", "IN", "FROM", "'a''b'", "$$$$", "\"q\"", "`b`", "@@v", "1e-3", "x1", ".5",
		"'\\\\'", "$t$x$t$",
	}
	numbers := []string{"8675309", "8675309.25", "-8675309", "8675309e-3", "0x8675309", ".8675309"}
	cases := []struct {
		system   string
		literals []string
	}{
		{"postgresql", []string{"'SECRET'", "'SE''CRET'", "E'SE\\'CRET'", "$$SECRET$$",
			"$t$SE$$CRET$t$", "'SECRET -- x'", "'8675309'", "B'8675309'", "'SE\\'CRET'"}},
		{"cockroachdb", []string{"'SECRET'", "$$SECRET$$", "e'SE\\\\CRET'"}},
		{"mysql", []string{"'SECRET'", "\"SECRET\"", "'SE''CRET'", "\"SE\"\"CRET\"",
			"_utf8'SECRET'", "X'8675309'", "'SE\\\\CRET'", "'SE\\'CRET'"}},
		{"mariadb", []string{"'SECRET'", "\"SECRET\"", "N'SECRET'"}},
		{"sqlite", []string{"'SECRET'", "\"SECRET\"", "X'5345435245'", "'C:\\SECRET'"}},
		{"microsoft.sql_server", []string{"'SECRET'", "N'SE''CRET'", "'C:\\SECRET\\'"}},
		{"oracle.db", []string{"'SECRET'", "q'[SE'CRET]'", "q'!SECRET!'", "nq'<SE'CRET>'",
			"Q'{8675309}'"}},
		{"clickhouse", []string{"'SE\\'CRET'", "'SECRET'", "$$SECRET$$"}},
		{"snowflake", []string{"'SE\\'CRET'", "$$SECRET$$", "'8675309'"}},
		{"", []string{"'SECRET'", "'SE\\'CRET'", "\"SECRET\"", "$$SECRET$$", "E'SE\\'CRET'", "q'[SECRET]'"}},
	}
	r := rand.New(rand.NewSource(20240607))
	var sql strings.Builder
	for _, c := range cases {
		literals := append(append([]string(nil), c.literals...), numbers...)
		for i := 0; i < 3000; i++ {
			sql.Reset()
			for n := 1 + r.Intn(24); n > 0; n-- {
				if r.Intn(3) == 0 {
					sql.WriteString(" " + literals[r.Intn(len(literals))] + " ")
				} else {
					sql.WriteString(noise[r.Intn(len(noise))])
				}
			}
			out := Sanitize(sql.String(), c.system)
			for _, marker := range []string{"SECRET", "CRET", "8675309", "867", "5309"} {
				if strings.Contains(out, marker) {
					t.Fatalf("%s: %q\n-> %q holds %q", c.system, sql.String(), out, marker)
				}
			}
		}
	}
}

// Inputs built to make a quadratic scan take hours; each is a single pass.
func TestSanitizeAdversarialInputsStayLinear(t *testing.T) {
	const n = 1 << 20
	tag := "$" + strings.Repeat("a", 60) + "$"
	nearMiss := "$" + strings.Repeat("a", 59) + "$"
	dollar := "SELECT " + tag + strings.Repeat(nearMiss, n/len(nearMiss))
	cases := []struct{ sql, system, want string }{
		{dollar, "postgresql", "SELECT ?"},
		{strings.Repeat("/*", n/2), "postgresql", ""},
		{"SELECT '" + strings.Repeat("\\", n), "mysql", "SELECT ?"},
		{"SELECT '" + strings.Repeat("\\", n), "clickhouse", "SELECT ?"},
		{"SELECT q'[" + strings.Repeat("]", n), "oracle.db", "SELECT ?"},
	}
	for _, c := range cases {
		if got := Sanitize(c.sql, c.system); got != c.want {
			t.Errorf("%.40q... (%s): got %.40q", c.sql, c.system, got)
		}
	}
	// An even run of quotes is one string of doubled quotes: one '?'.
	if got := Sanitize(strings.Repeat("'", n), "postgresql"); got != "?" {
		t.Errorf("quotes: got %.40q", got)
	}
}

// The output is the only allocation, whatever the query holds.
func TestSanitizeAllocatesOnce(t *testing.T) {
	for _, sql := range []string{typicalQuery, "SELECT 1 -- c", "/* only */", "x"} {
		allocs := testing.AllocsPerRun(100, func() { _ = Sanitize(sql, "postgresql") })
		if allocs != 1 {
			t.Errorf("%q: %v allocations, want 1", sql, allocs)
		}
	}
	if allocs := testing.AllocsPerRun(100, func() { _ = Sanitize("", "mysql") }); allocs != 0 {
		t.Errorf("empty query: %v allocations", allocs)
	}
}

const typicalQuery = "SELECT v.id, v.path, u.name FROM public.visits v JOIN users u ON u.id = v.user_id " +
	"WHERE v.created_at > '2024-06-01' AND v.status IN (1, 2, 3) AND u.email = $1 ORDER BY v.id DESC LIMIT 50"

func BenchmarkSanitize(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = Sanitize(typicalQuery, "postgresql")
	}
}

func BenchmarkSummarize(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = Summarize(typicalQuery)
	}
}
