// SPDX-License-Identifier: Apache-2.0

package metrics

import (
	"math"
	"strconv"

	"goinstr.dev/rt/internal/model"
)

// value is one attribute value of a series key, normalised so that Go's ==
// on it is the C++ notion of equal (the type and the value, as flattened by
// aggregator.cpp): kind 0 is "absent", else ValueKind+1; num holds an int,
// a bool as 0/1, or a double's bits (so NaN keys match themselves).
type value struct {
	kind uint8
	str  string
	num  uint64
}

// seriesKey identifies a series: the instrument and its attribute values in
// the order of layouts[inst]. A fixed-size comparable struct, so a lookup of
// an attribute set seen before hashes it in place and builds no string.
type seriesKey struct {
	inst instrument
	vals [maxAttrs]value
}

func valueOf(a *model.Attr) value {
	switch a.Kind {
	case model.ValueInt:
		return value{kind: uint8(model.ValueInt) + 1, num: uint64(a.Int)}
	case model.ValueBool:
		if a.BoolValue() {
			return value{kind: uint8(model.ValueBool) + 1, num: 1}
		}
		return value{kind: uint8(model.ValueBool) + 1}
	case model.ValueDouble:
		return value{kind: uint8(model.ValueDouble) + 1, num: math.Float64bits(a.Float)}
	}
	return value{kind: uint8(model.ValueString) + 1, str: a.Str}
}

func stringValue(s string) value { return value{kind: uint8(model.ValueString) + 1, str: s} }

// attr turns a key slot back into an attribute (once per new series).
func (v value) attr(key string) model.Attr {
	switch model.ValueKind(v.kind - 1) {
	case model.ValueInt:
		return model.Int(key, int64(v.num))
	case model.ValueBool:
		return model.Bool(key, v.num != 0)
	case model.ValueDouble:
		return model.Double(key, math.Float64frombits(v.num))
	}
	return model.String(key, v.str)
}

// spanIndex holds, per key id, 1 + the index of the first attribute with
// that key (0: absent); the first occurrence wins, as in the C++ find().
type spanIndex [numKeys]int32

func (x *spanIndex) fill(attrs []model.Attr) {
	for i := range attrs {
		if id := keyID(attrs[i].Key); id >= 0 && x[id] == 0 {
			x[id] = int32(i + 1)
		}
	}
}

// measure fills k with the series span s contributes to, or reports false
// when no instrument covers it (internal spans, servers without an HTTP
// method, ...). It follows instruments.cpp measure().
func measure(s *model.Span, x *spanIndex, k *seriesKey) bool {
	switch {
	case x[keyRPCSystem] != 0:
		switch s.Kind {
		case model.KindServer:
			k.inst = rpcServerDuration
		case model.KindClient:
			k.inst = rpcClientDuration
		default:
			return false
		}
	case x[keyHTTPMethod] != 0 && s.Kind == model.KindServer:
		k.inst = httpServerDuration
	case s.Kind != model.KindClient:
		return false
	case x[keyHTTPMethod] != 0:
		k.inst = httpClientDuration
	case x[keyDBSystem] != 0:
		k.inst = dbClientDuration
	default:
		return false
	}
	for i, id := range layouts[k.inst] {
		switch {
		case id == keyErrorType:
			k.vals[i] = errorType(s, x, k.inst)
		case x[id] != 0:
			k.vals[i] = valueOf(&s.Attrs[x[id]-1])
		case id == keyURLScheme:
			// The hooks see plain net/http; a span that knows better says so.
			k.vals[i] = stringValue("http")
		}
	}
	return true
}

// errorType follows the semconv status rules: HTTP servers take the status
// code for 5xx only (a 4xx is the client's fault), HTTP clients for 4xx and
// 5xx; otherwise a span with its own error.type keeps it, and a failed span
// without one gets _OTHER.
func errorType(s *model.Span, x *spanIndex, inst instrument) value {
	threshold := int64(0)
	switch inst {
	case httpServerDuration:
		threshold = 500
	case httpClientDuration:
		threshold = 400
	}
	if threshold > 0 && x[keyHTTPStatus] != 0 {
		if code, ok := asInt(&s.Attrs[x[keyHTTPStatus]-1]); ok && code >= threshold {
			return stringValue(statusText(code))
		}
	}
	if x[keyErrorType] != 0 {
		return valueOf(&s.Attrs[x[keyErrorType]-1])
	}
	if s.Status == model.StatusError {
		return stringValue(otherErrorType)
	}
	return value{}
}

// asInt reads a status code: an int, or a string that is a whole decimal
// number with an optional '-' (what std::from_chars accepts: no '+', no
// spaces). Hand-written because strconv allocates its error.
func asInt(a *model.Attr) (int64, bool) {
	switch a.Kind {
	case model.ValueInt:
		return a.Int, true
	case model.ValueString:
	default:
		return 0, false
	}
	s := a.Str
	neg := len(s) > 0 && s[0] == '-'
	if neg {
		s = s[1:]
	}
	if len(s) == 0 {
		return 0, false
	}
	var n uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' || n > (math.MaxUint64-9)/10 {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	if neg && n <= 1<<63 {
		return -int64(n), true
	}
	if !neg && n <= math.MaxInt64 {
		return int64(n), true
	}
	return 0, false
}

// statusDigits holds "400401...599": the usual error codes are substrings of
// it, so error.type costs no allocation per span.
var statusDigits = func() string {
	b := make([]byte, 0, 3*200)
	for c := 400; c < 600; c++ {
		b = strconv.AppendInt(b, int64(c), 10)
	}
	return string(b)
}()

func statusText(code int64) string {
	if code >= 400 && code < 600 {
		i := 3 * (code - 400)
		return statusDigits[i : i+3]
	}
	return strconv.FormatInt(code, 10)
}
