// SPDX-License-Identifier: Apache-2.0

// W3C trace context (https://www.w3.org/TR/trace-context/#traceparent-header):
// the valid forms, every malformed form the specification names, future
// versions, and the round trip through FormatTraceparent.

package tracer

import (
	"strings"
	"testing"

	"goinstr.dev/rt/internal/model"
)

const (
	specTraceID = "4bf92f3577b34da6a3ce929d0e0e4736"
	specSpanID  = "00f067aa0ba902b7"
	specHeader  = "00-" + specTraceID + "-" + specSpanID + "-01"
)

var (
	wantTraceID = model.TraceID{0x4b, 0xf9, 0x2f, 0x35, 0x77, 0xb3, 0x4d, 0xa6,
		0xa3, 0xce, 0x92, 0x9d, 0x0e, 0x0e, 0x47, 0x36}
	wantSpanID = model.SpanID{0x00, 0xf0, 0x67, 0xaa, 0x0b, 0xa9, 0x02, 0xb7}
)

func TestParseTraceparentValid(t *testing.T) {
	for _, c := range []struct {
		header string
		flags  byte
	}{
		{specHeader, 0x01},
		{"00-" + specTraceID + "-" + specSpanID + "-00", 0x00},
		// Unknown flags are read as they are (FormatTraceparent drops them).
		{"00-" + specTraceID + "-" + specSpanID + "-03", 0x03},
		{"00-" + specTraceID + "-" + specSpanID + "-ff", 0xff},
		// Future versions: the first four fields, with or without more after a dash.
		{"01-" + specTraceID + "-" + specSpanID + "-01", 0x01},
		{"cc-" + specTraceID + "-" + specSpanID + "-01-what-the-future-will-be-like", 0x01},
		{"fe-" + specTraceID + "-" + specSpanID + "-00-", 0x00},
	} {
		sc, ok := ParseTraceparent(c.header)
		if !ok {
			t.Errorf("%q: rejected", c.header)
			continue
		}
		want := model.SpanContext{TraceID: wantTraceID, SpanID: wantSpanID, Flags: c.flags, Remote: true}
		if sc != want {
			t.Errorf("%q: got %+v, want %+v", c.header, sc, want)
		}
	}
}

func TestParseTraceparentMalformed(t *testing.T) {
	zeroTrace := strings.Repeat("0", 32)
	zeroSpan := strings.Repeat("0", 16)
	for _, h := range []string{
		"",
		"00",
		// Wrong lengths of each field.
		specHeader[:54],
		"00-" + specTraceID[:31] + "-" + specSpanID + "-01",
		"00-" + specTraceID + "0-" + specSpanID + "-01",
		"00-" + specTraceID + "-" + specSpanID[:15] + "-01",
		"00-" + specTraceID + "-" + specSpanID + "0-01",
		"00-" + specTraceID + "-" + specSpanID + "-1",
		"000-" + specTraceID + "-" + specSpanID + "-01",
		"0-" + specTraceID + "-" + specSpanID + "-01",
		// Version 00 has exactly four fields: nothing may follow.
		specHeader + "-",
		specHeader + "-extra",
		specHeader + " ",
		specHeader + "0",
		// Separators.
		"00_" + specTraceID + "-" + specSpanID + "-01",
		"00-" + specTraceID + "_" + specSpanID + "-01",
		"00-" + specTraceID + "-" + specSpanID + "_01",
		strings.Replace(specHeader, "-", " ", -1),
		// Upper-case hex (HEXDIGLC) in every field, and other non-hex characters.
		"0A-" + specTraceID + "-" + specSpanID + "-01",
		"00-" + strings.ToUpper(specTraceID) + "-" + specSpanID + "-01",
		"00-" + specTraceID + "-" + strings.ToUpper(specSpanID) + "-01",
		"00-" + specTraceID + "-" + specSpanID + "-0A",
		"0g-" + specTraceID + "-" + specSpanID + "-01",
		"00-" + specTraceID[:31] + "g-" + specSpanID + "-01",
		"00-" + specTraceID + "-" + specSpanID[:15] + "x-01",
		"00-" + specTraceID + "-" + specSpanID + "-0x",
		"00-" + specTraceID + "-" + specSpanID + "-+1",
		" 0-" + specTraceID + "-" + specSpanID + "-01",
		// Version ff is forbidden, with or without more fields.
		"ff-" + specTraceID + "-" + specSpanID + "-01",
		"ff-" + specTraceID + "-" + specSpanID + "-01-more",
		// All-zero ids.
		"00-" + zeroTrace + "-" + specSpanID + "-01",
		"00-" + specTraceID + "-" + zeroSpan + "-01",
		"00-" + zeroTrace + "-" + zeroSpan + "-00",
		"01-" + zeroTrace + "-" + specSpanID + "-01-more",
		// A future version longer than 55 characters must have a dash after the flags.
		"01-" + specTraceID + "-" + specSpanID + "-01x",
		"01-" + specTraceID + "-" + specSpanID + "-010",
	} {
		if sc, ok := ParseTraceparent(h); ok {
			t.Errorf("%q: accepted as %+v", h, sc)
		}
	}
}

func TestFormatTraceparent(t *testing.T) {
	sc := model.SpanContext{TraceID: wantTraceID, SpanID: wantSpanID, Flags: model.FlagSampled}
	if got := FormatTraceparent(sc); got != specHeader {
		t.Errorf("got %q, want %q", got, specHeader)
	}
	// Only the sampled flag goes out (the others are not defined by version 00);
	// trace state and Remote are not part of the header.
	sc.Flags, sc.TraceState, sc.Remote = 0xfe, "a=b", true
	if got, want := FormatTraceparent(sc), specHeader[:53]+"00"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestTraceparentRoundTrip(t *testing.T) {
	for i := 0; i < 1000; i++ {
		sc := model.SpanContext{TraceID: newTraceID(), SpanID: newSpanID(), Flags: byte(i) & model.FlagSampled}
		h := FormatTraceparent(sc)
		if len(h) != 55 || h != strings.ToLower(h) {
			t.Fatalf("%q: not a 55-character lower-case header", h)
		}
		got, ok := ParseTraceparent(h)
		sc.Remote = true
		if !ok || got != sc {
			t.Fatalf("%q: parsed as %+v, %v; want %+v", h, got, ok, sc)
		}
		if again := FormatTraceparent(got); again != h {
			t.Fatalf("%q formatted again as %q", h, again)
		}
	}
}

func TestParseTraceparentAllocations(t *testing.T) {
	// The header is read on every incoming request.
	if n := testing.AllocsPerRun(100, func() { ParseTraceparent(specHeader) }); n != 0 {
		t.Errorf("ParseTraceparent allocates %v times", n)
	}
}
