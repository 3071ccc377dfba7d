// SPDX-License-Identifier: Apache-2.0

package metrics

import (
	"hash/maphash"
	"sync/atomic"
)

// index finds a series by key. Series are few (at most the limit) and read
// on every request, so lookups go to an immutable table read without a lock;
// new series go to dirty, under the Recorder's mutex, and are merged into a
// new read table once the slow path has been taken often enough to pay for
// the copy (as sync.Map does, without boxing the key in an interface).
type index struct {
	seed   maphash.Seed
	read   atomic.Value // *table, never modified once stored
	dirty  *table       // series not yet in read; nil when none
	misses int          // slow-path lookups since the last merge
}

func (x *index) load() *table {
	t, _ := x.read.Load().(*table)
	return t
}

// observe adds v to the series of k, creating the series if there is room.
func (r *Recorder) observe(k *seriesKey, v float64) {
	h := r.idx.hash(k)
	if s := r.idx.load().get(h, k); s != nil {
		s.observe(v)
		return
	}
	// At the limit every series is in read: a miss is a span to drop, and
	// dropping it takes no lock.
	if atomic.LoadUint32(&r.full) != 0 {
		r.dropped()
		return
	}
	if s := r.lookupSlow(h, k, v); s != nil {
		s.observe(v)
	}
}

// lookupSlow finds the series of k under the mutex, or makes it with v
// already observed (so no snapshot sees an empty series) and returns nil;
// at the limit it drops the span and returns nil too.
func (r *Recorder) lookupSlow(h uint64, k *seriesKey, v float64) *series {
	r.mu.Lock()
	read := r.idx.load()
	if s := read.get(h, k); s != nil { // merged since our lookup
		r.mu.Unlock()
		return s
	}
	s := r.idx.dirty.get(h, k)
	found := s != nil
	if !found {
		if len(r.sorted) >= r.maxSeries {
			r.merge()
			atomic.StoreUint32(&r.full, 1)
			r.mu.Unlock()
			r.dropped()
			return nil
		}
		s = newSeries(k, r.now())
		s.observe(v)
		if r.idx.dirty == nil {
			r.idx.dirty = newTable(0)
		}
		r.idx.dirty.put(h, s)
		r.insertSorted(s)
	}
	if r.idx.misses++; r.idx.misses >= mergeAfter(len(r.sorted)) {
		r.merge()
	}
	r.mu.Unlock()
	if !found {
		return nil
	}
	return s
}

// mergeAfter is how many slow-path lookups a merge of n series waits for:
// the copy costs O(n), so this keeps it O(1) per slow lookup, while a new
// series that is hot reaches the lock-free table soon.
func mergeAfter(n int) int { return 32 + n/8 }

// merge publishes read ∪ dirty as the new read table. Called with r.mu held.
func (r *Recorder) merge() {
	if r.idx.dirty != nil {
		read := r.idx.load()
		m := newTable(len(r.sorted))
		add := func(h uint64, s *series) {
			if h == 0 {
				h = r.idx.hash(&s.key)
			}
			m.put(h, s)
		}
		read.each(add)
		r.idx.dirty.each(add)
		r.idx.read.Store(m)
		r.idx.dirty = nil
	}
	r.idx.misses = 0
}
