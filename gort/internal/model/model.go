// SPDX-License-Identifier: Apache-2.0

// Package model is the data the woven runtime records: spans, their
// attributes and resource, and histogram snapshots. Every other package of
// the runtime (the tracer, the OTLP and console encoders, the metrics) speaks
// these types; none of them depends on another module.
//
// Language level: this module is compiled with the language version of the
// user's go.mod (as low as go 1.13), so no generics, no `any`, no min/max.
package model

// Kind is a span kind, numbered as OTLP's Span.SpanKind.
type Kind int8

const (
	KindUnspecified Kind = 0
	KindInternal    Kind = 1
	KindServer      Kind = 2
	KindClient      Kind = 3
	KindProducer    Kind = 4
	KindConsumer    Kind = 5
)

// StatusCode is a span status, numbered as OTLP's Status.StatusCode.
type StatusCode int8

const (
	StatusUnset StatusCode = 0
	StatusOK    StatusCode = 1
	StatusError StatusCode = 2
)

// ValueKind says which field of an Attr holds its value.
type ValueKind uint8

const (
	ValueString ValueKind = iota
	ValueInt
	ValueBool
	ValueDouble
)

// Attr is one attribute: a key and a string, integer, boolean (Int 0 or 1)
// or double value.
type Attr struct {
	Key   string
	Kind  ValueKind
	Str   string
	Int   int64
	Float float64
}

// String, Int, Bool and Double make attributes.
func String(key, value string) Attr    { return Attr{Key: key, Kind: ValueString, Str: value} }
func Int(key string, value int64) Attr { return Attr{Key: key, Kind: ValueInt, Int: value} }
func Double(key string, value float64) Attr {
	return Attr{Key: key, Kind: ValueDouble, Float: value}
}
func Bool(key string, value bool) Attr {
	a := Attr{Key: key, Kind: ValueBool}
	if value {
		a.Int = 1
	}
	return a
}

// BoolValue is the value of a ValueBool attribute.
func (a Attr) BoolValue() bool { return a.Int != 0 }

// TraceID and SpanID are W3C trace context ids; all zero means invalid.
type TraceID [16]byte
type SpanID [8]byte

// IsValid reports whether the id is not all zero.
func (t TraceID) IsValid() bool { return t != TraceID{} }
func (s SpanID) IsValid() bool  { return s != SpanID{} }

// FlagSampled is the W3C trace-flags bit for "sampled".
const FlagSampled byte = 0x01

// SpanContext identifies a span across process boundaries.
type SpanContext struct {
	TraceID    TraceID
	SpanID     SpanID
	Flags      byte   // W3C trace-flags
	TraceState string // W3C tracestate, as received
	Remote     bool   // came from another process (traceparent)
}

// IsValid reports whether both ids are set.
func (c SpanContext) IsValid() bool { return c.TraceID.IsValid() && c.SpanID.IsValid() }

// Event is a timed annotation of a span (OTLP Span.Event).
type Event struct {
	Name   string
	TimeNs int64 // Unix nanoseconds
	Attrs  []Attr
}

// Span is one finished (or, while the tracer holds it, open) span.
type Span struct {
	TraceID      TraceID
	SpanID       SpanID
	ParentSpanID SpanID // zero: a root span
	ParentRemote bool   // the parent came from another process
	Flags        byte   // W3C trace-flags
	TraceState   string

	Name    string
	Kind    Kind
	StartNs int64 // Unix nanoseconds
	EndNs   int64

	Attrs  []Attr
	Events []Event

	Status        StatusCode
	StatusMessage string // only with StatusError
}

// Resource describes the process that made the telemetry.
type Resource struct {
	Attrs []Attr
}

// Scope is the instrumentation scope (OTLP InstrumentationScope).
type Scope struct {
	Name    string
	Version string
}

// HistogramPoint is one series of a cumulative explicit-bucket histogram.
type HistogramPoint struct {
	Attrs        []Attr
	StartNs      int64 // when the series started counting (Unix ns)
	TimeNs       int64 // when this snapshot was taken (Unix ns)
	Count        uint64
	Sum          float64
	Min, Max     float64
	BucketCounts []uint64 // len(Bounds)+1 entries
}

// Histogram is a snapshot of one histogram instrument, cumulative temporality.
type Histogram struct {
	Name        string
	Description string
	Unit        string
	Bounds      []float64 // explicit bucket upper bounds
	Points      []HistogramPoint
}
