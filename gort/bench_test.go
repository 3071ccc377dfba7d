// SPDX-License-Identifier: Apache-2.0

//go:build go1.23

// Hot-path benchmarks (go test -run '^$' -bench . -benchmem): the hooks run
// on every request and query of an instrumented program. Spans go through a
// real batch processor to an exporter that discards them, so the numbers are
// the request goroutine's cost: the hook, the span, the queue. (go1.23: the
// server benchmarks set Request.Pattern as ServeMux does.)

package rt

import (
	"context"
	"database/sql"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"goinstr.dev/rt/internal/metrics"
	"goinstr.dev/rt/internal/model"
	"goinstr.dev/rt/internal/tracer"
)

type discardExporter struct{}

func (discardExporter) Name() string               { return "discard" }
func (discardExporter) Export([]*model.Span) error { return nil }

// benchTracer installs a tracer exporting to discardExporter with the
// default batch settings; measure, if not nil, gets every span.
func benchTracer(b *testing.B, measure func(*model.Span)) *tracer.Processor {
	proc := tracer.NewProcessor(tracer.DefaultBatchConfig(), []tracer.Exporter{discardExporter{}}, nil, nil)
	old := UseTracerForTests(tracer.New(tracer.AlwaysOn(), proc, measure))
	b.Cleanup(func() { UseTracerForTests(old) })
	b.ReportAllocs()
	b.ResetTimer()
	return proc
}

// reportDropped says how many spans the queue could not take (the exporter
// goroutine fell behind): those did not cost an export's share.
func reportDropped(b *testing.B, proc *tracer.Processor) {
	_, dropped, _ := proc.Stats()
	b.ReportMetric(float64(dropped)/float64(b.N), "dropped/op")
}

func benchServer(b *testing.B, req *http.Request, measure func(*model.Span)) {
	proc := benchTracer(b, measure)
	for i := 0; i < b.N; i++ {
		req2, end := serveHTTPHook(req)
		req2.Pattern = "GET /items/{id}"
		end(200, nil)
	}
	b.StopTimer()
	reportDropped(b, proc)
}

func BenchmarkServerHook(b *testing.B) {
	req := httptest.NewRequest("GET", "http://example.com:8080/items/42", nil)
	req.Header.Set("User-Agent", "bench")
	benchServer(b, req, nil)
}

func BenchmarkServerHookWithTraceparent(b *testing.B) {
	req := httptest.NewRequest("GET", "http://example.com:8080/items/42", nil)
	req.Header.Set("User-Agent", "bench")
	req.Header.Set("Traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	benchServer(b, req, nil)
}

func BenchmarkServerHookWithMetrics(b *testing.B) {
	req := httptest.NewRequest("GET", "http://example.com:8080/items/42", nil)
	req.Header.Set("User-Agent", "bench")
	benchServer(b, req, metrics.NewRecorder(0).Record)
}

func BenchmarkClientHook(b *testing.B) {
	req, _ := http.NewRequestWithContext(context.Background(), "GET", "http://api.example.com/v1/items?q=1", nil)
	t := &http.Transport{}
	resp := &http.Response{StatusCode: 200, ProtoMajor: 1, ProtoMinor: 1}
	proc := benchTracer(b, nil)
	for i := 0; i < b.N; i++ {
		_, end := roundTripHook(t, req)
		end(resp, nil)
	}
	b.StopTimer()
	reportDropped(b, proc)
}

func BenchmarkSQLHook(b *testing.B) {
	db, err := sql.Open("goinstr-fake", "")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	storeTarget(db, newDBTarget("postgresql", "postgres://app@db.example.com:5432/shop"), true)
	ctx := context.Background()
	proc := benchTracer(b, nil)
	for i := 0; i < b.N; i++ {
		sqlHook(ctx, db, "", "SELECT * FROM visits WHERE id = $1")(nil)
	}
	b.StopTimer()
	reportDropped(b, proc)
}

func BenchmarkFuncSpan(b *testing.B) {
	ctx := context.Background()
	proc := benchTracer(b, nil)
	for i := 0; i < b.N; i++ {
		_, s := StartFunc(ctx, "pkg.Func")
		s.End(nil)
	}
	b.StopTimer()
	reportDropped(b, proc)
}

// The gRPC server hooks as the woven grpc calls them per RPC: start in
// handleStream, the status from the transport, Done when handleStream returns.
func BenchmarkGRPCServerHook(b *testing.B) {
	cfg.GRPCEnabled = true
	remote := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 41000}
	local := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 50051}
	base := context.Background()
	proc := benchTracer(b, nil)
	for i := 0; i < b.N; i++ {
		ctx, call := GRPCServerStart(base, "/pkg.Echo/Say", nil, nil, remote, local)
		GRPCServerStatus(ctx, 0, "")
		call.Done()
	}
	b.StopTimer()
	reportDropped(b, proc)
}

// The gRPC client hooks per call: start in newClientStream, the connection
// from csAttempt.newStream, the end in clientStream.finish.
func BenchmarkGRPCClientHook(b *testing.B) {
	cfg.GRPCEnabled = true
	remote := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 50051}
	base := context.Background()
	proc := benchTracer(b, nil)
	for i := 0; i < b.N; i++ {
		ctx, call, _ := GRPCClientStart(base, "127.0.0.1:50051", "/pkg.Echo/Say")
		GRPCClientCallFrom(ctx).SetPeer(remote)
		call.End(0, "", nil, true)
	}
	b.StopTimer()
	reportDropped(b, proc)
}
