// SPDX-License-Identifier: Apache-2.0

// SQL summarizer tests that no list of cases can replace (random input,
// linear time). The cases themselves, summarizeSQL and dbSpanName, are the
// vectors shared with the eBPF agent's C++ tests, data/sqltext/vectors.json
// (vectors_test.go), so both modes stay in step.

package rt

import (
	"math/rand"
	"strings"
	"testing"
)

// Arbitrary bytes never crash the lexer or parser, and it stays linear.
func TestSummarizeSQLRobust(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	alphabet := []byte("selctFROMinsertowh ()[]\"'`$;:?@.,-/*\\\n0123456789eExqQ_\x80")
	for i := 0; i < 5000; i++ {
		b := make([]byte, r.Intn(80))
		for j := range b {
			b[j] = alphabet[r.Intn(len(alphabet))]
		}
		_ = summarizeSQL(string(b))
	}
	big := "SELECT " + strings.Repeat("((", 50000) + " FROM t"
	_ = summarizeSQL(big)
}

func BenchmarkSummarizeSQL(b *testing.B) {
	const q = "SELECT id, name, created_at FROM public.visits v JOIN users u ON u.id = v.user_id WHERE v.id = $1"
	for b.Loop() {
		_ = summarizeSQL(q)
	}
}
