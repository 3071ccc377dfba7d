// SPDX-License-Identifier: Apache-2.0

// Package sqltext is the text logic of the woven runtime's database/sql
// spans: what a statement does (Summarize: operation and main table, for the
// span name and db.operation.name / db.collection.name), the query text with
// its literals masked (Sanitize, for db.query.text), the server a DSN names
// (EndpointFromDSN) and db.system.name from the driver (SystemForPackage,
// SystemForDriver). It is a port of the eBPF agent's src/sqltext, checked
// against the same test vectors (data/sqltext/vectors.json), so both modes
// name and describe database spans identically. Pure functions over bytes,
// linear in the input.
//
// Language level: compiled with the language version of the user's go.mod
// (as low as go 1.13): no generics, no `any`, std APIs of Go 1.19 at most.
package sqltext

import "strings"

// Summary is the operation ("SELECT", empty when there is none) and the main
// table as written with quotes stripped ("public.visits", empty when not
// known for sure) of a statement.
type Summary struct {
	Operation, Collection string
}

// Summarize returns the operation and main table of the first statement in
// sql. Leading whitespace and comments are skipped; for WITH, the statement
// after the CTEs is summarised (a table that is one of the CTEs is left
// empty), and the operation is "WITH" alone when the CTE list cannot be
// followed.
func Summarize(sql string) Summary {
	// Typical statements have fewer tokens than this: they stay on the stack.
	var buf [64]sqlToken
	p := sqlParser{t: firstStatementTokens(sql, buf[:0])}
	return p.run()
}

// SpanName follows the database semantic conventions: "{operation}
// {collection}", "{operation}", "{collection}", else dbSystem ("other_sql"
// when that is empty too).
func SpanName(s Summary, dbSystem string) string {
	switch {
	case s.Operation != "" && s.Collection != "":
		return s.Operation + " " + s.Collection
	case s.Operation != "":
		return s.Operation
	case s.Collection != "":
		return s.Collection
	case dbSystem != "":
		return dbSystem
	}
	return systemOther
}

// ---- summary parser ----

// firstStatementTokens appends the tokens before the first ';' to out,
// whitespace and comments left out.
func firstStatementTokens(sql string, out []sqlToken) []sqlToken {
	l := sqlLexer{s: sql, d: summaryDialect}
	for !l.done() {
		t := l.next()
		if t.kind == tokSpace {
			continue
		}
		if t.kind == tokPunct && t.text == ";" {
			break
		}
		out = append(out, t)
	}
	return out
}

// unquote strips the quotes of "x", `x` or [x] and undoubles doubled ones.
func unquote(quoted string) string {
	closing := quoted[0]
	if closing == '[' {
		closing = ']'
	}
	inner := quoted[1 : len(quoted)-1]
	if strings.IndexByte(inner, closing) < 0 {
		return inner
	}
	var b strings.Builder
	for i := 0; i < len(inner); i++ {
		b.WriteByte(inner[i])
		if inner[i] == closing {
			i++
		}
	}
	return b.String()
}

func equalFoldAny(w string, set ...string) bool {
	for _, s := range set {
		if equalFold(w, s) {
			return true
		}
	}
	return false
}

// isReservedName: words that cannot start a table name where one is expected:
// seeing one means a shape this parser does not follow (subquery, table
// function, Oracle's DUAL).
func isReservedName(w string) bool {
	return equalFoldAny(w, "SELECT", "VALUES", "LATERAL", "FUNCTION", "DUAL", "WHERE", "SET", "WITH",
		"TABLE", "ONLY", "FROM")
}

// sqlParser is a recursive descent over the first statement's tokens. Each
// extractor returns "" whenever the text leaves the shapes it knows: a missing
// collection is fine, a wrong one is not.
type sqlParser struct {
	t []sqlToken
	p int
}

func (s *sqlParser) kwAt(k int, kw string) bool {
	return k >= 0 && k < len(s.t) && s.t[k].kind == tokWord && equalFold(s.t[k].text, kw)
}

func (s *sqlParser) punctAt(k int, c byte) bool {
	return k >= 0 && k < len(s.t) && s.t[k].kind == tokPunct && len(s.t[k].text) == 1 && s.t[k].text[0] == c
}

func (s *sqlParser) isKw(kw string) bool { return s.kwAt(s.p, kw) }
func (s *sqlParser) isPunct(c byte) bool { return s.punctAt(s.p, c) }
func (s *sqlParser) atEnd() bool         { return s.p >= len(s.t) }
func (s *sqlParser) peek() *sqlToken     { return s.peekAt(s.p) }
func (s *sqlParser) peekAt(k int) *sqlToken {
	if k < len(s.t) {
		return &s.t[k]
	}
	return nil
}

func (s *sqlParser) acceptKw(kw string) bool {
	if s.isKw(kw) {
		s.p++
		return true
	}
	return false
}

func (s *sqlParser) acceptAny(kws ...string) bool {
	for _, kw := range kws {
		if s.acceptKw(kw) {
			return true
		}
	}
	return false
}

func (s *sqlParser) acceptPunct(c byte) bool {
	if s.isPunct(c) {
		s.p++
		return true
	}
	return false
}

// keyword is the upper-cased keyword at p, or "" when the token is not a
// plain (letters only) word.
func (s *sqlParser) keyword() string {
	t := s.peek()
	if t == nil || t.kind != tokWord {
		return ""
	}
	upper := true
	for i := 0; i < len(t.text); i++ {
		c := t.text[i]
		if !isAlpha(c) {
			return ""
		}
		if c >= 'a' {
			upper = false
		}
	}
	if upper {
		return t.text
	}
	return strings.ToUpper(t.text)
}

// skipGroup: p at '(' -> just past the matching ')', or the end.
func (s *sqlParser) skipGroup() {
	depth := 0
	for {
		if s.isPunct('(') {
			depth++
		}
		if s.isPunct(')') {
			depth--
		}
		s.p++
		if depth <= 0 || s.atEnd() {
			return
		}
	}
}

func (s *sqlParser) namePart() string {
	t := s.peek()
	if t == nil {
		return ""
	}
	if t.kind == tokQuotedIdent {
		s.p++
		return unquote(t.text)
	}
	if t.kind != tokWord || isReservedName(t.text) {
		return ""
	}
	s.p++
	return t.text
}

// qualifiedName is schema.table as written, each part unquoted; "" on
// anything else (db..table, t.*).
func (s *sqlParser) qualifiedName() string {
	name := s.namePart()
	for name != "" && s.acceptPunct('.') {
		part := s.namePart()
		if part == "" {
			return ""
		}
		name += "." + part
	}
	return name
}
