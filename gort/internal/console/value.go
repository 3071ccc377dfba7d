// SPDX-License-Identifier: Apache-2.0

package console

import (
	"math"
	"strconv"
	"strings"

	"goinstr.dev/rt/internal/model"
)

// text is an attribute value as plain text, as the agent's model::to_text
// writes it: strings as they are, booleans as true/false, integers in
// decimal, doubles as fmt's "{}" does.
func text(a model.Attr) string {
	switch a.Kind {
	case model.ValueInt:
		return strconv.FormatInt(a.Int, 10)
	case model.ValueBool:
		return strconv.FormatBool(a.BoolValue())
	case model.ValueDouble:
		return formatDouble(a.Float)
	}
	return a.Str
}

// formatDouble is {fmt}'s default double format: the shortest digits that
// read back as v, in exponent form when the decimal exponent is below -4 or
// at least 16, else in fixed form; "nan", "inf" and "-inf".
func formatDouble(v float64) string {
	switch {
	case math.IsNaN(v):
		if math.Signbit(v) {
			return "-nan"
		}
		return "nan"
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	}
	// The shortest digits, and the exponent they carry.
	e := strconv.FormatFloat(v, 'e', -1, 64)
	exp, _ := strconv.Atoi(e[strings.IndexByte(e, 'e')+1:])
	if exp < -4 || exp >= 16 {
		return e
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}
