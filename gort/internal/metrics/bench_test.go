// SPDX-License-Identifier: Apache-2.0

package metrics

import (
	"strconv"
	"testing"

	"goinstr.dev/rt/internal/model"
)

// Record runs once per span on the request's goroutine: these are its cost
// for an attribute set seen before (the steady state), from one goroutine
// and from all CPUs at once, and for a span no instrument covers.
func BenchmarkRecordSeen(b *testing.B) {
	r := NewRecorder(0)
	s := serverSpan(3*ms, 200, "/items/{id}")
	for i := 0; i < 100; i++ {
		r.Record(s)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r.Record(s)
	}
}

func BenchmarkRecordSeenParallel(b *testing.B) {
	r := NewRecorder(0)
	// Eight routes, so goroutines mostly update different series.
	var spans []*model.Span
	for i := 0; i < 8; i++ {
		spans = append(spans, serverSpan(3*ms, 200, "/r"+strconv.Itoa(i)))
	}
	for i := 0; i < 1000; i++ {
		r.Record(spans[i%8])
	}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			r.Record(spans[i%8])
			i++
		}
	})
}

func BenchmarkRecordUncovered(b *testing.B) {
	r := NewRecorder(0)
	s := &model.Span{Kind: model.KindInternal, Attrs: []model.Attr{model.String("code.function", "main.work")}}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		r.Record(s)
	}
}

// A scrape of 2000 series (the limit), as Prometheus would see it.
func BenchmarkAppendPrometheus2000(b *testing.B) {
	r := NewRecorder(0)
	for i := 0; i < 2000; i++ {
		r.Record(serverSpan(3*ms, 200, "/r"+strconv.Itoa(i)))
	}
	res := &model.Resource{Attrs: []model.Attr{model.String("service.name", "shop"), model.String("host.name", "box")}}
	var buf []byte
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		buf = AppendPrometheus(buf[:0], r.Snapshot(1), res, "shop", "4242")
	}
	b.SetBytes(int64(len(buf)))
}
