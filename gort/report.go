// SPDX-License-Identifier: Apache-2.0

// What the runtime tells the user, on stderr (the program's stdout is the
// program's): configuration problems once, export errors at most once per
// 10 s with the count of those held back, dropped spans when they start, and
// at exit what was lost. Nothing is lost silently.

package rt

import (
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

const errorReportInterval = 10 * time.Second

type reporter struct {
	mu         sync.Mutex
	last       time.Time
	printed    bool
	suppressed int
}

var report reporter

// printf writes one line to stderr.
func (r *reporter) printf(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
}

// limited writes "goinstr: what: err" at most once per interval; the lines in
// between are counted and the count goes with the next one.
func (r *reporter) limited(what string, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := time.Now()
	if r.printed && now.Sub(r.last) < errorReportInterval {
		r.suppressed++
		return
	}
	r.printed, r.last = true, now
	if r.suppressed > 0 {
		r.printf("goinstr: %s: %v (%d more errors suppressed since the last report)", what, err, r.suppressed)
		r.suppressed = 0
		return
	}
	r.printf("goinstr: %s: %v", what, err)
}

// onQueueFull runs on the request's goroutine when a span is dropped.
func onQueueFull(first bool, dropped uint64) {
	if first {
		report.printf("goinstr: span export queue full (%d spans; OTEL_BSP_MAX_QUEUE_SIZE): "+
			"dropping spans until the exporter catches up; the count is printed at exit", batchConfig().MaxQueue)
	}
}

func onExportError(exporter string, spans int, err error) {
	report.limited("export error", fmt.Errorf("%s: %v (%d spans lost)", exporter, err, spans))
}

var lastSummary struct {
	sync.Mutex
	dropped, failed, unmeasured, noStatus uint64
}

// printExitSummary says, once per change, what did not reach the exporters.
func printExitSummary() {
	var dropped, failed, unmeasured uint64
	noStatus := atomic.LoadUint64(&grpcNoStatus)
	if tr == nil {
		return
	}
	if p := tr.Processor(); p != nil {
		_, dropped, failed = p.Stats()
	}
	if rtMetrics != nil {
		unmeasured = rtMetrics.recorder.Unmeasured()
	}
	lastSummary.Lock()
	defer lastSummary.Unlock()
	if dropped == lastSummary.dropped && failed == lastSummary.failed &&
		unmeasured == lastSummary.unmeasured && noStatus == lastSummary.noStatus {
		return
	}
	lastSummary.dropped, lastSummary.failed, lastSummary.unmeasured = dropped, failed, unmeasured
	lastSummary.noStatus = noStatus
	if dropped > 0 {
		report.printf("goinstr: %d spans were dropped because the export queue was full "+
			"(raise OTEL_BSP_MAX_QUEUE_SIZE, or check the collector)", dropped)
	}
	if failed > 0 {
		report.printf("goinstr: %d spans were lost in failed exports (the errors were printed above)", failed)
	}
	if noStatus > 0 {
		report.printf("goinstr: %d gRPC calls served ended without a status from grpc; they have no span", noStatus)
	}
	if unmeasured > 0 {
		report.printf("goinstr: %d spans were not measured: the metrics reached their limit of "+
			"%d series", unmeasured, maxMetricSeries)
	}
}
