// SPDX-License-Identifier: Apache-2.0

package sqltext

import "strings"

// The lexer's tokens that start with a sigil, a digit or a letter: dollar
// quotes, binds, numbers and prefixed strings.

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
	if l.d.dollarQuotes {
		if tagEnd := l.dollarTagEnd(); tagEnd >= 0 {
			return l.dollarQuoted(start, tagEnd)
		}
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
	for j < len(l.s) && isNameByte(l.s[j]) {
		j++
	}
	if l.at(j) == '$' {
		return j + 1
	}
	return -1
}

func (l *sqlLexer) dollarQuoted(start, tagEnd int) sqlToken {
	tag := l.s[start:tagEnd]
	if len(tag) > maxDollarTag {
		return l.restAsLiteral(start)
	}
	// The search costs at most len(tag) per byte, and len(tag) is bounded.
	end := strings.Index(l.s[tagEnd:], tag)
	if end < 0 {
		return l.restAsLiteral(start)
	}
	l.i = tagEnd + end + len(tag)
	return l.tok(tokLiteral, start)
}

func (l *sqlLexer) skipIdentChars() {
	for l.i < len(l.s) && isNameByte(l.s[l.i]) {
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
	// ":2" elsewhere is an array slice bound (arr[1:2]), a literal.
	if isIdentStart(n) || (l.d.numericColonBinds && isDigit(n)) {
		l.skipIdentChars()
		return l.tok(tokPlaceholder, start)
	}
	return l.tok(tokPunct, start)
}

// atSign reads @p1, @name (SQL Server, MySQL user variables), @@version;
// "@5" is PostgreSQL's abs() of a literal.
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

// number: everything glued to a leading digit is one literal: 42, 3.14,
// 1e-5, 0xFF, 1_000, and MySQL's digit-led names (masked too: a name lost is
// better than a number kept).
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

// word: string prefixes glued to a quote belong to the literal: N'x'
// national, X'0F' hex, B'1' bit, E'x' escape (PostgreSQL; backslashes always
// escape there), _utf8mb4'x' charset introducer (MySQL) and, where the
// dialect has them, Oracle's q'[x]' / nq'[x]'.
func (l *sqlLexer) word(start int) sqlToken {
	for l.i < len(l.s) && isIdentChar(l.s[l.i]) {
		l.i++
	}
	w := l.s[start:l.i]
	if l.at(l.i) != '\'' {
		return l.tok(tokWord, start)
	}
	switch {
	case l.d.qQuotes && (equalFold(w, "q") || equalFold(w, "nq")):
		return l.qQuoted(start)
	case equalFold(w, "e"):
		return l.quotedString(start, l.i, backslashAlways)
	case equalFold(w, "n") || equalFold(w, "x") || equalFold(w, "b") || w[0] == '_':
		return l.quotedString(start, l.i, l.d.backslash)
	}
	return l.tok(tokWord, start)
}
