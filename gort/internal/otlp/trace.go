// SPDX-License-Identifier: Apache-2.0

package otlp

import "goinstr.dev/rt/internal/model"

// Field numbers from opentelemetry-proto (go.opentelemetry.io/proto/otlp).
const (
	// collector/trace/v1 ExportTraceServiceRequest, trace/v1 ResourceSpans, ScopeSpans.
	fieldRequestResourceSpans  = 1
	fieldResourceSpansResource = 1
	fieldResourceSpansScope    = 2
	fieldScopeSpansScope       = 1
	fieldScopeSpansSpans       = 2

	// resource/v1 Resource, common/v1 InstrumentationScope, KeyValue, AnyValue.
	fieldResourceAttributes = 1
	fieldScopeName          = 1
	fieldScopeVersion       = 2
	fieldKeyValueKey        = 1
	fieldKeyValueValue      = 2
	fieldAnyString          = 1
	fieldAnyBool            = 2
	fieldAnyInt             = 3
	fieldAnyDouble          = 4

	// trace/v1 Span, Span.Event, Status.
	fieldSpanTraceID      = 1
	fieldSpanSpanID       = 2
	fieldSpanTraceState   = 3
	fieldSpanParentSpanID = 4
	fieldSpanName         = 5
	fieldSpanKind         = 6
	fieldSpanStart        = 7 // fixed64
	fieldSpanEnd          = 8 // fixed64
	fieldSpanAttributes   = 9
	fieldSpanEvents       = 11
	fieldSpanStatus       = 15
	fieldSpanFlags        = 16 // fixed32
	fieldEventTime        = 1  // fixed64
	fieldEventName        = 2
	fieldEventAttributes  = 3
	fieldStatusMessage    = 2
	fieldStatusCode       = 3
)

// SpanFlags bits (trace/v1 SpanFlags) above the W3C trace flags.
const (
	flagContextHasIsRemote = 0x100
	flagContextIsRemote    = 0x200
)

// AppendTraceRequest appends an ExportTraceServiceRequest holding one
// ResourceSpans (res, which may be nil) with one ScopeSpans (scope) that
// holds spans, in their order. Fields are written in field-number order.
func AppendTraceRequest(b []byte, res *model.Resource, scope model.Scope, spans []*model.Span) []byte {
	b, rsMark := beginMessage(b, fieldRequestResourceSpans)
	b = appendResource(b, fieldResourceSpansResource, res)
	b, ssMark := beginMessage(b, fieldResourceSpansScope)
	b = appendScope(b, fieldScopeSpansScope, scope)
	for _, s := range spans {
		b = appendSpan(b, fieldScopeSpansSpans, s)
	}
	b = endMessage(b, ssMark)
	return endMessage(b, rsMark)
}

// spanFlags is Span.flags: the W3C flags, and whether the parent is remote,
// which OTLP can say since 1.1 (always known here, so HAS_IS_REMOTE is set).
func spanFlags(s *model.Span) uint32 {
	f := uint32(s.Flags) | flagContextHasIsRemote
	if s.ParentRemote {
		f |= flagContextIsRemote
	}
	return f
}

func appendSpan(b []byte, field int, s *model.Span) []byte {
	b, mark := beginMessage(b, field)
	b = appendBytesField(b, fieldSpanTraceID, s.TraceID[:])
	b = appendBytesField(b, fieldSpanSpanID, s.SpanID[:])
	b = appendStringField(b, fieldSpanTraceState, s.TraceState)
	// OTLP says a root span's parent_span_id is empty, not eight zero bytes.
	if s.ParentSpanID.IsValid() {
		b = appendBytesField(b, fieldSpanParentSpanID, s.ParentSpanID[:])
	}
	b = appendStringField(b, fieldSpanName, s.Name)
	b = appendVarintField(b, fieldSpanKind, uint64(s.Kind))
	b = appendFixed64Field(b, fieldSpanStart, uint64(s.StartNs))
	b = appendFixed64Field(b, fieldSpanEnd, uint64(s.EndNs))
	b = appendAttributes(b, fieldSpanAttributes, s.Attrs)
	for i := range s.Events {
		b = appendEvent(b, fieldSpanEvents, &s.Events[i])
	}
	if s.Status != model.StatusUnset {
		b = appendStatus(b, fieldSpanStatus, s)
	}
	b = appendFixed32(appendTag(b, fieldSpanFlags, wireFixed32), spanFlags(s))
	return endMessage(b, mark)
}

func appendEvent(b []byte, field int, e *model.Event) []byte {
	b, mark := beginMessage(b, field)
	b = appendFixed64Field(b, fieldEventTime, uint64(e.TimeNs))
	b = appendStringField(b, fieldEventName, e.Name)
	b = appendAttributes(b, fieldEventAttributes, e.Attrs)
	return endMessage(b, mark)
}

// appendStatus writes Span.status; the message goes out only with an error,
// as OTLP defines it.
func appendStatus(b []byte, field int, s *model.Span) []byte {
	b, mark := beginMessage(b, field)
	if s.Status == model.StatusError {
		b = appendStringField(b, fieldStatusMessage, s.StatusMessage)
	}
	b = appendVarintField(b, fieldStatusCode, uint64(s.Status))
	return endMessage(b, mark)
}

// appendResource writes the resource even when it has no attributes: the
// runtime agent does too, so both send the same shape.
func appendResource(b []byte, field int, res *model.Resource) []byte {
	b, mark := beginMessage(b, field)
	if res != nil {
		b = appendAttributes(b, fieldResourceAttributes, res.Attrs)
	}
	return endMessage(b, mark)
}

func appendScope(b []byte, field int, scope model.Scope) []byte {
	b, mark := beginMessage(b, field)
	b = appendStringField(b, fieldScopeName, scope.Name)
	b = appendStringField(b, fieldScopeVersion, scope.Version)
	return endMessage(b, mark)
}

// appendAttributes writes each attribute as a KeyValue field. The AnyValue
// always goes out, even for "", 0 or false: its oneof member has presence.
func appendAttributes(b []byte, field int, attrs []model.Attr) []byte {
	for i := range attrs {
		a := &attrs[i]
		var kv, v int
		b, kv = beginMessage(b, field)
		b = appendStringField(b, fieldKeyValueKey, a.Key)
		b, v = beginMessage(b, fieldKeyValueValue)
		switch a.Kind {
		case model.ValueInt:
			b = appendVarint(appendTag(b, fieldAnyInt, wireVarint), uint64(a.Int))
		case model.ValueBool:
			b = appendVarint(appendTag(b, fieldAnyBool, wireVarint), uint64(boolInt(a.BoolValue())))
		case model.ValueDouble:
			b = appendDouble(b, fieldAnyDouble, a.Float)
		default: // model.ValueString, and a kind this package does not know
			b = appendString(b, fieldAnyString, a.Str)
		}
		b = endMessage(b, v)
		b = endMessage(b, kv)
	}
	return b
}

func boolInt(v bool) int {
	if v {
		return 1
	}
	return 0
}
