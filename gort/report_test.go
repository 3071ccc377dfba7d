// SPDX-License-Identifier: Apache-2.0

// Tests of what the runtime says at exit about spans that did not make it:
// dropped from a full queue, lost in failed exports, not measured.

package rt

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"goinstr.dev/rt/internal/metrics"
	"goinstr.dev/rt/internal/model"
	"goinstr.dev/rt/internal/tracer"
)

// freshSummary forgets what the last exit summary said.
func freshSummary(t *testing.T) {
	lastSummary.Lock()
	old := [3]uint64{lastSummary.dropped, lastSummary.failed, lastSummary.unmeasured}
	lastSummary.dropped, lastSummary.failed, lastSummary.unmeasured = 0, 0, 0
	lastSummary.Unlock()
	t.Cleanup(func() {
		lastSummary.Lock()
		lastSummary.dropped, lastSummary.failed, lastSummary.unmeasured = old[0], old[1], old[2]
		lastSummary.Unlock()
	})
}

// blockedExporter holds the processor's goroutine in Export until released.
type blockedExporter struct {
	release chan struct{}
	once    sync.Once
}

func (e *blockedExporter) Name() string { return "blocked" }

func (e *blockedExporter) Export([]*model.Span) error {
	<-e.release
	return nil
}

func (e *blockedExporter) unblock() { e.once.Do(func() { close(e.release) }) }

type failingExporter struct{}

func (failingExporter) Name() string               { return "failing" }
func (failingExporter) Export([]*model.Span) error { return errors.New("refused") }

func endSpans(n int) {
	for i := 0; i < n; i++ {
		_, s := StartFunc(context.Background(), "work")
		s.End(nil)
	}
}

func TestExitSummaryDroppedSpans(t *testing.T) {
	keepGlobals(t)
	freshSummary(t)
	clearEnv(t)
	exp := &blockedExporter{release: make(chan struct{})}
	t.Cleanup(exp.unblock)
	// A queue of one, and an exporter that never returns: of three spans at
	// most one is being exported and one queued, so at least one is dropped.
	proc := tracer.NewProcessor(tracer.BatchConfig{MaxQueue: 1, ScheduleDelay: time.Hour},
		[]tracer.Exporter{exp}, onQueueFull, nil)
	UseTracerForTests(tracer.New(tracer.AlwaysOn(), proc, nil))
	rtMetrics = nil
	warning := captureStderr(t, func() { endSpans(3) })
	_, dropped, _ := proc.Stats()
	if dropped == 0 || dropped > 2 {
		t.Fatalf("%d spans dropped", dropped)
	}
	want := fmt.Sprintf("goinstr: span export queue full (%d spans; OTEL_BSP_MAX_QUEUE_SIZE): dropping spans "+
		"until the exporter catches up; the count is printed at exit\n", batchConfig().MaxQueue)
	if warning != want {
		t.Errorf("when dropping starts: %q, want %q (once)", warning, want)
	}
	out := captureStderr(t, printExitSummary)
	want = fmt.Sprintf("goinstr: %d spans were dropped because the export queue was full "+
		"(raise OTEL_BSP_MAX_QUEUE_SIZE, or check the collector)\n", dropped)
	if out != want {
		t.Errorf("summary %q, want %q", out, want)
	}
	if again := captureStderr(t, printExitSummary); again != "" {
		t.Errorf("the same summary twice: %q", again)
	}
}

func TestExitSummaryFailedExports(t *testing.T) {
	keepGlobals(t)
	freshSummary(t)
	proc := tracer.NewProcessor(tracer.BatchConfig{ScheduleDelay: time.Hour},
		[]tracer.Exporter{failingExporter{}}, nil, nil)
	UseTracerForTests(tracer.New(tracer.AlwaysOn(), proc, nil))
	rtMetrics = nil
	endSpans(2)
	proc.Flush(5 * time.Second)
	out := captureStderr(t, printExitSummary)
	if want := "goinstr: 2 spans were lost in failed exports (the errors were printed above)\n"; out != want {
		t.Errorf("summary %q, want %q", out, want)
	}
}

func TestExitSummaryUnmeasuredSpans(t *testing.T) {
	keepGlobals(t)
	freshSummary(t)
	rtMetrics = &metricsPipeline{recorder: metrics.NewRecorder(1)}
	UseTracerForTests(tracer.New(tracer.AlwaysOn(), nil, rtMetrics.recorder.Record))
	for _, status := range []int{200, 500} { // two series; the limit is one
		_, end := serveHTTPHook(httptest.NewRequest("GET", "http://h/", nil))
		end(status, nil)
	}
	out := captureStderr(t, printExitSummary)
	want := fmt.Sprintf("goinstr: 1 spans were not measured: the metrics reached their limit of %d series\n",
		maxMetricSeries)
	if out != want {
		t.Errorf("summary %q, want %q", out, want)
	}
}

func TestExitSummaryNothingLost(t *testing.T) {
	keepGlobals(t)
	freshSummary(t)
	tt := useTestTracer(t)
	rtMetrics = nil
	endSpans(2)
	if out := captureStderr(t, Flush); out != "" {
		t.Errorf("Flush said %q with nothing lost", out)
	}
	if n := len(tt.exp.taken()); n != 2 {
		t.Errorf("%d spans flushed", n)
	}
}
