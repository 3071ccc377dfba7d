// SPDX-License-Identifier: Apache-2.0

// Byte-level text helpers with the C locale's rules, so that trimming,
// lowercasing and typo suggestions give exactly what the agent's C++ gives
// (strings.TrimSpace and strings.ToLower would also touch Unicode).

package config

// isSpace is C's isspace: space, \t, \n, \v, \f, \r.
func isSpace(c byte) bool {
	return c == ' ' || (c >= '\t' && c <= '\r')
}

func isAlnum(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

func isXDigit(c byte) bool {
	return hexValue(c) >= 0
}

func trim(text string) string {
	start, end := 0, len(text)
	for start < end && isSpace(text[start]) {
		start++
	}
	for end > start && isSpace(text[end-1]) {
		end--
	}
	return text[start:end]
}

func toLower(text string) string {
	for i := 0; i < len(text); i++ {
		if c := text[i]; c >= 'A' && c <= 'Z' {
			out := []byte(text)
			for j := i; j < len(out); j++ {
				if out[j] >= 'A' && out[j] <= 'Z' {
					out[j] += 'a' - 'A'
				}
			}
			return string(out)
		}
	}
	return text
}

func indexByte(text string, c byte) int {
	for i := 0; i < len(text); i++ {
		if text[i] == c {
			return i
		}
	}
	return -1
}

func hasPrefix(text, prefix string) bool {
	return len(text) >= len(prefix) && text[:len(prefix)] == prefix
}

func contains(list []string, item string) bool {
	for _, s := range list {
		if s == item {
			return true
		}
	}
	return false
}

// editDistance is the Levenshtein distance between two byte strings.
func editDistance(a, b string) int {
	row := make([]int, len(b)+1)
	for j := range row {
		row[j] = j
	}
	for i := 1; i <= len(a); i++ {
		diagonal := row[0]
		row[0] = i
		for j := 1; j <= len(b); j++ {
			above := row[j]
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			best := row[j] + 1
			if row[j-1]+1 < best {
				best = row[j-1] + 1
			}
			if diagonal+cost < best {
				best = diagonal + cost
			}
			row[j] = best
			diagonal = above
		}
	}
	return row[len(b)]
}

// closestMatch is the first candidate within two edits of word (the usual
// typos: enable/enabled, endpont, protcol) and closer than any before it;
// a candidate no longer than the distance is never suggested. "" if none.
func closestMatch(word string, candidates []string) string {
	const maxDistance = 2
	best, bestDistance := "", maxDistance+1
	for _, candidate := range candidates {
		d := editDistance(word, candidate)
		if d < bestDistance && d < len(candidate) {
			best, bestDistance = candidate, d
		}
	}
	return best
}
