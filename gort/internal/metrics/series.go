// SPDX-License-Identifier: Apache-2.0

package metrics

import (
	"sort"
	"strconv"
	"sync"

	"goinstr.dev/rt/internal/model"
)

// series is one attribute set's histogram. The attributes are made once,
// when the series starts, and shared by every snapshot.
type series struct {
	mu       sync.Mutex
	count    uint64
	sum      float64
	min, max float64
	buckets  [bucketCount]uint64

	key     seriesKey
	order   string // the C++ flattened key: orders series as the agent does
	attrs   []model.Attr
	startNs int64
}

func (s *series) observe(v float64) {
	s.mu.Lock()
	if s.count == 0 || v < s.min {
		s.min = v
	}
	if s.count == 0 || v > s.max {
		s.max = v
	}
	s.count++
	s.sum += v
	s.buckets[bucketIndex(v)]++
	s.mu.Unlock()
}

func newSeries(k *seriesKey, nowNs int64) *series {
	s := &series{key: *k, startNs: nowNs}
	var order []byte
	for i, id := range layouts[k.inst] {
		v := k.vals[i]
		if v.kind == 0 {
			continue
		}
		s.attrs = append(s.attrs, v.attr(keyNames[id]))
		order = appendFlattened(order, keyNames[id], v)
	}
	s.order = string(order)
	return s
}

// appendFlattened writes an attribute as aggregator.cpp flatten() does:
// key, unit separator, a type tag and the value, record separator. Series
// sort by this string, so Snapshot lists them in the agent's order.
func appendFlattened(b []byte, key string, v value) []byte {
	b = append(b, key...)
	b = append(b, 0x1f)
	a := v.attr(key)
	switch a.Kind {
	case model.ValueInt:
		b = append(b, 'i')
		b = strconv.AppendInt(b, a.Int, 10)
	case model.ValueBool:
		if a.BoolValue() {
			b = append(b, "btrue"...)
		} else {
			b = append(b, "bfalse"...)
		}
	case model.ValueDouble:
		b = append(b, 'd')
		b = appendDouble(b, a.Float)
	default:
		b = append(b, 's')
		b = append(b, a.Str...)
	}
	return append(b, 0x1e)
}

// insertSorted keeps r.sorted ordered by instrument, then flattened key (the
// order of the agent's std::map). Called with r.mu held.
func (r *Recorder) insertSorted(s *series) {
	i := sort.Search(len(r.sorted), func(i int) bool {
		o := r.sorted[i]
		return o.key.inst > s.key.inst || (o.key.inst == s.key.inst && o.order >= s.order)
	})
	r.sorted = append(r.sorted, nil)
	copy(r.sorted[i+1:], r.sorted[i:])
	r.sorted[i] = s
}

func (s *series) snapshot(p *model.HistogramPoint, nowNs int64) {
	buckets := make([]uint64, bucketCount)
	s.mu.Lock()
	copy(buckets, s.buckets[:])
	*p = model.HistogramPoint{
		Attrs:        s.attrs,
		StartNs:      s.startNs,
		TimeNs:       nowNs,
		Count:        s.count,
		Sum:          s.sum,
		Min:          s.min,
		Max:          s.max,
		BucketCounts: buckets,
	}
	s.mu.Unlock()
}
