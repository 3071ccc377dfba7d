// SPDX-License-Identifier: Apache-2.0

// Exporters for the tests: one that records every batch and signals it, one
// that blocks until released, one that fails.

package tracer

import (
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"goinstr.dev/rt/internal/model"
)

// waitLong bounds every wait for something the processor's goroutine must
// do; it is a failure guard, never how long a test takes.
const waitLong = 10 * time.Second

// recorder keeps every batch it is given and sends its size on exports.
type recorder struct {
	name    string
	mu      sync.Mutex
	batches [][]*model.Span
	exports chan int // buffered: one entry per Export
}

func newRecorder(name string) *recorder { return &recorder{name: name, exports: make(chan int, 1000)} }

func (r *recorder) Name() string { return r.name }

func (r *recorder) Export(spans []*model.Span) error {
	r.mu.Lock()
	r.batches = append(r.batches, spans)
	r.mu.Unlock()
	r.exports <- len(spans)
	return nil
}

// sizes are the batch sizes so far; spans the spans, in export order.
func (r *recorder) sizes() []int {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []int
	for _, b := range r.batches {
		out = append(out, len(b))
	}
	return out
}

func (r *recorder) spans() []*model.Span {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []*model.Span
	for _, b := range r.batches {
		out = append(out, b...)
	}
	return out
}

// nextExport waits for the next Export and returns its batch size.
func (r *recorder) nextExport(t *testing.T) int {
	t.Helper()
	select {
	case n := <-r.exports:
		return n
	case <-time.After(waitLong):
		t.Fatalf("%s: no export within %v", r.name, waitLong)
		return 0
	}
}

// noExport asserts no Export has happened yet.
func (r *recorder) noExport(t *testing.T) {
	t.Helper()
	select {
	case n := <-r.exports:
		t.Fatalf("%s: unexpected export of %d spans", r.name, n)
	default:
	}
}

// gate blocks each Export until release is closed; entered gets one value
// per Export begun.
type gate struct {
	recorder
	entered chan struct{}
	release chan struct{}
}

func newGate() *gate {
	return &gate{recorder: recorder{name: "gate", exports: make(chan int, 1000)},
		entered: make(chan struct{}, 1000), release: make(chan struct{})}
}

func (g *gate) Export(spans []*model.Span) error {
	g.entered <- struct{}{}
	<-g.release
	return g.recorder.Export(spans)
}

func (g *gate) waitEntered(t *testing.T) {
	t.Helper()
	select {
	case <-g.entered:
	case <-time.After(waitLong):
		t.Fatalf("no export began within %v", waitLong)
	}
}

// failing refuses every batch with errFailing.
type failing struct{ name string }

var errFailing = errors.New("collector unavailable")

func (f failing) Name() string               { return f.name }
func (f failing) Export([]*model.Span) error { return errFailing }

type discard struct{}

func (discard) Name() string               { return "discard" }
func (discard) Export([]*model.Span) error { return nil }

// spansN makes n distinct spans, named by their index.
func spansN(n int) []*model.Span {
	out := make([]*model.Span, n)
	for i := range out {
		out[i] = &model.Span{Name: "s" + strconv.Itoa(i), SpanID: newSpanID()}
	}
	return out
}
