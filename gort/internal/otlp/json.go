// SPDX-License-Identifier: Apache-2.0

package otlp

import (
	"math"
	"strconv"

	"goinstr.dev/rt/internal/model"
)

// AppendTraceJSON appends the request AppendTraceRequest encodes as one line
// of OTLP/JSON, without a trailing newline: the protobuf JSON mapping with
// lowerCamelCase keys, 64-bit integers as decimal strings, enums as integers
// and, as OTLP/JSON defines, trace and span ids as lowercase hex.
//
// The runtime agent writes the same lines for export.output (protobuf's JSON
// printer, src/export/otlp_json.cpp): keys in field-number order, fields at
// their zero value left out, doubles as C's %.15g (%.17g when that does not
// read back), and protobuf's string escaping. This writes the same text, so a
// file holds one format whichever mode produced it.
func AppendTraceJSON(b []byte, res *model.Resource, scope model.Scope, spans []*model.Span) []byte {
	b = append(b, `{"resourceSpans":[{"resource":`...)
	b = appendJSONResource(b, res)
	b = append(b, `,"scopeSpans":[{"scope":`...)
	b = appendJSONScope(b, scope)
	if len(spans) > 0 {
		b = append(b, `,"spans":[`...)
		for _, s := range spans {
			b = appendJSONSpan(jsonElem(b), s)
		}
		b = append(b, ']')
	}
	return append(b, "}]}]}"...)
}

func appendJSONSpan(b []byte, s *model.Span) []byte {
	b = append(b, '{')
	b = appendJSONHex(jsonKey(b, "traceId"), s.TraceID[:])
	b = appendJSONHex(jsonKey(b, "spanId"), s.SpanID[:])
	if s.TraceState != "" {
		b = appendJSONString(jsonKey(b, "traceState"), s.TraceState)
	}
	if s.ParentSpanID.IsValid() {
		b = appendJSONHex(jsonKey(b, "parentSpanId"), s.ParentSpanID[:])
	}
	if s.Name != "" {
		b = appendJSONString(jsonKey(b, "name"), s.Name)
	}
	if s.Kind != model.KindUnspecified {
		b = strconv.AppendInt(jsonKey(b, "kind"), int64(s.Kind), 10)
	}
	b = appendJSONTime(b, "startTimeUnixNano", s.StartNs)
	b = appendJSONTime(b, "endTimeUnixNano", s.EndNs)
	b = appendJSONAttributes(b, s.Attrs)
	if len(s.Events) > 0 {
		b = append(jsonKey(b, "events"), '[')
		for i := range s.Events {
			e := &s.Events[i]
			b = append(jsonElem(b), '{')
			b = appendJSONTime(b, "timeUnixNano", e.TimeNs)
			if e.Name != "" {
				b = appendJSONString(jsonKey(b, "name"), e.Name)
			}
			b = append(appendJSONAttributes(b, e.Attrs), '}')
		}
		b = append(b, ']')
	}
	if s.Status != model.StatusUnset {
		b = append(jsonKey(b, "status"), '{')
		if s.Status == model.StatusError && s.StatusMessage != "" {
			b = appendJSONString(jsonKey(b, "message"), s.StatusMessage)
		}
		b = strconv.AppendInt(jsonKey(b, "code"), int64(s.Status), 10)
		b = append(b, '}')
	}
	b = strconv.AppendUint(jsonKey(b, "flags"), uint64(spanFlags(s)), 10)
	return append(b, '}')
}

func appendJSONResource(b []byte, res *model.Resource) []byte {
	b = append(b, '{')
	if res != nil {
		b = appendJSONAttributes(b, res.Attrs)
	}
	return append(b, '}')
}

func appendJSONScope(b []byte, scope model.Scope) []byte {
	b = append(b, '{')
	if scope.Name != "" {
		b = appendJSONString(jsonKey(b, "name"), scope.Name)
	}
	if scope.Version != "" {
		b = appendJSONString(jsonKey(b, "version"), scope.Version)
	}
	return append(b, '}')
}

// appendJSONAttributes writes the "attributes" key of the enclosing object,
// or nothing when there are none.
func appendJSONAttributes(b []byte, attrs []model.Attr) []byte {
	if len(attrs) == 0 {
		return b
	}
	b = append(jsonKey(b, "attributes"), '[')
	for i := range attrs {
		a := &attrs[i]
		b = append(jsonElem(b), '{')
		if a.Key != "" {
			b = appendJSONString(jsonKey(b, "key"), a.Key)
		}
		b = append(jsonKey(b, "value"), '{')
		switch a.Kind {
		case model.ValueInt:
			b = append(jsonKey(b, "intValue"), '"')
			b = append(strconv.AppendInt(b, a.Int, 10), '"')
		case model.ValueBool:
			b = strconv.AppendBool(jsonKey(b, "boolValue"), a.BoolValue())
		case model.ValueDouble:
			b = appendJSONDouble(jsonKey(b, "doubleValue"), a.Float)
		default:
			b = appendJSONString(jsonKey(b, "stringValue"), a.Str)
		}
		b = append(b, "}}"...)
	}
	return append(b, ']')
}

// jsonKey starts a member of the object being written; the comma goes in
// unless the member is the object's first.
func jsonKey(b []byte, key string) []byte {
	if b[len(b)-1] != '{' {
		b = append(b, ',')
	}
	b = append(b, '"')
	b = append(b, key...)
	return append(b, '"', ':')
}

// jsonElem starts an element of the array being written.
func jsonElem(b []byte) []byte {
	if b[len(b)-1] != '[' {
		b = append(b, ',')
	}
	return b
}

// appendJSONTime writes a fixed64 time as protobuf JSON does: a decimal
// string, left out when zero.
func appendJSONTime(b []byte, key string, ns int64) []byte {
	if ns == 0 {
		return b
	}
	b = append(jsonKey(b, key), '"')
	return append(strconv.AppendUint(b, uint64(ns), 10), '"')
}

func appendJSONHex(b []byte, id []byte) []byte {
	const digits = "0123456789abcdef"
	b = append(b, '"')
	for _, c := range id {
		b = append(b, digits[c>>4], digits[c&0xf])
	}
	return append(b, '"')
}

// appendJSONDouble writes v as protobuf's printer does (SimpleDtoa): %.15g
// when that reads back as v, else %.17g; the non-finite values as strings.
// %.15g reads back exactly when v's shortest form has at most 15 digits,
// which saves parsing the text back.
func appendJSONDouble(b []byte, v float64) []byte {
	switch {
	case math.IsNaN(v):
		return append(b, `"NaN"`...)
	case math.IsInf(v, 1):
		return append(b, `"Infinity"`...)
	case math.IsInf(v, -1):
		return append(b, `"-Infinity"`...)
	}
	var tmp [32]byte
	digits := 0
	for _, c := range strconv.AppendFloat(tmp[:0], v, 'e', -1, 64) {
		if c == 'e' {
			break
		}
		if c >= '0' && c <= '9' {
			digits++
		}
	}
	prec := 15
	if digits > 15 {
		prec = 17
	}
	return strconv.AppendFloat(b, v, 'g', prec, 64)
}
