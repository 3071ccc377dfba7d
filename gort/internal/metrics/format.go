// SPDX-License-Identifier: Apache-2.0

package metrics

import (
	"math"
	"strconv"

	"goinstr.dev/rt/internal/model"
)

// appendDouble writes v as the agent's fmt::format("{}", v) does: the
// shortest digits that read back as v, in fixed notation when the decimal
// exponent is in [-4, 16) and as d.ddde±XX otherwise; nan, inf with a sign
// when negative. strconv's 'g' switches to exponents much earlier (1e+06).
func appendDouble(b []byte, v float64) []byte {
	switch {
	case math.IsNaN(v):
		if math.Signbit(v) {
			return append(b, "-nan"...)
		}
		return append(b, "nan"...)
	case math.IsInf(v, 1):
		return append(b, "inf"...)
	case math.IsInf(v, -1):
		return append(b, "-inf"...)
	case v == 0:
		if math.Signbit(v) {
			return append(b, "-0"...)
		}
		return append(b, '0')
	}
	var buf [32]byte
	e := strconv.AppendFloat(buf[:0], v, 'e', -1, 64) // [-]d[.ddd]e±XX
	mant, exp := e, 0
	for i := len(e) - 1; i >= 0; i-- {
		if e[i] == 'e' {
			mant = e[:i]
			exp = parseExponent(e[i+1:])
			break
		}
	}
	if exp < -4 || exp >= 16 {
		return append(b, e...)
	}
	if mant[0] == '-' {
		b = append(b, '-')
		mant = mant[1:]
	}
	var digits [20]byte
	d := append(digits[:0], mant[0])
	if len(mant) > 2 {
		d = append(d, mant[2:]...) // skip the '.'
	}
	if exp < 0 {
		b = append(b, "0."...)
		for i := -1; i > exp; i-- {
			b = append(b, '0')
		}
		return append(b, d...)
	}
	if len(d) <= exp+1 {
		b = append(b, d...)
		for i := len(d); i < exp+1; i++ {
			b = append(b, '0')
		}
		return b
	}
	b = append(b, d[:exp+1]...)
	b = append(b, '.')
	return append(b, d[exp+1:]...)
}

// parseExponent reads strconv's exponent, a sign and at least two digits.
func parseExponent(e []byte) int {
	n := 0
	for _, c := range e[1:] {
		n = n*10 + int(c-'0')
	}
	if e[0] == '-' {
		return -n
	}
	return n
}

// appendSample writes a sample value: the text format spells the special
// values NaN, +Inf and -Inf.
func appendSample(b []byte, v float64) []byte {
	switch {
	case math.IsNaN(v):
		return append(b, "NaN"...)
	case math.IsInf(v, 1):
		return append(b, "+Inf"...)
	case math.IsInf(v, -1):
		return append(b, "-Inf"...)
	}
	return appendDouble(b, v)
}

// appendText writes an attribute value as plain text (model::to_text):
// strings as they are, booleans true/false, numbers in their shortest form.
func appendText(b []byte, a *model.Attr) []byte {
	switch a.Kind {
	case model.ValueInt:
		return strconv.AppendInt(b, a.Int, 10)
	case model.ValueBool:
		return strconv.AppendBool(b, a.BoolValue())
	case model.ValueDouble:
		return appendDouble(b, a.Float)
	}
	return append(b, a.Str...)
}
