// SPDX-License-Identifier: Apache-2.0

// The request path's cost (go test -run '^$' -bench . -benchmem): a span
// started and ended through a real Processor whose exporter discards the
// batches, so what is measured is the request goroutine's share.

package tracer

import (
	"context"
	"testing"

	"goinstr.dev/rt/internal/model"
)

func benchTracer(b *testing.B, s Sampler) (*Tracer, *Processor) {
	proc := NewProcessor(DefaultBatchConfig(), []Exporter{discard{}}, nil, nil)
	b.ReportAllocs()
	return New(s, proc, nil), proc
}

// reportDropped says how many spans the queue could not take because the
// exporter goroutine fell behind (those skipped the queue's cost).
func reportDropped(b *testing.B, proc *Processor) {
	b.StopTimer()
	proc.Flush(waitLong)
	_, dropped, _ := proc.Stats()
	b.ReportMetric(float64(dropped)/float64(b.N), "dropped/op")
}

func BenchmarkStartEnd(b *testing.B) {
	tr, proc := benchTracer(b, AlwaysOn())
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_, s := tr.Start(ctx, "GET /items/{id}", model.KindServer)
		s.End()
	}
	reportDropped(b, proc)
}

// A server span as the HTTP hook makes it: remote parent, ten attributes.
func BenchmarkStartEndServer(b *testing.B) {
	tr, proc := benchTracer(b, AlwaysOn())
	ctx := context.Background()
	parent, _ := ParseTraceparent(specHeader)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_, s := tr.StartWithParent(ctx, parent, "GET", model.KindServer)
		s.Add(model.String("http.request.method", "GET"), model.String("url.path", "/items/42"),
			model.String("url.scheme", "http"), model.String("server.address", "example.com"),
			model.Int("server.port", 8080), model.String("network.protocol.version", "1.1"),
			model.String("client.address", "10.0.0.1"), model.String("user_agent.original", "bench"),
			model.String("http.route", "/items/{id}"))
		s.SetName("GET /items/{id}")
		s.Add(model.Int("http.response.status_code", 200))
		s.End()
	}
	reportDropped(b, proc)
}

func BenchmarkStartEndUnsampled(b *testing.B) {
	off, _ := ParseSampler("always_off", "")
	tr, proc := benchTracer(b, off)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_, s := tr.Start(ctx, "GET /items/{id}", model.KindServer)
		s.End()
	}
	reportDropped(b, proc)
}

func BenchmarkStartEndParallel(b *testing.B) {
	tr, proc := benchTracer(b, AlwaysOn())
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		ctx := context.Background()
		for pb.Next() {
			_, s := tr.Start(ctx, "GET /items/{id}", model.KindServer)
			s.End()
		}
	})
	reportDropped(b, proc)
}
