// SPDX-License-Identifier: Apache-2.0

// What a SQL statement does, for the span name and db.operation.name /
// db.collection.name: the first keyword and the main table. A port of the
// summary half of the eBPF agent's src/sqltext/sql_summary.cpp, so both modes
// name database spans identically. Pure functions over bytes, linear in the
// input; results are cached per (*sql.DB, query) by the SQL hook.

package rt

import "strings"

// querySummary is the operation ("SELECT", empty when there is none) and the
// main table as written with quotes stripped ("public.visits", empty when not
// known for sure) of the first statement.
type querySummary struct {
	operation  string
	collection string
}

// ---- characters (ASCII only) ----

func isSpaceByte(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isAlpha(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }

// Bytes >= 0x80 belong to identifiers: every dialect accepts UTF-8 letters.
func isIdentStart(c byte) bool { return isAlpha(c) || c == '_' || c >= 0x80 }
func isIdentChar(c byte) bool  { return isIdentStart(c) || isDigit(c) || c == '$' }

// ---- lexer ----

type tokenKind uint8

const (
	tokSpace       tokenKind = iota // whitespace or comment
	tokWord                         // keyword or unquoted identifier
	tokQuotedIdent                  // "x", `x`, [x]
	tokLiteral                      // string, number; also everything after an ambiguity
	tokPlaceholder                  // $1, ?, ?1, :name, @p1
	tokPunct                        // one byte, or "::"
)

type sqlToken struct {
	kind tokenKind
	text string
}

// How a backslash inside '...' behaves: always an escape (E'...'), or
// ambiguous (the server setting decides, so a quote after an odd run of
// backslashes may or may not end the string: the rest is one literal).
type backslashMode uint8

const (
	backslashAlways backslashMode = iota
	backslashAmbiguous
)

// maxDollarTag bounds the $tag$ search: longer tags count as unterminated.
const maxDollarTag = 64

// sqlLexer splits SQL into tokens with the agent's summary dialect: "x", `x`
// and [x] are identifiers, $$...$$ and Oracle q'[...]' are strings, -- and
// /* */ (nesting) are comments. Every call consumes at least one byte.
type sqlLexer struct {
	s string
	i int
}

func (l *sqlLexer) done() bool { return l.i >= len(l.s) }

func (l *sqlLexer) at(k int) byte {
	if k < len(l.s) {
		return l.s[k]
	}
	return 0
}

func (l *sqlLexer) tok(kind tokenKind, start int) sqlToken {
	return sqlToken{kind, l.s[start:l.i]}
}

func (l *sqlLexer) restAsLiteral(start int) sqlToken {
	l.i = len(l.s)
	return l.tok(tokLiteral, start)
}

func (l *sqlLexer) next() sqlToken {
	start := l.i
	c := l.s[l.i]
	if isSpaceByte(c) {
		for l.i < len(l.s) && isSpaceByte(l.s[l.i]) {
			l.i++
		}
		return l.tok(tokSpace, start)
	}
	if n := l.at(l.i + 1); (c == '-' && n == '-') || (c == '/' && n == '*') {
		return l.comment(start)
	}
	switch c {
	case '\'':
		return l.quotedString(start, l.i, backslashAmbiguous)
	case '"':
		return l.quotedIdent(start, '"')
	case '`':
		return l.quotedIdent(start, '`')
	case '[':
		return l.quotedIdent(start, ']')
	case '$':
		return l.dollar(start)
	case '?':
		l.i++
		for l.i < len(l.s) && isDigit(l.s[l.i]) { // SQLite ?NNN
			l.i++
		}
		return l.tok(tokPlaceholder, start)
	case ':':
		return l.colon(start)
	case '@':
		return l.atSign(start)
	}
	if isDigit(c) || (c == '.' && l.dotStartsNumber()) {
		return l.number(start)
	}
	if isIdentStart(c) {
		return l.word(start)
	}
	l.i++
	return l.tok(tokPunct, start)
}

// comment: block comments nest (PostgreSQL); where they do not, nesting only
// makes the comment longer.
func (l *sqlLexer) comment(start int) sqlToken {
	if l.s[l.i] == '/' {
		depth := 0
		for l.i < len(l.s) {
			switch {
			case l.s[l.i] == '/' && l.at(l.i+1) == '*':
				depth++
				l.i += 2
			case l.s[l.i] == '*' && l.at(l.i+1) == '/':
				l.i += 2
				depth--
				if depth == 0 {
					return l.tok(tokSpace, start)
				}
			default:
				l.i++
			}
		}
		return l.tok(tokSpace, start)
	}
	for l.i < len(l.s) && l.s[l.i] != '\n' {
		l.i++
	}
	return l.tok(tokSpace, start)
}

// quotedString: a string opened at open (its quote byte); start may be
// earlier to include a prefix (N'..').
func (l *sqlLexer) quotedString(start, open int, mode backslashMode) sqlToken {
	quote := l.s[open]
	odd := false
	for l.i = open + 1; l.i < len(l.s); l.i++ {
		c := l.s[l.i]
		if c == '\\' {
			if mode == backslashAlways {
				l.i++ // skips the escaped byte
			} else {
				odd = !odd
			}
			continue
		}
		if c != quote {
			odd = false
			continue
		}
		if odd {
			break // ends here or not, depending on the server: the rest is literal
		}
		if l.at(l.i+1) == quote { // '' escape
			l.i++
			continue
		}
		l.i++
		return l.tok(tokLiteral, start)
	}
	return l.restAsLiteral(start)
}

func (l *sqlLexer) quotedIdent(start int, closing byte) sqlToken {
	for l.i = start + 1; l.i < len(l.s); l.i++ {
		if l.s[l.i] != closing {
			continue
		}
		if l.at(l.i+1) == closing { // "" escape
			l.i++
			continue
		}
		l.i++
		return l.tok(tokQuotedIdent, start)
	}
	return l.restAsLiteral(start) // unterminated
}

// qQuoted reads Oracle q'<open>...<close>'; l.i is at the quote.
func (l *sqlLexer) qQuoted(start int) sqlToken {
	open := l.at(l.i + 1)
	closing := open
	switch open {
	case '[':
		closing = ']'
	case '{':
		closing = '}'
	case '(':
		closing = ')'
	case '<':
		closing = '>'
	}
	for j := l.i + 2; j+1 < len(l.s); j++ {
		if l.s[j] == closing && l.s[j+1] == '\'' {
			l.i = j + 2
			return l.tok(tokLiteral, start)
		}
	}
	return l.restAsLiteral(start)
}

func (l *sqlLexer) dollar(start int) sqlToken {
	n := l.at(l.i + 1)
	if isDigit(n) { // $1
		l.i++
		for l.i < len(l.s) && isDigit(l.s[l.i]) {
			l.i++
		}
		return l.tok(tokPlaceholder, start)
	}
	if tagEnd := l.dollarTagEnd(); tagEnd >= 0 {
		tag := l.s[start:tagEnd]
		if len(tag) > maxDollarTag {
			return l.restAsLiteral(start)
		}
		end := strings.Index(l.s[tagEnd:], tag)
		if end < 0 {
			return l.restAsLiteral(start)
		}
		l.i = tagEnd + end + len(tag)
		return l.tok(tokLiteral, start)
	}
	l.i++
	if !isIdentStart(n) {
		return l.tok(tokPunct, start)
	}
	l.skipIdentChars() // SQLite $name
	return l.tok(tokPlaceholder, start)
}

// dollarTagEnd is one past the closing '$' of a "$$" or "$tag$" at l.i, or -1.
func (l *sqlLexer) dollarTagEnd() int {
	j := l.i + 1
	if l.at(j) != '$' && !isIdentStart(l.at(j)) {
		return -1
	}
	for j < len(l.s) && (isIdentStart(l.s[j]) || isDigit(l.s[j])) {
		j++
	}
	if l.at(j) == '$' {
		return j + 1
	}
	return -1
}

func (l *sqlLexer) skipIdentChars() {
	for l.i < len(l.s) && (isIdentStart(l.s[l.i]) || isDigit(l.s[l.i])) {
		l.i++
	}
}

func (l *sqlLexer) colon(start int) sqlToken {
	n := l.at(l.i + 1)
	if n == ':' { // PostgreSQL cast
		l.i += 2
		return l.tok(tokPunct, start)
	}
	l.i++
	if isIdentStart(n) {
		l.skipIdentChars()
		return l.tok(tokPlaceholder, start)
	}
	return l.tok(tokPunct, start)
}

// atSign reads @p1, @name, @@version; "@5" is PostgreSQL's abs() of a literal.
func (l *sqlLexer) atSign(start int) sqlToken {
	j := l.i
	for l.at(j) == '@' {
		j++
	}
	if !isIdentStart(l.at(j)) {
		l.i++
		return l.tok(tokPunct, start)
	}
	l.i = j
	l.skipIdentChars()
	return l.tok(tokPlaceholder, start)
}

// number: everything glued to a leading digit is one literal (42, 3.14, 1e-5,
// 0xFF, 1_000).
func (l *sqlLexer) number(start int) sqlToken {
	hex := l.s[l.i] == '0' && (l.at(l.i+1) == 'x' || l.at(l.i+1) == 'X')
	l.i++
	for l.i < len(l.s) {
		c, prev := l.s[l.i], l.s[l.i-1]
		exponentSign := (c == '+' || c == '-') && !hex && (prev == 'e' || prev == 'E')
		if !isIdentChar(c) && c != '.' && !exponentSign {
			break
		}
		l.i++
	}
	return l.tok(tokLiteral, start)
}

// dotStartsNumber: ".5" is a number, "t.5" and "\"t\".x" are qualified names.
func (l *sqlLexer) dotStartsNumber() bool {
	if !isDigit(l.at(l.i + 1)) {
		return false
	}
	if l.i == 0 {
		return true
	}
	prev := l.s[l.i-1]
	return !(isIdentChar(prev) || prev == '"' || prev == '`' || prev == ']' || prev == ')')
}

// word: string prefixes glued to a quote belong to the literal: N'x', X'0F',
// B'1', E'x' (backslash escapes), _utf8mb4'x' and Oracle q'[x]' / nq'[x]'.
func (l *sqlLexer) word(start int) sqlToken {
	for l.i < len(l.s) && isIdentChar(l.s[l.i]) {
		l.i++
	}
	w := l.s[start:l.i]
	if l.at(l.i) != '\'' {
		return l.tok(tokWord, start)
	}
	switch {
	case strings.EqualFold(w, "q") || strings.EqualFold(w, "nq"):
		return l.qQuoted(start)
	case strings.EqualFold(w, "e"):
		return l.quotedString(start, l.i, backslashAlways)
	case strings.EqualFold(w, "n") || strings.EqualFold(w, "x") || strings.EqualFold(w, "b") || w[0] == '_':
		return l.quotedString(start, l.i, backslashAmbiguous)
	}
	return l.tok(tokWord, start)
}

// ---- summary parser ----

func firstStatementTokens(sql string) []sqlToken {
	out := make([]sqlToken, 0, 16)
	l := sqlLexer{s: sql}
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
		if strings.EqualFold(w, s) {
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
	return k >= 0 && k < len(s.t) && s.t[k].kind == tokWord && strings.EqualFold(s.t[k].text, kw)
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

// skipTop skips SQL Server's TOP (n) [PERCENT].
func (s *sqlParser) skipTop() {
	if !s.acceptKw("TOP") {
		return
	}
	if s.isPunct('(') {
		s.skipGroup()
	} else if t := s.peek(); t != nil && t.kind == tokLiteral {
		s.p++
	}
	s.acceptKw("PERCENT")
}

// skipIfExists skips IF [NOT] EXISTS; false when IF is not followed by a
// well-formed clause.
func (s *sqlParser) skipIfExists() bool {
	if !s.acceptKw("IF") {
		return true
	}
	s.acceptKw("NOT")
	return s.acceptKw("EXISTS")
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

// findTopLevelFrom is the index of the first FROM at parenthesis depth 0
// from index from on, -1 when the enclosing group closes first. "IS [NOT]
// DISTINCT FROM" is an operator, not a FROM clause.
func (s *sqlParser) findTopLevelFrom(from int) int {
	depth := 0
	for k := from; k < len(s.t); k++ {
		if s.punctAt(k, '(') {
			depth++
		}
		if s.punctAt(k, ')') {
			depth--
			if depth < 0 {
				return -1
			}
		}
		if depth == 0 && s.kwAt(k, "FROM") && !s.kwAt(k-1, "DISTINCT") {
			return k
		}
	}
	return -1
}

// reappearsAfterFrom: SQL Server's "UPDATE a SET ... FROM t a" names an alias
// first, so a target that shows up again as a bare name in a later FROM clause
// may not be a table at all. Qualified uses (t.id) do not count.
func (s *sqlParser) reappearsAfterFrom(name string) bool {
	if strings.IndexByte(name, '.') >= 0 {
		return false
	}
	from := s.findTopLevelFrom(s.p)
	if from < 0 {
		return false
	}
	for k := from + 1; k < len(s.t); k++ {
		t := s.t[k]
		named := (t.kind == tokWord && strings.EqualFold(t.text, name)) ||
			(t.kind == tokQuotedIdent && strings.EqualFold(unquote(t.text), name))
		if named && !s.punctAt(k-1, '.') && !s.punctAt(k+1, '.') {
			return true
		}
	}
	return false
}

func (s *sqlParser) run() querySummary {
	for s.acceptPunct('(') {
	}
	op := s.keyword()
	if op == "" {
		return querySummary{}
	}
	s.p++
	if op == "WITH" {
		return s.withStatement()
	}
	return querySummary{op, s.collectionFor(op)}
}

func (s *sqlParser) collectionFor(op string) string {
	switch op {
	case "SELECT":
		return s.selectTarget()
	case "INSERT", "REPLACE", "UPSERT":
		return s.insertTarget()
	case "UPDATE":
		return s.updateTarget()
	case "DELETE":
		return s.deleteTarget()
	case "MERGE":
		return s.mergeTarget()
	case "CREATE":
		return s.createTarget()
	case "DROP":
		return s.dropTarget()
	case "TRUNCATE":
		return s.truncateTarget()
	case "ALTER":
		return s.alterTarget()
	}
	return ""
}

func (s *sqlParser) selectTarget() string {
	s.p = s.findTopLevelFrom(s.p)
	if s.p < 0 {
		s.p = len(s.t)
		return ""
	}
	s.p++
	s.acceptKw("ONLY")
	name := s.qualifiedName()
	if s.isPunct('(') {
		return "" // table function: generate_series(1, 10)
	}
	return name
}

func (s *sqlParser) insertTarget() string {
	for s.acceptAny("LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY", "IGNORE") {
	}
	if s.acceptKw("OR") { // SQLite: INSERT OR REPLACE
		s.p++
	}
	s.skipTop()
	into := s.acceptKw("INTO")
	if into {
		s.acceptKw("TABLE") // ClickHouse
	}
	name := s.qualifiedName()
	// Without INTO (MySQL, SQL Server) the name must be followed by the row
	// source; this keeps Oracle's "INSERT ALL INTO ..." from naming "ALL".
	rowSource := s.isPunct('(') || s.isKw("VALUES") || s.isKw("VALUE") || s.isKw("SELECT") ||
		s.isKw("SET") || s.isKw("DEFAULT")
	if into || rowSource {
		return name
	}
	return ""
}

func (s *sqlParser) updateTarget() string {
	for s.acceptAny("LOW_PRIORITY", "IGNORE") {
	}
	if s.acceptKw("OR") { // SQLite: UPDATE OR REPLACE
		s.p++
	}
	s.skipTop()
	s.acceptKw("ONLY")
	name := s.qualifiedName()
	if s.reappearsAfterFrom(name) {
		return ""
	}
	return name
}

func (s *sqlParser) deleteTarget() string {
	for s.acceptAny("LOW_PRIORITY", "QUICK", "IGNORE") {
	}
	s.skipTop()
	if s.acceptKw("FROM") {
		s.acceptKw("ONLY")
		name := s.qualifiedName()
		if s.reappearsAfterFrom(name) {
			return ""
		}
		return name
	}
	// SQL Server's "DELETE t WHERE ..."; MySQL's "DELETE t1 FROM t1 JOIN ..."
	// names aliases.
	name := s.qualifiedName()
	if s.atEnd() || s.isKw("WHERE") || s.isKw("OUTPUT") {
		return name
	}
	return ""
}

func (s *sqlParser) mergeTarget() string {
	s.skipTop()
	s.acceptKw("INTO")
	return s.qualifiedName()
}

func (s *sqlParser) createTarget() string {
	for s.acceptAny("OR", "REPLACE", "GLOBAL", "LOCAL", "TEMPORARY", "TEMP", "UNLOGGED",
		"TRANSIENT", "VOLATILE") {
	}
	if !s.acceptKw("TABLE") || !s.skipIfExists() {
		return ""
	}
	return s.qualifiedName()
}

func (s *sqlParser) dropTarget() string {
	s.acceptKw("TEMPORARY")
	if !s.acceptKw("TABLE") || !s.skipIfExists() {
		return ""
	}
	name := s.qualifiedName()
	if s.isPunct(',') {
		return "" // several tables, none of them the main one
	}
	return name
}

func (s *sqlParser) truncateTarget() string {
	s.acceptKw("TABLE")
	s.acceptKw("ONLY")
	name := s.qualifiedName()
	if s.isPunct(',') {
		return ""
	}
	return name
}

func (s *sqlParser) alterTarget() string {
	for s.acceptAny("ONLINE", "IGNORE") {
	}
	if !s.acceptKw("TABLE") || !s.skipIfExists() {
		return ""
	}
	s.acceptKw("ONLY")
	return s.qualifiedName()
}

// withStatement reads WITH [RECURSIVE] name [(cols)] AS [[NOT] MATERIALIZED]
// (...) [, ...] <statement>; "WITH" alone when the CTE list cannot be followed.
func (s *sqlParser) withStatement() querySummary {
	unknown := querySummary{operation: "WITH"}
	var ctes []string
	s.acceptKw("RECURSIVE")
	for {
		name := s.namePart()
		if name == "" {
			return unknown
		}
		ctes = append(ctes, name)
		if s.isPunct('(') {
			s.skipGroup()
		}
		if !s.acceptKw("AS") {
			return unknown
		}
		s.acceptKw("NOT")
		s.acceptKw("MATERIALIZED")
		if !s.isPunct('(') {
			return unknown
		}
		s.skipGroup()
		if !s.acceptPunct(',') {
			break
		}
	}
	op := s.keyword()
	if op == "" || op == "WITH" {
		return unknown
	}
	s.p++
	collection := s.collectionFor(op)
	for _, cte := range ctes {
		if strings.EqualFold(cte, collection) {
			collection = "" // not a table
		}
	}
	return querySummary{op, collection}
}

// summarizeSQL returns the operation and main table of the first statement in
// sql. Leading whitespace and comments are skipped; for WITH, the statement
// after the CTEs is summarised.
func summarizeSQL(sql string) querySummary {
	p := sqlParser{t: firstStatementTokens(sql)}
	return p.run()
}

// dbSpanName follows the database semantic conventions: "{operation}
// {collection}", "{operation}", "{collection}", else the db system.
func dbSpanName(s querySummary, system string) string {
	switch {
	case s.operation != "" && s.collection != "":
		return s.operation + " " + s.collection
	case s.operation != "":
		return s.operation
	case s.collection != "":
		return s.collection
	case system != "":
		return system
	}
	return dbSystemOther
}
