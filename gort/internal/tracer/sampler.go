// SPDX-License-Identifier: Apache-2.0

package tracer

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"

	"goinstr.dev/rt/internal/model"
)

// Sampler decides which new spans are exported, by OTEL_TRACES_SAMPLER. Every
// span still feeds the metrics, so RED metrics stay whole under sampling.
type Sampler struct {
	parentBased bool
	always      bool   // ratio 1
	never       bool   // ratio 0
	bound       uint64 // traceidratio: sample when the id's last 8 bytes >> 1 are below it
}

// AlwaysOn is the default: parentbased_always_on.
func AlwaysOn() Sampler { return Sampler{parentBased: true, always: true} }

// ParseSampler reads OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG as the
// specification names them; "" is the default.
func ParseSampler(name, arg string) (Sampler, error) {
	name = strings.ToLower(strings.TrimSpace(name))
	switch name {
	case "", "parentbased_always_on":
		return AlwaysOn(), nil
	case "always_on":
		return Sampler{always: true}, nil
	case "always_off":
		return Sampler{never: true}, nil
	case "parentbased_always_off":
		return Sampler{parentBased: true, never: true}, nil
	case "traceidratio", "parentbased_traceidratio":
		ratio := 1.0
		if a := strings.TrimSpace(arg); a != "" {
			r, err := strconv.ParseFloat(a, 64)
			if err != nil || r != r || r < 0 || r > 1 { // r != r: NaN
				return AlwaysOn(), fmt.Errorf("OTEL_TRACES_SAMPLER_ARG: '%s' is not a ratio between 0 and 1", arg)
			}
			ratio = r
		}
		s := Sampler{parentBased: name == "parentbased_traceidratio"}
		switch {
		case ratio >= 1:
			s.always = true
		case ratio <= 0:
			s.never = true
		default:
			s.bound = uint64(ratio * (1 << 63))
		}
		return s, nil
	}
	return AlwaysOn(), fmt.Errorf("OTEL_TRACES_SAMPLER: '%s' is not supported (always_on, always_off, "+
		"traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio)", name)
}

func (s Sampler) sample(parent model.SpanContext, id model.TraceID) bool {
	if s.parentBased && parent.IsValid() {
		return parent.Flags&model.FlagSampled != 0
	}
	switch {
	case s.always:
		return true
	case s.never:
		return false
	}
	// As the OpenTelemetry Go SDK does (traceIDRatioSampler), so a service traced by goinstr
	// and one traced by the SDK keep the same traces: the id's last 8 bytes shifted right by
	// one, against fraction * 2^63.
	return binary.BigEndian.Uint64(id[8:])>>1 < s.bound
}
