// SPDX-License-Identifier: Apache-2.0

// OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG as the OpenTelemetry
// specification defines them: every value, the errors, parent-based
// decisions, and the trace id ratio measured over many ids.

package tracer

import (
	"math"
	"strconv"
	"testing"

	"goinstr.dev/rt/internal/model"
)

var (
	noParent        = model.SpanContext{}
	sampledParent   = model.SpanContext{TraceID: wantTraceID, SpanID: wantSpanID, Flags: model.FlagSampled, Remote: true}
	unsampledParent = model.SpanContext{TraceID: wantTraceID, SpanID: wantSpanID, Remote: true}
	localSampled    = model.SpanContext{TraceID: wantTraceID, SpanID: wantSpanID, Flags: model.FlagSampled}
	localUnsampled  = model.SpanContext{TraceID: wantTraceID, SpanID: wantSpanID}
)

func TestParseSamplerValues(t *testing.T) {
	// Decisions for: a root span, a sampled parent, an unsampled parent (the
	// same for remote and local parents).
	for _, c := range []struct {
		name, arg                string
		root, sampled, unsampled bool
	}{
		{"", "", true, true, false},
		{"parentbased_always_on", "", true, true, false},
		{"  ParentBased_Always_On ", "", true, true, false}, // case-insensitive, trimmed
		{"always_on", "", true, true, true},
		{"always_on", "not a number", true, true, true}, // the argument is only the ratio's
		{"always_off", "", false, false, false},
		{"ALWAYS_OFF", "", false, false, false},
		{"parentbased_always_off", "", false, true, false},
		{"traceidratio", "", true, true, true}, // the ratio defaults to 1
		{"traceidratio", "1", true, true, true},
		{"traceidratio", " 1.0 ", true, true, true},
		{"traceidratio", "0", false, false, false},
		{"traceidratio", "-0", false, false, false},
		{"parentbased_traceidratio", "", true, true, false},
		{"parentbased_traceidratio", "1", true, true, false},
		{"parentbased_traceidratio", "0", false, true, false},
		{"parentbased_traceidratio", "0.0", false, true, false},
	} {
		s, err := ParseSampler(c.name, c.arg)
		if err != nil {
			t.Errorf("%q %q: %v", c.name, c.arg, err)
			continue
		}
		id := newTraceID()
		if got := s.sample(noParent, id); got != c.root {
			t.Errorf("%q %q: root span sampled=%v, want %v", c.name, c.arg, got, c.root)
		}
		for _, p := range []model.SpanContext{sampledParent, localSampled} {
			if got := s.sample(p, p.TraceID); got != c.sampled {
				t.Errorf("%q %q: child of sampled %+v sampled=%v, want %v", c.name, c.arg, p, got, c.sampled)
			}
		}
		for _, p := range []model.SpanContext{unsampledParent, localUnsampled} {
			if got := s.sample(p, p.TraceID); got != c.unsampled {
				t.Errorf("%q %q: child of unsampled %+v sampled=%v, want %v", c.name, c.arg, p, got, c.unsampled)
			}
		}
	}
	if s, _ := ParseSampler("", ""); s != AlwaysOn() {
		t.Errorf("the default is %+v, want AlwaysOn()", s)
	}
}

func TestParseSamplerErrors(t *testing.T) {
	for _, c := range []struct{ name, arg, want string }{
		{"traceidratio", "abc", "OTEL_TRACES_SAMPLER_ARG: 'abc' is not a ratio between 0 and 1"},
		{"traceidratio", "1.5", "OTEL_TRACES_SAMPLER_ARG: '1.5' is not a ratio between 0 and 1"},
		{"traceidratio", "-0.1", "OTEL_TRACES_SAMPLER_ARG: '-0.1' is not a ratio between 0 and 1"},
		{"traceidratio", "0,5", "OTEL_TRACES_SAMPLER_ARG: '0,5' is not a ratio between 0 and 1"},
		{"traceidratio", "50%", "OTEL_TRACES_SAMPLER_ARG: '50%' is not a ratio between 0 and 1"},
		{"traceidratio", "Inf", "OTEL_TRACES_SAMPLER_ARG: 'Inf' is not a ratio between 0 and 1"},
		{"traceidratio", "-Inf", "OTEL_TRACES_SAMPLER_ARG: '-Inf' is not a ratio between 0 and 1"},
		{"parentbased_traceidratio", " 2 ", "OTEL_TRACES_SAMPLER_ARG: ' 2 ' is not a ratio between 0 and 1"},
		{"parentbased_traceidratio", "1e400", "OTEL_TRACES_SAMPLER_ARG: '1e400' is not a ratio between 0 and 1"},
		{"jaeger_remote", "", "OTEL_TRACES_SAMPLER: 'jaeger_remote' is not supported (always_on, always_off, " +
			"traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio)"},
		{"parentbased_jaeger_remote", "", "OTEL_TRACES_SAMPLER: 'parentbased_jaeger_remote' is not supported " +
			"(always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, " +
			"parentbased_traceidratio)"},
		{"xray", "0.5", "OTEL_TRACES_SAMPLER: 'xray' is not supported (always_on, always_off, " +
			"traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio)"},
		{" Always ", "", "OTEL_TRACES_SAMPLER: 'always' is not supported (always_on, always_off, " +
			"traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio)"},
	} {
		s, err := ParseSampler(c.name, c.arg)
		if err == nil {
			t.Errorf("%q %q: no error (%+v)", c.name, c.arg, s)
			continue
		}
		if err.Error() != c.want {
			t.Errorf("%q %q:\n got %q\nwant %q", c.name, c.arg, err, c.want)
		}
		// The program still traces, with the default sampler.
		if s != AlwaysOn() {
			t.Errorf("%q %q: on error %+v, want AlwaysOn()", c.name, c.arg, s)
		}
	}
}

// NaN parses as a float but is no ratio between 0 and 1: it must be refused
// like any other bad argument rather than become an undefined bound.
func TestParseSamplerNaN(t *testing.T) {
	for _, arg := range []string{"NaN", "nan", "+NaN"} {
		s, err := ParseSampler("traceidratio", arg)
		want := "OTEL_TRACES_SAMPLER_ARG: '" + arg + "' is not a ratio between 0 and 1"
		if err == nil || err.Error() != want {
			t.Errorf("%q: err=%v (sampler %+v), want %q", arg, err, s, want)
		}
	}
}

func TestTraceIDRatio(t *testing.T) {
	const n = 200000
	ids := make([]model.TraceID, n)
	for i := range ids {
		ids[i] = newTraceID()
	}
	var prev []bool
	for _, ratio := range []string{"0.001", "0.01", "0.1", "0.25", "0.5", "0.9", "0.999"} {
		for _, name := range []string{"traceidratio", "parentbased_traceidratio"} {
			s, err := ParseSampler(name, ratio)
			if err != nil {
				t.Fatal(err)
			}
			p := mustFloat(t, ratio)
			count := 0
			decisions := make([]bool, n)
			for i, id := range ids {
				decisions[i] = s.sample(noParent, id)
				if decisions[i] {
					count++
				}
				// The decision is a function of the trace id: every service
				// with the same ratio decides the same for a trace.
				if s.sample(noParent, id) != decisions[i] {
					t.Fatalf("%s %s: two decisions for %x", name, ratio, id)
				}
			}
			sd := math.Sqrt(n * p * (1 - p))
			if d := math.Abs(float64(count) - n*p); d > 6*sd+1 {
				t.Errorf("%s %s: sampled %d of %d, want %.0f ± %.0f", name, ratio, count, n, n*p, 6*sd)
			}
			// A trace sampled at a ratio is sampled at every higher ratio.
			if name == "traceidratio" {
				for i := range prev {
					if prev[i] && !decisions[i] {
						t.Fatalf("%x sampled below ratio %s but not at it", ids[i], ratio)
					}
				}
				prev = decisions
			}
		}
	}
}

// The decision depends on the trace id's last 8 bytes only: the lowest value
// is sampled at every ratio above 0, the highest at none below 1.
func TestTraceIDRatioBits(t *testing.T) {
	half, err := ParseSampler("traceidratio", "0.5")
	if err != nil {
		t.Fatal(err)
	}
	tiny, _ := ParseSampler("traceidratio", "1e-15")
	large, _ := ParseSampler("traceidratio", "0.999999")
	var low, high model.TraceID
	for i := 8; i < 16; i++ {
		high[i] = 0xff
	}
	for i := 0; i < 8; i++ {
		low[i], high[i] = byte(i+1), byte(i+1)
	}
	if !tiny.sample(noParent, low) || !half.sample(noParent, low) {
		t.Error("a trace id with the lowest last 8 bytes is not sampled at every ratio above 0")
	}
	if large.sample(noParent, high) || half.sample(noParent, high) {
		t.Error("a trace id with the highest last 8 bytes is sampled below ratio 1")
	}
	for i := 0; i < 1000; i++ {
		id := newTraceID()
		other := newTraceID()
		copy(other[8:], id[8:])
		if half.sample(noParent, id) != half.sample(noParent, other) {
			t.Fatalf("%x and %x share their last 8 bytes but not the decision", id, other)
		}
	}
}

func mustFloat(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return f
}
