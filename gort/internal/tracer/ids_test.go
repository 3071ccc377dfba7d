// SPDX-License-Identifier: Apache-2.0

// Span and trace ids: never zero, never repeated (also from many goroutines
// at once), and every bit as likely set as not.

package tracer

import (
	"encoding/binary"
	"math/bits"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
)

func TestSpanIDsUnique(t *testing.T) {
	const n = 1000000
	ids := make([]uint64, n)
	for i := range ids {
		id := newSpanID()
		if !id.IsValid() {
			t.Fatalf("id %d is zero", i)
		}
		ids[i] = binary.BigEndian.Uint64(id[:])
	}
	checkUnique(t, ids)
}

func TestTraceIDsUnique(t *testing.T) {
	const n = 1000000
	his, los := make([]uint64, n), make([]uint64, n)
	for i := 0; i < n; i++ {
		id := newTraceID()
		if !id.IsValid() {
			t.Fatalf("id %d is zero", i)
		}
		his[i], los[i] = binary.BigEndian.Uint64(id[:8]), binary.BigEndian.Uint64(id[8:])
	}
	// Each half alone is unique, so the ids are; and trace ids of different
	// requests share no half (the ratio sampler reads the low one).
	checkUnique(t, his)
	checkUnique(t, los)
}

// Ids made by many goroutines at once are unique too (one atomic add each).
func TestSpanIDsUniqueConcurrent(t *testing.T) {
	const workers, each = 8, 125000
	ids := make([]uint64, workers*each)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(part []uint64) {
			defer wg.Done()
			for i := range part {
				id := newSpanID()
				part[i] = binary.BigEndian.Uint64(id[:])
			}
		}(ids[w*each : (w+1)*each])
	}
	wg.Wait()
	checkUnique(t, ids)
}

func checkUnique(t *testing.T, ids []uint64) {
	t.Helper()
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for i := 1; i < len(ids); i++ {
		if ids[i] == ids[i-1] {
			t.Fatalf("id %016x twice among %d", ids[i], len(ids))
		}
	}
}

// Every bit is set in half the ids (within 6 standard deviations), and
// consecutive ids differ in half their bits: no counter shows through.
func TestIDBitsSpread(t *testing.T) {
	const n = 200000
	var ones [128]int
	hamming := 0
	var prev [16]byte
	for i := 0; i < n; i++ {
		id := newTraceID()
		for b := 0; b < 128; b++ {
			if id[b/8]&(0x80>>(b%8)) != 0 {
				ones[b]++
			}
		}
		if i > 0 {
			hamming += bits.OnesCount64(binary.BigEndian.Uint64(id[:8])^binary.BigEndian.Uint64(prev[:8])) +
				bits.OnesCount64(binary.BigEndian.Uint64(id[8:])^binary.BigEndian.Uint64(prev[8:]))
		}
		prev = id
	}
	const tol = 6 * 224 // 6 sd of a binomial(n, 1/2): sqrt(n)/2 = 224
	for b, c := range ones {
		if c < n/2-tol || c > n/2+tol {
			t.Errorf("trace id bit %d set in %d of %d ids", b, c, n)
		}
	}
	// Mean distance 64 bits; its standard deviation over n-1 pairs is 8/sqrt(n).
	if mean := float64(hamming) / float64(n-1); mean < 63.9 || mean > 64.1 {
		t.Errorf("consecutive trace ids differ in %.3f bits on average, want 64", mean)
	}

	var spanOnes [64]int
	for i := 0; i < n; i++ {
		id := newSpanID()
		v := binary.BigEndian.Uint64(id[:])
		for b := 0; b < 64; b++ {
			if v&(1<<uint(b)) != 0 {
				spanOnes[b]++
			}
		}
	}
	for b, c := range spanOnes {
		if c < n/2-tol || c > n/2+tol {
			t.Errorf("span id bit %d set in %d of %d ids", b, c, n)
		}
	}
}

// The generator's output is zero for exactly one counter value; newSpanID
// must step over it.
func TestSpanIDSkipsZero(t *testing.T) {
	old := atomic.LoadUint64(&idState)
	defer atomic.StoreUint64(&idState, old)
	var step uint64 = 0x9e3779b97f4a7c15 // the counter's increment
	atomic.StoreUint64(&idState, -step)
	if z := next64(); z != 0 {
		t.Fatalf("next64 from the zero counter is %x; the test's premise is wrong", z)
	}
	atomic.StoreUint64(&idState, -step)
	if id := newSpanID(); !id.IsValid() {
		t.Fatal("newSpanID returned the zero id")
	}
}
