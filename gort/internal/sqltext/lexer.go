// SPDX-License-Identifier: Apache-2.0

package sqltext

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

// maxDollarTag bounds the $tag$ search: longer tags count as unterminated,
// which bounds the cost of looking for the closing tag.
const maxDollarTag = 64

// sqlLexer splits SQL into tokens under a dialect's rules; it is the Lexer of
// src/sqltext/sql_summary.cpp, shared by Summarize and Sanitize there as
// here. Every call consumes at least one byte and no byte is looked at more
// than a bounded number of times, so a whole pass is linear in the input.
type sqlLexer struct {
	s string
	d dialect
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
	if l.startsComment() {
		return l.comment(start)
	}
	switch c {
	case '\'':
		return l.quotedString(start, l.i, l.d.backslash)
	case '"':
		if l.d.doubleQuoteIsString {
			return l.quotedString(start, l.i, l.d.backslash)
		}
		return l.quotedIdent(start, '"')
	case '`':
		return l.quotedIdent(start, '`')
	case '[':
		if l.d.bracketIdentifiers {
			return l.quotedIdent(start, ']')
		}
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

func (l *sqlLexer) startsComment() bool {
	c, n := l.s[l.i], l.at(l.i+1)
	return (c == '-' && n == '-') || (c == '/' && n == '*') || (c == '#' && l.d.hashComments) ||
		(c == '/' && n == '/' && l.d.slashComments)
}

// comment: block comments nest (PostgreSQL); where they do not, nesting only
// makes the comment longer, which drops more text but never emits any.
func (l *sqlLexer) comment(start int) sqlToken {
	if l.s[l.i] == '/' && l.at(l.i+1) == '*' {
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
	for l.i < len(l.s) && l.s[l.i] != '\n' { // --, # and // run to the end of the line
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
			switch mode {
			case backslashAlways:
				l.i++ // skips the escaped byte
			case backslashAmbiguous:
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
	// Unterminated: what follows may well be a literal, so none of it is
	// emitted.
	return l.restAsLiteral(start)
}
