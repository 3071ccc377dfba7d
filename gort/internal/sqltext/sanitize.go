// SPDX-License-Identifier: Apache-2.0

package sqltext

import "strings"

// Sanitize returns sql with every literal (strings, dollar-quoted strings,
// numbers) replaced by '?', comments removed and whitespace runs collapsed
// to one space, with no space at either end: the db.query.text of
// capture_queries, byte for byte what the eBPF agent's sanitize() gives
// (src/sqltext/sql_summary.cpp; the shared vectors check it). Keywords,
// identifiers, TRUE/FALSE/NULL and placeholders ($1, ?, :name, @p1) are kept.
// Where dialects disagree on where a literal ends (a backslash before a
// quote, an unterminated quote), everything from the literal on becomes one
// '?' rather than risk emitting part of it.
//
// dbSystem is the db.system.name value; it selects the dialect rules (MySQL
// and SQLite take "..." as a string, SQL Server and SQLite take [...] as an
// identifier, Oracle has q'[...]' and :1 binds, ...). Unknown or empty: a
// conservative union that masks "..." as well.
//
// One pass, linear in len(sql), one allocation: every token maps to at most
// as many bytes as it has (a literal to '?', a run of spaces or comments to
// at most one space), so the output never outgrows len(sql).
func Sanitize(sql, dbSystem string) string {
	if sql == "" {
		return ""
	}
	var b strings.Builder
	b.Grow(len(sql))
	l := sqlLexer{s: sql, d: dialectFor(dbSystem)}
	space := false
	for !l.done() {
		t := l.next()
		if t.kind == tokSpace { // comments become a space too: a/**/b is not ab
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		if t.kind == tokLiteral {
			b.WriteByte('?')
		} else {
			b.WriteString(t.text)
		}
	}
	return b.String()
}
