// SPDX-License-Identifier: Apache-2.0

// Summarize tests that no list of cases can replace (random input, linear
// time). The cases themselves, of Summarize and SpanName, are the vectors
// shared with the eBPF agent's C++ tests, data/sqltext/vectors.json
// (vectors_test.go), so both modes stay in step.

package sqltext

import (
	"math/rand"
	"strings"
	"testing"
)

// Arbitrary bytes never crash the lexer or parser, and it stays linear.
func TestSummarizeRobust(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	alphabet := []byte("selctFROMinsertowh ()[]\"'`$;:?@.,-/*\\\n0123456789eExqQ_\x80")
	for i := 0; i < 5000; i++ {
		b := make([]byte, r.Intn(80))
		for j := range b {
			b[j] = alphabet[r.Intn(len(alphabet))]
		}
		_ = Summarize(string(b))
	}
	big := "SELECT " + strings.Repeat("((", 50000) + " FROM t"
	_ = Summarize(big)
}
