// SPDX-License-Identifier: Apache-2.0

package otlp

import "unicode/utf8"

// appendJSONString writes s as a JSON string with protobuf's escaping (what
// the agent's printer writes): the two-character escapes \" \\ \b \f \n \r
// \t, \u00XX for the other control characters, and \uXXXX (a surrogate pair
// above U+FFFF) for < and > and for the invisible or direction-changing
// characters that JavaScript treats specially; everything else as UTF-8.
// Each byte of an invalid UTF-8 sequence becomes U+FFFD, as in appendString.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0 // s[start:i] is pending, to be copied unchanged
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != 0x7f {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = appendUnicodeEscape(b, rune(c))
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, "\uFFFD"...)
			i++
			start = i
			continue
		}
		if jsonEscaped(r) {
			b = append(b, s[start:i]...)
			b = appendUnicodeEscape(b, r)
			start = i + size
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// jsonEscaped reports whether protobuf's JSON printer writes r (U+0080 and
// up) as an escape: the C1 controls and the format characters it lists.
func jsonEscaped(r rune) bool {
	switch {
	case r <= 0x9f, r == 0xad:
		return true
	case r < 0x600:
		return false
	case r <= 0x603, r == 0x6dd, r == 0x70f, r == 0x17b4, r == 0x17b5:
		return true
	case r < 0x200b:
		return false
	case r <= 0x200f, r >= 0x2028 && r <= 0x202e, r >= 0x2060 && r <= 0x2064, r >= 0x206a && r <= 0x206f:
		return true
	case r == 0xfeff, r >= 0xfff9 && r <= 0xfffb:
		return true
	case r >= 0x1d173 && r <= 0x1d17a, r == 0xe0001, r >= 0xe0020 && r <= 0xe007f:
		return true
	}
	return false
}

// appendUnicodeEscape writes \uXXXX in lowercase hex, as a UTF-16 surrogate
// pair above U+FFFF.
func appendUnicodeEscape(b []byte, r rune) []byte {
	if r > 0xffff {
		r -= 0x10000
		b = appendU16(b, 0xd800+(r>>10))
		return appendU16(b, 0xdc00+(r&0x3ff))
	}
	return appendU16(b, r)
}

func appendU16(b []byte, r rune) []byte {
	const digits = "0123456789abcdef"
	return append(b, '\\', 'u', digits[r>>12&0xf], digits[r>>8&0xf], digits[r>>4&0xf], digits[r&0xf])
}
