// SPDX-License-Identifier: Apache-2.0

// Spans for user functions marked //goinstr:span. The weaver rewrites such a
// function to call StartFunc on entry and End/EndPanic on the way out; this is
// the public API that woven code compiles against, so it must stay stable.

package rt

import (
	"context"

	"goinstr.dev/rt/internal/model"
	"goinstr.dev/rt/internal/tracer"
)

// FuncSpan is the span of one call of a //goinstr:span function. A nil
// *FuncSpan (tracing disabled) is valid: its methods do nothing.
type FuncSpan struct {
	span *tracer.Span
}

// StartFunc starts an Internal span called name as a child of the span in
// ctx (nil ctx: context.Background()) and returns the context carrying it.
// With tracing off it returns ctx unchanged and a nil *FuncSpan.
func StartFunc(ctx context.Context, name string) (context.Context, *FuncSpan) {
	if ctx == nil {
		ctx = context.Background()
	}
	t := tr
	if t == nil {
		return ctx, nil
	}
	ctx, span := t.Start(ctx, name, model.KindInternal)
	return ctx, &FuncSpan{span: span}
}

// End ends the span; a non-nil err marks it failed (status Error with the
// message, error.type = the error's Go type).
func (s *FuncSpan) End(err error) {
	if s == nil || s.span == nil {
		return
	}
	if err != nil {
		setGoError(s.span, err)
	}
	s.span.End()
}

// EndPanic ends the span of a call that panicked with recovered: status Error,
// error.type = the value's Go type. It does not re-panic; the woven code does.
func (s *FuncSpan) EndPanic(recovered interface{}) {
	if s == nil || s.span == nil {
		return
	}
	setPanic(s.span, recovered)
	s.span.End()
}
