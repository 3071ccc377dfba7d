// SPDX-License-Identifier: Apache-2.0

// A Go error or panic value as span status and error.type, the same for every
// hook and for //goinstr:span functions.

package rt

import (
	"fmt"

	"goinstr.dev/rt/internal/model"
	"goinstr.dev/rt/internal/tracer"
)

// errorTypeOf is error.type for a Go value: its dynamic type ("*net.OpError").
func errorTypeOf(v interface{}) string { return fmt.Sprintf("%T", v) }

// setGoError marks span as failed by err: status Error with err's message
// (the type when the message is empty) and error.type = the Go type.
func setGoError(span *tracer.Span, err error) {
	typ := errorTypeOf(err)
	msg := err.Error()
	if msg == "" {
		msg = typ
	}
	span.Set(model.String(keyErrorType, typ))
	span.SetError(msg)
}

// setPanic marks span as failed by a recovered panic value.
func setPanic(span *tracer.Span, recovered interface{}) {
	typ := errorTypeOf(recovered)
	msg := fmt.Sprint(recovered)
	if msg == "" {
		msg = typ
	}
	span.Set(model.String(keyErrorType, typ))
	span.SetError(msg)
}
