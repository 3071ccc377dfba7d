// SPDX-License-Identifier: Apache-2.0

// The program uses the OpenTelemetry API and installs no provider: its spans
// are goinstr's, they nest with goinstr's both ways, and what it sets on them
// (attributes of every type, events, errors, status, times) is recorded.

package otelbridge

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	rt "goinstr.dev/rt"
	"goinstr.dev/rt/internal/model"
)

func TestInstallWithoutTelemetry(t *testing.T) {
	keepOtelGlobals(t)
	old := rt.UseTracerForTests(nil)
	defer rt.UseTracerForTests(old)
	before := otel.GetTracerProvider()
	if install() {
		t.Fatal("install went ahead with telemetry off")
	}
	if otel.GetTracerProvider() != before {
		t.Error("the program's OpenTelemetry was changed with telemetry off")
	}
}

func TestInstallSetsTheGlobals(t *testing.T) {
	installed(t)
	fields := map[string]bool{}
	for _, f := range otel.GetTextMapPropagator().Fields() {
		fields[f] = true
	}
	if !fields["traceparent"] || !fields["tracestate"] || !fields["baggage"] || len(fields) != 3 {
		t.Errorf("propagator fields %v", otel.GetTextMapPropagator().Fields())
	}
}

func TestSpansNestBothWays(t *testing.T) {
	f := installed(t)
	ctx, outer := rt.StartFunc(context.Background(), "main.outer")
	outerSC := trace.SpanContextFromContext(ctx)
	if !outerSC.IsValid() || !trace.SpanFromContext(ctx).IsRecording() {
		t.Fatal("the API does not see goinstr's span in its context")
	}
	ctx2, child := otel.Tracer("app").Start(ctx, "app.child", trace.WithSpanKind(trace.SpanKindClient))
	if trace.SpanFromContext(ctx2) != child || !child.IsRecording() {
		t.Error("the API's context does not carry its span")
	}
	if child.TracerProvider() != otel.GetTracerProvider() {
		t.Error("the span's provider is not the global one")
	}
	_, inner := rt.StartFunc(ctx2, "main.inner")
	inner.End(nil)
	child.End()
	if child.IsRecording() {
		t.Error("an ended span still records")
	}
	outer.End(nil)

	spans := f.spans()
	if len(spans) != 3 {
		t.Fatalf("%d spans, want 3", len(spans))
	}
	in, ch, out := byName(t, spans, "main.inner"), byName(t, spans, "app.child"), byName(t, spans, "main.outer")
	if out.SpanID != model.SpanID(outerSC.SpanID()) || out.ParentSpanID.IsValid() {
		t.Errorf("outer %x parent %x", out.SpanID, out.ParentSpanID)
	}
	if ch.ParentSpanID != out.SpanID || ch.TraceID != out.TraceID || ch.Kind != model.KindClient ||
		ch.SpanID != model.SpanID(child.SpanContext().SpanID()) {
		t.Errorf("the program's span is not a child of goinstr's: %+v", ch)
	}
	if in.ParentSpanID != ch.SpanID || in.TraceID != out.TraceID || in.Kind != model.KindInternal {
		t.Errorf("goinstr's span is not a child of the program's: %+v", in)
	}
}

func TestNewRootAndRemoteParent(t *testing.T) {
	f := installed(t)
	ctx, outer := rt.StartFunc(context.Background(), "main.outer")
	_, root := otel.Tracer("app").Start(ctx, "root", trace.WithNewRoot())
	root.End()
	outer.End(nil)
	remote := trace.NewSpanContext(trace.SpanContextConfig{TraceID: trace.TraceID{1, 2, 3}, SpanID: trace.SpanID{4, 5},
		TraceFlags: trace.FlagsSampled, Remote: true})
	_, child := otel.Tracer("app").Start(trace.ContextWithRemoteSpanContext(context.Background(), remote), "from.remote")
	child.End()

	spans := f.spans()
	r, o, c := byName(t, spans, "root"), byName(t, spans, "main.outer"), byName(t, spans, "from.remote")
	if r.ParentSpanID.IsValid() || r.TraceID == o.TraceID {
		t.Errorf("WithNewRoot: parent %x, trace %x (outer's %x)", r.ParentSpanID, r.TraceID, o.TraceID)
	}
	if c.TraceID != model.TraceID(remote.TraceID()) || c.ParentSpanID != model.SpanID(remote.SpanID()) || !c.ParentRemote {
		t.Errorf("remote parent: %+v", c)
	}
}

func TestAPISpanRecordsWhatTheProgramSets(t *testing.T) {
	f := installed(t)
	start := time.Unix(1700000000, 0)
	end := start.Add(1500 * time.Millisecond)
	_, s := otel.Tracer("app").Start(context.Background(), "op", trace.WithTimestamp(start),
		trace.WithSpanKind(trace.SpanKindProducer), trace.WithAttributes(attribute.String("at.start", "x")))
	s.SetAttributes(attribute.Bool("b", true), attribute.Int("i", 7), attribute.Int64("i64", -3),
		attribute.Float64("f", 2.5), attribute.String("s", "v"),
		attribute.BoolSlice("bs", []bool{true, false}), attribute.IntSlice("is", []int{1, 2}),
		attribute.Float64Slice("fs", []float64{1.5, 2}), attribute.StringSlice("ss", []string{"a", "b"}))
	s.SetAttributes(attribute.Int("i", 8)) // replaces the value
	s.SetName("op.renamed")
	s.AddEvent("cache miss", trace.WithTimestamp(start.Add(time.Millisecond)),
		trace.WithAttributes(attribute.String("key", "k1")))
	before := time.Now().UnixNano()
	s.AddEvent("now")
	s.RecordError(errors.New("boom"), trace.WithAttributes(attribute.Int("retry", 2)))
	s.RecordError(nil)
	s.SetStatus(codes.Error, "failed")
	s.End(trace.WithTimestamp(end))

	spans := f.spans()
	if len(spans) != 1 {
		t.Fatalf("%d spans", len(spans))
	}
	got := spans[0]
	if got.Name != "op.renamed" || got.Kind != model.KindProducer || got.StartNs != start.UnixNano() ||
		got.EndNs != end.UnixNano() {
		t.Errorf("name %q kind %d start %d end %d", got.Name, got.Kind, got.StartNs, got.EndNs)
	}
	want := map[string]interface{}{"at.start": "x", "b": true, "i": int64(8), "i64": int64(-3), "f": 2.5,
		"s": "v", "bs": "[true false]", "is": "[1,2]", "fs": "[1.5,2]", "ss": `["a","b"]`}
	if fmt.Sprint(attrMap(got.Attrs)) != fmt.Sprint(want) || len(got.Attrs) != len(want) {
		t.Errorf("attributes %v\nwant       %v", attrMap(got.Attrs), want)
	}
	if got.Status != model.StatusError || got.StatusMessage != "failed" {
		t.Errorf("status %d %q", got.Status, got.StatusMessage)
	}
	if len(got.Events) != 3 {
		t.Fatalf("events %+v", got.Events)
	}
	if e := got.Events[0]; e.Name != "cache miss" || e.TimeNs != start.Add(time.Millisecond).UnixNano() ||
		fmt.Sprint(attrMap(e.Attrs)) != "map[key:k1]" {
		t.Errorf("event %+v", e)
	}
	if e := got.Events[1]; e.Name != "now" || e.TimeNs < before || len(e.Attrs) != 0 {
		t.Errorf("event %+v", e)
	}
	wantErr := map[string]interface{}{"retry": int64(2), "exception.type": "*errors.errorString",
		"exception.message": "boom"}
	if e := got.Events[2]; e.Name != "exception" || fmt.Sprint(attrMap(e.Attrs)) != fmt.Sprint(wantErr) {
		t.Errorf("RecordError's event %+v", e)
	}
}

func TestAPIWithTelemetryTurnedOff(t *testing.T) {
	installed(t)
	old := rt.UseTracerForTests(nil) // the bridge stays, goinstr's tracer goes
	defer rt.UseTracerForTests(old)
	ctx, s := otel.Tracer("app").Start(context.Background(), "x")
	if s.IsRecording() || s.SpanContext().IsValid() || ctx == nil {
		t.Error("a span was recorded without a tracer")
	}
	s.End()
}
