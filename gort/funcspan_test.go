// SPDX-License-Identifier: Apache-2.0

// Tests of the API woven //goinstr:span functions call.

package rt

import (
	"context"
	"errors"
	"io/fs"
	"testing"

	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

func TestFuncSpanNesting(t *testing.T) {
	exp, _ := useTestTracer(t)
	ctx, outer := StartFunc(context.Background(), "main.outer")
	_, inner := StartFunc(ctx, "main.inner")
	inner.End(nil)
	outer.End(nil)

	spans := exp.GetSpans()
	if len(spans) != 2 {
		t.Fatalf("%d spans", len(spans))
	}
	in, out := spans[0], spans[1]
	if in.Name != "main.inner" || out.Name != "main.outer" {
		t.Errorf("names %q %q", in.Name, out.Name)
	}
	wantKind(t, in, trace.SpanKindInternal)
	wantKind(t, out, trace.SpanKindInternal)
	if in.Parent.SpanID() != out.SpanContext.SpanID() {
		t.Error("inner is not a child of outer")
	}
	if len(in.Attributes) != 0 || in.Status.Code != codes.Unset {
		t.Errorf("attrs %v status %v", in.Attributes, in.Status)
	}
}

func TestFuncSpanError(t *testing.T) {
	exp, _ := useTestTracer(t)
	_, s := StartFunc(nil, "pkg.Load") // nil ctx allowed
	err := &fs.PathError{Op: "open", Path: "/x", Err: errors.New("denied")}
	s.End(err)
	span := onlySpan(t, exp)
	if span.Status.Code != codes.Error || span.Status.Description != err.Error() {
		t.Errorf("status %+v", span.Status)
	}
	wantAttrs(t, span, map[string]any{"error.type": "*fs.PathError"})
}

func TestFuncSpanPanic(t *testing.T) {
	exp, _ := useTestTracer(t)
	_, s := StartFunc(context.Background(), "pkg.Crash")
	func() {
		defer func() {
			if r := recover(); r != nil {
				s.EndPanic(r)
			}
		}()
		var m map[string]int
		m["x"] = 1 // runtime error
	}()
	span := onlySpan(t, exp)
	if span.Status.Code != codes.Error || span.Status.Description != "assignment to entry in nil map" {
		t.Errorf("status %+v", span.Status)
	}
	wantAttrs(t, span, map[string]any{"error.type": "runtime.plainError"})
}

func TestFuncSpanDisabled(t *testing.T) {
	old := tracer
	tracer = nil
	defer func() { tracer = old }()
	ctx := context.WithValue(context.Background(), struct{}{}, 1)
	got, s := StartFunc(ctx, "x")
	if got != ctx || s != nil {
		t.Error("tracing off must return ctx unchanged and a nil span")
	}
	s.End(errors.New("x")) // nil-safe
	s.EndPanic("x")
}
