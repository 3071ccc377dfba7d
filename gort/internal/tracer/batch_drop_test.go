// SPDX-License-Identifier: Apache-2.0

// The batch processor under pressure: a full queue drops and counts, exporter
// failures are reported and counted, and concurrent producers lose nothing.

package tracer

import (
	"sync"
	"testing"
	"time"

	"goinstr.dev/rt/internal/model"
)

type drop struct {
	first bool
	n     uint64
}

// fullProcessor is a processor whose exporter is blocked holding one batch of
// queue spans and whose queue is full again; release lets it go.
func fullProcessor(t *testing.T, queue int, onDrop func(bool, uint64)) (p *Processor, g *gate) {
	g = newGate()
	p = NewProcessor(BatchConfig{MaxQueue: queue, MaxBatch: queue, ScheduleDelay: time.Hour}, []Exporter{g},
		onDrop, nil)
	for _, s := range spansN(queue) {
		p.Enqueue(s)
	}
	g.waitEntered(t)
	for _, s := range spansN(queue) {
		p.Enqueue(s)
	}
	return p, g
}

func TestProcessorQueueFullDrops(t *testing.T) {
	var drops []drop
	p, g := fullProcessor(t, 4, func(first bool, n uint64) { drops = append(drops, drop{first, n}) })
	if len(drops) != 0 {
		t.Fatalf("dropped before the queue was full: %v", drops)
	}
	for _, s := range spansN(3) {
		p.Enqueue(s)
	}
	if want := []drop{{true, 1}, {false, 2}, {false, 3}}; len(drops) != 3 || drops[0] != want[0] ||
		drops[1] != want[1] || drops[2] != want[2] {
		t.Errorf("onDrop calls %v, want %v", drops, want)
	}
	if _, d, _ := p.Stats(); d != 3 {
		t.Errorf("dropped %d, want 3", d)
	}
	close(g.release)
	if !p.Flush(waitLong) {
		t.Fatal("Flush timed out")
	}
	if e, d, f := p.Stats(); e != 8 || d != 3 || f != 0 {
		t.Errorf("Stats = %d, %d, %d; want 8, 3, 0", e, d, f)
	}
	// The queue takes spans again once drained.
	p.Enqueue(spansN(1)[0])
	if !p.Flush(waitLong) {
		t.Fatal("Flush timed out")
	}
	if e, d, _ := p.Stats(); e != 9 || d != 3 {
		t.Errorf("after draining: exported %d, dropped %d; want 9, 3", e, d)
	}
}

// From many goroutines at once, exactly one drop is reported as the first.
func TestProcessorQueueFullDropsConcurrent(t *testing.T) {
	const workers, each = 8, 200
	var mu sync.Mutex
	var drops []drop
	p, g := fullProcessor(t, 4, func(first bool, n uint64) {
		mu.Lock()
		drops = append(drops, drop{first, n})
		mu.Unlock()
	})
	defer close(g.release)
	extra := spansN(1)[0]
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				p.Enqueue(extra)
			}
		}()
	}
	wg.Wait()
	seen := make(map[uint64]bool)
	firsts := 0
	for _, d := range drops {
		if d.first {
			firsts++
			if d.n != 1 {
				t.Errorf("first drop reported with count %d", d.n)
			}
		}
		if seen[d.n] {
			t.Errorf("drop count %d reported twice", d.n)
		}
		seen[d.n] = true
	}
	if firsts != 1 || len(drops) != workers*each {
		t.Errorf("%d onDrop calls, %d of them first; want %d, 1", len(drops), firsts, workers*each)
	}
	if _, d, _ := p.Stats(); d != workers*each {
		t.Errorf("dropped %d, want %d", d, workers*each)
	}
}

type exportError struct {
	exporter string
	spans    int
	err      error
}

func TestProcessorExportErrors(t *testing.T) {
	var errs []exportError // written by the processor's goroutine, read after Flush
	var mu sync.Mutex
	r := newRecorder("console")
	p := NewProcessor(BatchConfig{MaxQueue: 100, MaxBatch: 50, ScheduleDelay: time.Hour},
		[]Exporter{failing{"otlp"}, r}, nil, func(name string, n int, err error) {
			mu.Lock()
			errs = append(errs, exportError{name, n, err})
			mu.Unlock()
		})
	for _, s := range spansN(3) {
		p.Enqueue(s)
	}
	if !p.Flush(waitLong) {
		t.Fatal("Flush timed out")
	}
	for _, s := range spansN(2) {
		p.Enqueue(s)
	}
	if !p.Flush(waitLong) {
		t.Fatal("Flush timed out")
	}
	mu.Lock()
	defer mu.Unlock()
	want := []exportError{{"otlp", 3, errFailing}, {"otlp", 2, errFailing}}
	if len(errs) != 2 || errs[0] != want[0] || errs[1] != want[1] {
		t.Errorf("onError calls %v, want %v", errs, want)
	}
	// The other exporter still had every batch; the spans count as failed.
	if got := r.sizes(); !equalInts(got, []int{3, 2}) {
		t.Errorf("the working exporter had batches %v, want [3 2]", got)
	}
	if e, d, f := p.Stats(); e != 0 || d != 0 || f != 5 {
		t.Errorf("Stats = %d, %d, %d; want 0, 0, 5", e, d, f)
	}
}

// Without callbacks, drops and failures are only counted.
func TestProcessorNilCallbacks(t *testing.T) {
	p := NewProcessor(BatchConfig{MaxQueue: 2, MaxBatch: 2, ScheduleDelay: time.Hour},
		[]Exporter{failing{"otlp"}}, nil, nil)
	for _, s := range spansN(2) {
		p.Enqueue(s)
	}
	if !p.Flush(waitLong) {
		t.Fatal("Flush timed out")
	}
	if e, _, f := p.Stats(); e != 0 || f != 2 {
		t.Errorf("exported %d, failed %d; want 0, 2", e, f)
	}
	full, g := fullProcessor(t, 1, nil)
	defer close(g.release)
	full.Enqueue(spansN(1)[0])
	if _, d, _ := full.Stats(); d != 1 {
		t.Errorf("dropped %d, want 1", d)
	}
}

// Spans enqueued from many goroutines are each exported exactly once.
func TestProcessorConcurrentEnqueue(t *testing.T) {
	const workers, each = 8, 500
	r := newRecorder("r")
	r.exports = make(chan int, workers*each)
	p := NewProcessor(BatchConfig{MaxQueue: workers * each, MaxBatch: 64, ScheduleDelay: time.Millisecond},
		[]Exporter{r}, nil, nil)
	in := spansN(workers * each)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(part []*model.Span) {
			defer wg.Done()
			for _, s := range part {
				p.Enqueue(s)
			}
		}(in[w*each : (w+1)*each])
	}
	wg.Wait()
	if !p.Flush(waitLong) {
		t.Fatal("Flush timed out")
	}
	got := r.spans()
	seen := make(map[*model.Span]int)
	for _, s := range got {
		seen[s]++
	}
	for _, s := range in {
		if seen[s] != 1 {
			t.Fatalf("span %s exported %d times", s.Name, seen[s])
		}
	}
	for _, n := range r.sizes() {
		if n > 64 {
			t.Errorf("a batch of %d spans, above MaxBatch 64", n)
		}
	}
	if e, d, f := p.Stats(); e != workers*each || d != 0 || f != 0 {
		t.Errorf("Stats = %d, %d, %d; want %d, 0, 0", e, d, f, workers*each)
	}
}
