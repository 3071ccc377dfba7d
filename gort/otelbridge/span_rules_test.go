// SPDX-License-Identifier: Apache-2.0

// The API's rules for a span, as the SDK keeps them: Ok is a final status,
// Unset changes nothing, an ended span ignores every later call, and a span
// may be used from several goroutines.

package otelbridge

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"

	"goinstr.dev/rt/internal/model"
)

func TestAPISpanStatusRules(t *testing.T) {
	f := installed(t)
	tracer := otel.Tracer("app")
	_, okSpan := tracer.Start(context.Background(), "ok")
	okSpan.SetStatus(codes.Ok, "a description only errors keep")
	okSpan.End()
	_, unset := tracer.Start(context.Background(), "unset ignored")
	unset.SetStatus(codes.Error, "first")
	unset.SetStatus(codes.Unset, "")
	unset.End()
	// The API specification: once Ok, a status is final (the SDK ignores
	// the later Error).
	_, final := tracer.Start(context.Background(), "ok is final")
	final.SetStatus(codes.Ok, "")
	final.SetStatus(codes.Error, "too late")
	final.End()

	spans := f.spans()
	for _, c := range []struct {
		name string
		code model.StatusCode
		msg  string
	}{{"ok", model.StatusOK, ""}, {"unset ignored", model.StatusError, "first"}, {"ok is final", model.StatusOK, ""}} {
		if s := byName(t, spans, c.name); s.Status != c.code || s.StatusMessage != c.msg {
			t.Errorf("%s: status %d %q, want %d %q", c.name, s.Status, s.StatusMessage, c.code, c.msg)
		}
	}
}

// TestAPISpanIgnoresCallsAfterEnd: after End the span belongs to the export
// queue; the API says later calls are ignored, and changing it then would
// race with the exporter.
func TestAPISpanIgnoresCallsAfterEnd(t *testing.T) {
	f := installed(t)
	_, s := otel.Tracer("app").Start(context.Background(), "ended")
	s.End()
	s.SetAttributes(attribute.String("late", "x"))
	s.SetName("renamed late")
	s.AddEvent("late event")
	s.RecordError(errors.New("late error"))
	s.SetStatus(codes.Error, "late status")
	s.End() // a second End changes nothing either

	spans := f.spans()
	if len(spans) != 1 {
		t.Fatalf("%d spans", len(spans))
	}
	if got := spans[0]; got.Name != "ended" || len(got.Attrs) != 0 || len(got.Events) != 0 ||
		got.Status != model.StatusUnset {
		t.Errorf("an ended span was changed: name %q attrs %v events %v status %d %q",
			got.Name, got.Attrs, got.Events, got.Status, got.StatusMessage)
	}
}

func TestAPISpanIsSafeForConcurrentUse(t *testing.T) {
	f := installed(t)
	_, s := otel.Tracer("app").Start(context.Background(), "shared")
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				s.SetAttributes(attribute.Int(fmt.Sprintf("g%d", g), i))
				s.AddEvent("tick")
				_ = s.IsRecording()
			}
		}(g)
	}
	wg.Wait()
	s.End()
	spans := f.spans()
	if len(spans) != 1 || len(spans[0].Attrs) != 4 || len(spans[0].Events) != 400 ||
		attrMap(spans[0].Attrs)["g3"] != int64(99) {
		t.Errorf("spans %d, attrs %v, events %d", len(spans), spans[0].Attrs, len(spans[0].Events))
	}
}
