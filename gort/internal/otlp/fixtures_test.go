// SPDX-License-Identifier: Apache-2.0

package otlp

import (
	"math"
	"strings"

	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	resourcepb "go.opentelemetry.io/proto/otlp/resource/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"goinstr.dev/rt/internal/model"
)

var testScope = model.Scope{Name: "goinstr.dev/rt", Version: "0.2.0"}

var testResource = &model.Resource{Attrs: []model.Attr{
	model.String("service.name", "checkout"),
	model.Int("process.pid", 4242),
	model.String("telemetry.sdk.language", "go"),
}}

func traceID(last byte) model.TraceID {
	return model.TraceID{0x4b, 0xf9, 0x2f, 0x35, 0x77, 0xb3, 0x4d, 0xa6, 0xa3, 0xce, 0x92, 0x9d, 0x0e, 0x0e, 0x47, last}
}

func spanID(last byte) model.SpanID {
	return model.SpanID{0x00, 0xf0, 0x67, 0xaa, 0x0b, 0xa9, 0x02, last}
}

// everyValue has each value kind, with the zero values that still go out
// (their AnyValue member has presence) and the extremes.
var everyValue = []model.Attr{
	model.String("s", "text"),
	model.String("empty", ""),
	model.String("", "empty key"),
	model.Int("zero", 0),
	model.Int("neg", -1),
	model.Int("max", math.MaxInt64),
	model.Int("min", math.MinInt64),
	model.Bool("t", true),
	model.Bool("f", false),
	model.Double("pi", math.Pi),
	model.Double("dzero", 0),
	model.Double("negzero", math.Copysign(0, -1)),
	model.Double("inf", math.Inf(1)),
	model.Double("tiny", 5e-324),
	model.String("utf8", "café ☃ 🚀"),
	model.String("long", strings.Repeat("x", 20000)), // lengths of 3-byte varints
}

// testSpans covers every Span field and the cases where one is left out.
func testSpans() []*model.Span {
	root := &model.Span{
		TraceID: traceID(0x36), SpanID: spanID(0xb7), Flags: model.FlagSampled,
		TraceState: "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7",
		Name:       "GET /hello", Kind: model.KindServer,
		StartNs: 1700000000000000000, EndNs: 1700000000001234000,
		Attrs: everyValue,
		Events: []model.Event{
			{Name: "exception", TimeNs: 1700000000000500000, Attrs: []model.Attr{
				model.String("exception.type", "*net.OpError"), model.String("exception.message", "refused")}},
			{Name: "", TimeNs: 0}, // nothing but an empty message
		},
		Status: model.StatusError, StatusMessage: "connection refused",
	}
	child := &model.Span{
		TraceID: traceID(0x36), SpanID: spanID(0x02), ParentSpanID: spanID(0xb7),
		Name: "SELECT users", Kind: model.KindClient,
		StartNs: 1700000000000002000, EndNs: 1700000000000502000,
		Attrs:  []model.Attr{model.String("db.system.name", "postgresql")},
		Status: model.StatusOK, StatusMessage: "not sent: only errors carry a message",
	}
	remote := &model.Span{
		TraceID: traceID(0x37), SpanID: spanID(0x03), ParentSpanID: spanID(0x99), ParentRemote: true,
		Flags: model.FlagSampled, Name: "POST /pay", Kind: model.KindServer,
		StartNs: 1, EndNs: -1, // the extremes of fixed64
		Status: model.StatusError, // without a message
	}
	bare := &model.Span{TraceID: traceID(0x38), SpanID: spanID(0x04)} // every optional field zero
	kinds := []*model.Span{}
	for k := model.KindInternal; k <= model.KindConsumer; k++ {
		kinds = append(kinds, &model.Span{TraceID: traceID(0x39), SpanID: spanID(byte(0x10 + k)), Name: "kind", Kind: k})
	}
	return append([]*model.Span{root, child, remote, bare}, kinds...)
}

// The official messages the encoders' output must decode to.

func wantAttrs(attrs []model.Attr) []*commonpb.KeyValue {
	var out []*commonpb.KeyValue
	for _, a := range attrs {
		v := &commonpb.AnyValue{}
		switch a.Kind {
		case model.ValueString:
			v.Value = &commonpb.AnyValue_StringValue{StringValue: strings.ToValidUTF8(a.Str, "\uFFFD")}
		case model.ValueInt:
			v.Value = &commonpb.AnyValue_IntValue{IntValue: a.Int}
		case model.ValueBool:
			v.Value = &commonpb.AnyValue_BoolValue{BoolValue: a.BoolValue()}
		case model.ValueDouble:
			v.Value = &commonpb.AnyValue_DoubleValue{DoubleValue: a.Float}
		}
		out = append(out, &commonpb.KeyValue{Key: a.Key, Value: v})
	}
	return out
}

func wantResource(res *model.Resource) *resourcepb.Resource {
	if res == nil {
		return &resourcepb.Resource{}
	}
	return &resourcepb.Resource{Attributes: wantAttrs(res.Attrs)}
}

func wantSpan(s *model.Span) *tracepb.Span {
	out := &tracepb.Span{
		TraceId: append([]byte(nil), s.TraceID[:]...), SpanId: append([]byte(nil), s.SpanID[:]...),
		TraceState: s.TraceState, Name: s.Name, Kind: tracepb.Span_SpanKind(s.Kind),
		StartTimeUnixNano: uint64(s.StartNs), EndTimeUnixNano: uint64(s.EndNs),
		Attributes: wantAttrs(s.Attrs),
		Flags:      uint32(s.Flags) | uint32(tracepb.SpanFlags_SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE_MASK),
	}
	if s.ParentSpanID.IsValid() {
		out.ParentSpanId = append([]byte(nil), s.ParentSpanID[:]...)
	}
	if s.ParentRemote {
		out.Flags |= uint32(tracepb.SpanFlags_SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK)
	}
	for _, e := range s.Events {
		out.Events = append(out.Events, &tracepb.Span_Event{
			TimeUnixNano: uint64(e.TimeNs), Name: e.Name, Attributes: wantAttrs(e.Attrs)})
	}
	if s.Status != model.StatusUnset {
		out.Status = &tracepb.Status{Code: tracepb.Status_StatusCode(s.Status)}
		if s.Status == model.StatusError {
			out.Status.Message = s.StatusMessage
		}
	}
	return out
}

func wantScope(s model.Scope) *commonpb.InstrumentationScope {
	return &commonpb.InstrumentationScope{Name: s.Name, Version: s.Version}
}
