// SPDX-License-Identifier: Apache-2.0

package tracer

import (
	"sync/atomic"
	"time"

	"goinstr.dev/rt/internal/model"
)

// inlineAttrs is how many attributes a span holds without a second
// allocation: a server span has up to ten.
const inlineAttrs = 12

// Span is one span while it is open. The hooks own it: they set its name,
// attributes and status and end it once; a nil *Span (tracing off) is valid
// and does nothing. Methods other than End are not safe for concurrent use,
// as a span belongs to the call it measures.
type Span struct {
	D         model.Span
	attrBuf   [inlineAttrs]model.Attr
	tr        *Tracer
	ext       External // non-nil: the program's own SDK records this span
	recording bool
	ended     uint32
}

// Context is the span's identity, for propagation (traceparent) and children.
func (s *Span) Context() model.SpanContext {
	if s == nil {
		return model.SpanContext{}
	}
	return model.SpanContext{TraceID: s.D.TraceID, SpanID: s.D.SpanID, Flags: s.D.Flags,
		TraceState: s.D.TraceState}
}

// IsRecording reports whether what is set on the span is kept.
func (s *Span) IsRecording() bool { return s != nil && s.recording }

// SetName renames the span (a server span learns its route when it ends).
func (s *Span) SetName(name string) {
	if s != nil {
		s.D.Name = name
	}
}

// Add appends attributes. Keys are not deduplicated: the hooks set each once.
func (s *Span) Add(attrs ...model.Attr) {
	if s != nil {
		s.D.Attrs = append(s.D.Attrs, attrs...)
	}
}

// Set replaces the value of an attribute the span has, or adds it.
func (s *Span) Set(a model.Attr) {
	if s == nil {
		return
	}
	for i := range s.D.Attrs {
		if s.D.Attrs[i].Key == a.Key {
			s.D.Attrs[i] = a
			return
		}
	}
	s.D.Attrs = append(s.D.Attrs, a)
}

// SetError marks the span failed with msg as its status message.
func (s *Span) SetError(msg string) {
	if s != nil {
		s.D.Status, s.D.StatusMessage = model.StatusError, msg
	}
}

// SetStatus sets the status; the message is kept only with StatusError.
func (s *Span) SetStatus(code model.StatusCode, msg string) {
	if s == nil {
		return
	}
	if code != model.StatusError {
		msg = ""
	}
	s.D.Status, s.D.StatusMessage = code, msg
}

// AddEvent records a timed event (time 0: now).
func (s *Span) AddEvent(e model.Event) {
	if s == nil {
		return
	}
	if e.TimeNs == 0 {
		e.TimeNs = time.Now().UnixNano()
	}
	s.D.Events = append(s.D.Events, e)
}

// End ends the span now. Only the first End counts.
func (s *Span) End() { s.EndAt(0) }

// EndAt ends the span at endNs (0: now): it goes to the metrics and, when
// sampled, to the export queue or the program's own SDK.
func (s *Span) EndAt(endNs int64) {
	if s == nil || !atomic.CompareAndSwapUint32(&s.ended, 0, 1) {
		return
	}
	if endNs == 0 {
		endNs = time.Now().UnixNano()
	}
	s.D.EndNs = endNs
	s.tr.ended(s)
}

// External is the program's own SDK span this span forwards to (nil: goinstr
// records it).
func (s *Span) External() External {
	if s == nil {
		return nil
	}
	return s.ext
}

// SetStart moves the span's start (a span the OpenTelemetry API started with
// an explicit timestamp).
func (s *Span) SetStart(startNs int64) {
	if s != nil && startNs > 0 {
		s.D.StartNs = startNs
	}
}
