// SPDX-License-Identifier: Apache-2.0

// Error reporting, both directions: the OTel error handler that tells the user
// about export problems without flooding stderr, and the helpers that turn a
// Go error or panic value into span status and error.type.

package rt

import (
	"fmt"
	"io"
	"sync"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// errorReportInterval is the least time between two lines on stderr.
const errorReportInterval = 10 * time.Second

// rateLimitedErrorHandler prints "goinstr: export error: ..." at most once per
// interval; errors in between are counted and the count is printed with the
// next line, so nothing is lost silently.
type rateLimitedErrorHandler struct {
	mu         sync.Mutex
	w          io.Writer
	interval   time.Duration
	now        func() time.Time
	last       time.Time
	printed    bool
	suppressed int
}

func newErrorHandler(w io.Writer) *rateLimitedErrorHandler {
	return &rateLimitedErrorHandler{w: w, interval: errorReportInterval, now: time.Now}
}

// Handle implements otel.ErrorHandler.
func (h *rateLimitedErrorHandler) Handle(err error) {
	if err == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	now := h.now()
	if h.printed && now.Sub(h.last) < h.interval {
		h.suppressed++
		return
	}
	h.printed, h.last = true, now
	if h.suppressed > 0 {
		fmt.Fprintf(h.w, "goinstr: export error: %v (%d more errors suppressed since the last report)\n", err, h.suppressed)
		h.suppressed = 0
		return
	}
	fmt.Fprintf(h.w, "goinstr: export error: %v\n", err)
}

// errorTypeOf is error.type for a Go value: its dynamic type ("*net.OpError").
func errorTypeOf(v any) string {
	return fmt.Sprintf("%T", v)
}

// setGoError marks span as failed by err: status Error with err's message
// (the type when the message is empty) and error.type = the Go type.
func setGoError(span trace.Span, err error) {
	typ := errorTypeOf(err)
	msg := err.Error()
	if msg == "" {
		msg = typ
	}
	span.SetAttributes(attribute.String(keyErrorType, typ))
	span.SetStatus(codes.Error, msg)
}

// setPanic marks span as failed by a recovered panic value.
func setPanic(span trace.Span, recovered any) {
	typ := errorTypeOf(recovered)
	msg := fmt.Sprint(recovered)
	if msg == "" {
		msg = typ
	}
	span.SetAttributes(attribute.String(keyErrorType, typ))
	span.SetStatus(codes.Error, msg)
}
