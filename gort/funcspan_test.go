// SPDX-License-Identifier: Apache-2.0

// Tests of the API woven //goinstr:span functions call.

package rt

import (
	"context"
	"errors"
	"io/fs"
	"testing"

	"goinstr.dev/rt/internal/model"
	"goinstr.dev/rt/internal/tracer"
)

func TestFuncSpanNesting(t *testing.T) {
	tt := useTestTracer(t)
	ctx, outer := StartFunc(context.Background(), "main.outer")
	if tracer.SpanFrom(ctx) == nil {
		t.Fatal("the returned context carries no span")
	}
	_, inner := StartFunc(ctx, "main.inner")
	inner.End(nil)
	outer.End(nil)

	spans := tt.spans()
	if len(spans) != 2 {
		t.Fatalf("%d spans", len(spans))
	}
	in, out := spans[0], spans[1]
	if in.Name != "main.inner" || out.Name != "main.outer" {
		t.Errorf("names %q %q", in.Name, out.Name)
	}
	wantKind(t, in, model.KindInternal)
	wantKind(t, out, model.KindInternal)
	if in.ParentSpanID != out.SpanID || in.TraceID != out.TraceID || out.ParentSpanID.IsValid() {
		t.Error("inner is not a child of outer, or outer has a parent")
	}
	if len(in.Attrs) != 0 || in.Status != model.StatusUnset {
		t.Errorf("attrs %v status %d", in.Attrs, in.Status)
	}
}

func TestFuncSpanUnderServerSpan(t *testing.T) {
	tt := useTestTracer(t)
	ctx, server := tt.tr.Start(context.Background(), "GET", model.KindServer)
	_, s := StartFunc(ctx, "main.handle")
	s.End(nil)
	server.End()
	if spans := tt.spans(); len(spans) != 2 || spans[0].ParentSpanID != server.Context().SpanID {
		t.Errorf("spans %+v", spans)
	}
}

func TestFuncSpanError(t *testing.T) {
	tt := useTestTracer(t)
	_, s := StartFunc(nil, "pkg.Load") // nil ctx allowed
	err := &fs.PathError{Op: "open", Path: "/x", Err: errors.New("denied")}
	s.End(err)
	span := tt.only()
	wantStatus(t, span, model.StatusError, err.Error())
	wantAttrs(t, span, map[string]interface{}{"error.type": "*fs.PathError"})
}

// emptyError has no message: the status message is then its type.
type emptyError struct{}

func (emptyError) Error() string { return "" }

func TestFuncSpanErrorWithoutMessage(t *testing.T) {
	tt := useTestTracer(t)
	_, s := StartFunc(context.Background(), "pkg.Quiet")
	s.End(emptyError{})
	span := tt.only()
	wantStatus(t, span, model.StatusError, "rt.emptyError")
	wantAttrs(t, span, map[string]interface{}{"error.type": "rt.emptyError"})
}

func TestFuncSpanPanic(t *testing.T) {
	tt := useTestTracer(t)
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
	span := tt.only()
	wantStatus(t, span, model.StatusError, "assignment to entry in nil map")
	wantAttrs(t, span, map[string]interface{}{"error.type": "runtime.plainError"})
}

func TestFuncSpanEndsOnce(t *testing.T) {
	tt := useTestTracer(t)
	_, s := StartFunc(context.Background(), "pkg.Twice")
	s.End(nil)
	s.End(nil)
	if n := len(tt.spans()); n != 1 {
		t.Errorf("%d spans for one call", n)
	}
}

func TestFuncSpanDisabled(t *testing.T) {
	old := UseTracerForTests(nil)
	defer UseTracerForTests(old)
	ctx := context.WithValue(context.Background(), struct{}{}, 1)
	got, s := StartFunc(ctx, "x")
	if got != ctx || s != nil {
		t.Error("tracing off must return ctx unchanged and a nil span")
	}
	s.End(errors.New("x")) // nil-safe
	s.EndPanic("x")
	if c, s := StartFunc(nil, "x"); c == nil || s != nil {
		t.Error("a nil ctx must come back as context.Background()")
	}
}
