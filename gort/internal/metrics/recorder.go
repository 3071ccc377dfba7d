// SPDX-License-Identifier: Apache-2.0

package metrics

import (
	"hash/maphash"
	"sync"
	"sync/atomic"
	"time"

	"goinstr.dev/rt/internal/model"
)

// Recorder aggregates finished spans into cumulative histograms, one series
// per instrument and attribute set. Record runs once per span on the
// request's goroutine, so a span whose attribute set was seen before costs a
// lock-free table lookup and one per-series mutex; only a new set takes the
// Recorder's mutex. Safe for concurrent use.
type Recorder struct {
	// unmeasured first: 64-bit atomics need 8-byte alignment on 32-bit CPUs.
	unmeasured uint64
	full       uint32 // 1 once the limit is reached: every series is in read

	// OnLimit, when set (before the first Record), is called once, on the
	// goroutine of the first span that would have started a series beyond
	// the limit, so the caller can warn.
	OnLimit func()

	maxSeries int
	now       func() int64 // Unix ns; a field so tests can fix it
	idx       index
	mu        sync.Mutex // guards idx's slow path and sorted
	sorted    []*series  // every series, in Snapshot order
}

// NewRecorder makes a Recorder that keeps at most maxSeries series (the
// agent's 2000 when maxSeries <= 0).
func NewRecorder(maxSeries int) *Recorder {
	if maxSeries <= 0 {
		maxSeries = DefaultMaxSeries
	}
	return &Recorder{
		idx:       index{seed: maphash.MakeSeed()},
		maxSeries: maxSeries,
		now:       func() int64 { return time.Now().UnixNano() },
	}
}

// Record measures a finished span. Spans no instrument covers are ignored;
// a span that would start a series beyond the limit is counted in
// Unmeasured instead.
func (r *Recorder) Record(s *model.Span) {
	if s == nil {
		return
	}
	var x spanIndex
	x.fill(s.Attrs)
	var k seriesKey
	if !measure(s, &x, &k) {
		return
	}
	r.observe(&k, seconds(s))
}

// seconds is the span's duration; an end before the start counts as zero.
func seconds(s *model.Span) float64 {
	if s.EndNs <= s.StartNs {
		return 0
	}
	return float64(s.EndNs-s.StartNs) / 1e9
}

// dropped counts a span beyond the limit and tells OnLimit about the first.
func (r *Recorder) dropped() {
	if atomic.AddUint64(&r.unmeasured, 1) == 1 && r.OnLimit != nil {
		r.OnLimit()
	}
}

// Unmeasured is the number of spans not measured because the series limit
// was reached.
func (r *Recorder) Unmeasured() uint64 { return atomic.LoadUint64(&r.unmeasured) }

// Measured is the number of spans recorded into a series.
func (r *Recorder) Measured() uint64 {
	// Summed on demand: a shared counter would be one more contended cache
	// line on every request.
	var n uint64
	for _, s := range r.all() {
		s.mu.Lock()
		n += s.count
		s.mu.Unlock()
	}
	return n
}

// Series is the number of series.
func (r *Recorder) Series() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.sorted)
}

func (r *Recorder) all() []*series {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*series(nil), r.sorted...)
}
