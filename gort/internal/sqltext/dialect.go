// SPDX-License-Identifier: Apache-2.0

package sqltext

// ---- characters (ASCII only, as in the C++ lexer) ----

// Character classes, one table lookup per byte: the lexer's word and number
// loops test every byte of a query, and the chained comparisons were the
// largest part of their time.
const (
	classSpace      = 1 << iota // ASCII whitespace
	classDigit                  // 0-9
	classIdentStart             // letter, '_', or any byte >= 0x80 (UTF-8 letters)
	classIdentChar              // identStart, digit or '$'
)

var charClass = makeCharClass()

func makeCharClass() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		switch {
		case b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == '\v':
			t[c] = classSpace
		case b >= '0' && b <= '9':
			t[c] = classDigit | classIdentChar
		case isAlpha(b) || b == '_' || b >= 0x80:
			t[c] = classIdentStart | classIdentChar
		case b == '$':
			t[c] = classIdentChar
		}
	}
	return t
}

func isSpaceByte(c byte) bool  { return charClass[c]&classSpace != 0 }
func isDigit(c byte) bool      { return c >= '0' && c <= '9' }
func isAlpha(c byte) bool      { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }
func isIdentStart(c byte) bool { return charClass[c]&classIdentStart != 0 }
func isIdentChar(c byte) bool  { return charClass[c]&classIdentChar != 0 }
func isNameByte(c byte) bool   { return charClass[c]&(classIdentStart|classDigit) != 0 } // no '$'

func toUpper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

// equalFold compares ASCII letters case-insensitively and every other byte
// exactly. strings.EqualFold would also fold Unicode (the Kelvin sign matches
// 'k', 'ſ' matches 's'), which the C++ side does not: both ports must read
// the same words as keywords.
func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if toUpper(a[i]) != toUpper(b[i]) {
			return false
		}
	}
	return true
}

// ---- dialects ----

// How a backslash inside '...' behaves. backslashAmbiguous: a server setting
// decides (standard_conforming_strings, NO_BACKSLASH_ESCAPES), so a quote
// after an odd run of backslashes ends the string for one setting and not for
// the other.
type backslashMode uint8

const (
	backslashNever backslashMode = iota
	backslashAlways
	backslashAmbiguous
)

// dialect holds the lexical rules that decide where a literal or a comment
// ends; the same fields as Dialect in src/sqltext/sql_summary.cpp.
type dialect struct {
	doubleQuoteIsString bool
	bracketIdentifiers  bool // [name]; elsewhere '[' is an array subscript
	dollarQuotes        bool // $$...$$, $tag$...$tag$
	hashComments        bool // MySQL "# ..."
	slashComments       bool // Snowflake "// ..."
	qQuotes             bool // Oracle q'[...]'
	numericColonBinds   bool // Oracle :1
	backslash           backslashMode
}

// unknownDialect is the union of the risky rules, so that no dialect's
// literal is emitted. Brackets stay punctuation because in PostgreSQL
// ARRAY['x'] the quote inside must still start a string.
var unknownDialect = dialect{doubleQuoteIsString: true, dollarQuotes: true, hashComments: true,
	qQuotes: true, backslash: backslashAmbiguous}

// summaryDialect: Summarize only needs names, never masks, so "x" and [x]
// are identifiers there.
var summaryDialect = dialect{bracketIdentifiers: true, dollarQuotes: true, qQuotes: true,
	backslash: backslashAmbiguous}

// dialectFor maps db.system.name to its rules.
func dialectFor(dbSystem string) dialect {
	switch dbSystem {
	case "postgresql", "cockroachdb":
		return dialect{dollarQuotes: true, backslash: backslashAmbiguous}
	case "mysql", "mariadb":
		return dialect{doubleQuoteIsString: true, hashComments: true, backslash: backslashAmbiguous}
	case "sqlite":
		// SQLite reads "x" as a string when no column x exists, so it is masked.
		return dialect{doubleQuoteIsString: true, bracketIdentifiers: true, backslash: backslashNever}
	case "microsoft.sql_server":
		return dialect{bracketIdentifiers: true, backslash: backslashNever}
	case "oracle.db":
		return dialect{qQuotes: true, numericColonBinds: true, backslash: backslashNever}
	case "clickhouse":
		return dialect{dollarQuotes: true, hashComments: true, backslash: backslashAlways}
	case "snowflake":
		return dialect{dollarQuotes: true, slashComments: true, backslash: backslashAlways}
	}
	return unknownDialect
}
