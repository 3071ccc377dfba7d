// SPDX-License-Identifier: Apache-2.0

// The batch processor: batch sizes, the three export triggers (a full batch,
// the schedule delay, Flush), Flush's timeout, drops from a full queue, export
// errors and the counters. Readiness is always a channel or Flush; the only
// waits are timeouts that Flush itself must honour.

package tracer

import (
	"testing"
	"time"

	"goinstr.dev/rt/internal/model"
)

func TestDefaultBatchConfig(t *testing.T) {
	want := BatchConfig{MaxQueue: 2048, MaxBatch: 512, ScheduleDelay: 5 * time.Second}
	if got := DefaultBatchConfig(); got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestNewProcessorFixesConfig(t *testing.T) {
	for _, c := range []struct{ in, want BatchConfig }{
		{BatchConfig{MaxQueue: 3, MaxBatch: 10, ScheduleDelay: time.Second},
			BatchConfig{MaxQueue: 3, MaxBatch: 3, ScheduleDelay: time.Second}},
		{BatchConfig{MaxQueue: -1, MaxBatch: 100, ScheduleDelay: -time.Second},
			BatchConfig{MaxQueue: 2048, MaxBatch: 100, ScheduleDelay: 5 * time.Second}},
		{BatchConfig{MaxQueue: 100, MaxBatch: -5, ScheduleDelay: time.Millisecond},
			BatchConfig{MaxQueue: 100, MaxBatch: 100, ScheduleDelay: time.Millisecond}},
	} {
		if got := NewProcessor(c.in, nil, nil, nil).cfg; got != c.want {
			t.Errorf("%+v: got %+v, want %+v", c.in, got, c.want)
		}
	}
}

// While the exporter is busy the queue grows past a batch; what is queued is
// then exported in batches of MaxBatch, in order.
func TestProcessorBatchesAtMostMaxBatch(t *testing.T) {
	g := newGate()
	p := NewProcessor(BatchConfig{MaxQueue: 100, MaxBatch: 10, ScheduleDelay: time.Hour}, []Exporter{g}, nil, nil)
	in := spansN(35)
	for _, s := range in[:10] {
		p.Enqueue(s)
	}
	g.waitEntered(t) // the full batch was taken; the exporter holds it
	for _, s := range in[10:] {
		p.Enqueue(s)
	}
	close(g.release)
	if !p.Flush(waitLong) {
		t.Fatal("Flush timed out")
	}
	if got := g.sizes(); !equalInts(got, []int{10, 10, 10, 5}) {
		t.Errorf("batch sizes %v, want [10 10 10 5]", got)
	}
	checkSameSpans(t, g.spans(), in)
	if e, d, f := p.Stats(); e != 35 || d != 0 || f != 0 {
		t.Errorf("Stats = %d, %d, %d; want 35, 0, 0", e, d, f)
	}
}

func TestProcessorExportsWhenBatchFull(t *testing.T) {
	r := newRecorder("r")
	p := NewProcessor(BatchConfig{MaxQueue: 100, MaxBatch: 5, ScheduleDelay: time.Hour}, []Exporter{r}, nil, nil)
	in := spansN(5)
	for _, s := range in[:4] {
		p.Enqueue(s)
	}
	r.noExport(t) // four are not a batch, and the delay is an hour away
	p.Enqueue(in[4])
	if n := r.nextExport(t); n != 5 {
		t.Fatalf("exported %d spans, want 5", n)
	}
	checkSameSpans(t, r.spans(), in)
}

func TestProcessorExportsOnScheduleDelay(t *testing.T) {
	const delay = 20 * time.Millisecond
	r := newRecorder("r")
	p := NewProcessor(BatchConfig{MaxQueue: 100, MaxBatch: 100, ScheduleDelay: delay}, []Exporter{r}, nil, nil)
	start := time.Now()
	for _, s := range spansN(3) {
		p.Enqueue(s)
	}
	if n := r.nextExport(t); n != 3 {
		t.Fatalf("exported %d spans, want 3", n)
	}
	if d := time.Since(start); d < delay {
		t.Errorf("exported after %v, before the schedule delay %v", d, delay)
	}
	// And again at the next tick.
	for _, s := range spansN(2) {
		p.Enqueue(s)
	}
	if n := r.nextExport(t); n != 2 {
		t.Fatalf("exported %d spans, want 2", n)
	}
}

func TestProcessorFlush(t *testing.T) {
	if !NewProcessor(DefaultBatchConfig(), nil, nil, nil).Flush(waitLong) {
		t.Error("Flush of a processor that never had a span timed out")
	}
	r := newRecorder("r")
	p := NewProcessor(BatchConfig{MaxQueue: 100, MaxBatch: 50, ScheduleDelay: time.Hour}, []Exporter{r}, nil, nil)
	in := spansN(7)
	for _, s := range in {
		p.Enqueue(s)
	}
	if !p.Flush(waitLong) {
		t.Fatal("Flush timed out")
	}
	// Flush returns after the export, not before.
	if got := r.sizes(); !equalInts(got, []int{7}) {
		t.Fatalf("batch sizes %v after Flush, want [7]", got)
	}
	checkSameSpans(t, r.spans(), in)
	if e, d, f := p.Stats(); e != 7 || d != 0 || f != 0 {
		t.Errorf("Stats = %d, %d, %d; want 7, 0, 0", e, d, f)
	}
	if !p.Flush(waitLong) || len(r.sizes()) != 1 {
		t.Errorf("a second Flush with nothing queued exported %v", r.sizes())
	}
}

func TestProcessorFlushTimeout(t *testing.T) {
	g := newGate()
	p := NewProcessor(BatchConfig{MaxQueue: 100, MaxBatch: 50, ScheduleDelay: time.Hour}, []Exporter{g}, nil, nil)
	p.Enqueue(spansN(1)[0])
	// The processor takes the flush and blocks in the exporter: Flush gives up
	// waiting for the export.
	start := time.Now()
	if p.Flush(300 * time.Millisecond) {
		t.Fatal("Flush returned true while the exporter is blocked")
	}
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Errorf("Flush gave up after %v, before its timeout", d)
	}
	g.waitEntered(t)
	// The processor is still in the exporter: this Flush cannot even hand over.
	p.Enqueue(spansN(1)[0])
	if p.Flush(20 * time.Millisecond) {
		t.Fatal("Flush returned true while the exporter is blocked")
	}
	close(g.release)
	if !p.Flush(waitLong) {
		t.Fatal("Flush timed out after the exporter was released")
	}
	if e, _, _ := p.Stats(); e != 2 {
		t.Errorf("exported %d, want 2", e)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func checkSameSpans(t *testing.T, got, want []*model.Span) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d spans exported, want %d", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("span %d exported is %s, want %s", i, got[i].Name, want[i].Name)
		}
	}
}
