// SPDX-License-Identifier: Apache-2.0

package tracer

import (
	"encoding/hex"

	"goinstr.dev/rt/internal/model"
)

// ParseTraceparent reads a W3C traceparent header value
// ("00-<32 hex>-<16 hex>-<2 hex>"). Versions above 00 are read by their first
// four fields, as the specification asks; anything malformed, or all-zero
// ids, gives ok=false (the request then starts a new trace).
func ParseTraceparent(v string) (sc model.SpanContext, ok bool) {
	if len(v) < 55 || v[2] != '-' || v[35] != '-' || v[52] != '-' {
		return sc, false
	}
	if !lowerHex(v[:2]) || v[:2] == "ff" || (v[:2] == "00" && len(v) != 55) ||
		(v[:2] != "00" && len(v) > 55 && v[55] != '-') {
		return sc, false
	}
	if !lowerHex(v[3:35]) || !lowerHex(v[36:52]) || !lowerHex(v[53:55]) {
		return sc, false
	}
	if _, err := hex.Decode(sc.TraceID[:], []byte(v[3:35])); err != nil {
		return sc, false
	}
	if _, err := hex.Decode(sc.SpanID[:], []byte(v[36:52])); err != nil {
		return sc, false
	}
	var flags [1]byte
	if _, err := hex.Decode(flags[:], []byte(v[53:55])); err != nil {
		return sc, false
	}
	sc.Flags = flags[0]
	sc.Remote = true
	return sc, sc.IsValid()
}

func lowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// FormatTraceparent is the traceparent header value for sc.
func FormatTraceparent(sc model.SpanContext) string {
	var b [55]byte
	b[0], b[1], b[2] = '0', '0', '-'
	hex.Encode(b[3:35], sc.TraceID[:])
	b[35] = '-'
	hex.Encode(b[36:52], sc.SpanID[:])
	b[52] = '-'
	hex.Encode(b[53:55], []byte{sc.Flags & model.FlagSampled})
	return string(b[:])
}
