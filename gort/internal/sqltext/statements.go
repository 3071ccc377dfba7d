// SPDX-License-Identifier: Apache-2.0

package sqltext

import "strings"

// The statement shapes the summary parser follows, one extractor each, and
// the clauses they skip.

// run summarises the first statement: its keyword, then the extractor for it.
func (s *sqlParser) run() Summary {
	for s.acceptPunct('(') {
	}
	op := s.keyword()
	if op == "" {
		return Summary{}
	}
	s.p++
	if op == "WITH" {
		return s.withStatement()
	}
	return Summary{op, s.collectionFor(op)}
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
func (s *sqlParser) withStatement() Summary {
	unknown := Summary{Operation: "WITH"}
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
		if equalFold(cte, collection) {
			collection = "" // not a table
		}
	}
	return Summary{op, collection}
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
		named := (t.kind == tokWord && equalFold(t.text, name)) ||
			(t.kind == tokQuotedIdent && equalFold(unquote(t.text), name))
		if named && !s.punctAt(k-1, '.') && !s.punctAt(k+1, '.') {
			return true
		}
	}
	return false
}
