// SPDX-License-Identifier: Apache-2.0

// Package otlp turns the runtime's spans and histogram snapshots into OTLP
// requests and sends them: protobuf (the OTLP/HTTP body) and OTLP/JSON (the
// lines the runtime agent writes for export.output), written by hand onto a
// []byte, and an HTTP sender for the protobuf body.
//
// It is hand-written rather than generated so that the runtime needs no
// protobuf module: adding the runtime to a program must not change that
// program's dependency versions. The encoders use no reflection and allocate
// nothing beyond growing the buffer they are given, so a caller that reuses
// its buffer exports without garbage.
package otlp

import (
	"math"
	"unicode/utf8"
)

// Protobuf wire types.
const (
	wireVarint  = 0
	wireFixed64 = 1
	wireBytes   = 2
	wireFixed32 = 5
)

func appendVarint(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

func varintLen(v uint64) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}

func appendTag(b []byte, field int, wire int) []byte {
	return appendVarint(b, uint64(field)<<3|uint64(wire))
}

func appendFixed64(b []byte, v uint64) []byte {
	return append(b, byte(v), byte(v>>8), byte(v>>16), byte(v>>24),
		byte(v>>32), byte(v>>40), byte(v>>48), byte(v>>56))
}

func appendFixed32(b []byte, v uint32) []byte {
	return append(b, byte(v), byte(v>>8), byte(v>>16), byte(v>>24))
}

// Field writers. The ...Field forms skip a zero value, as protobuf does for
// proto3 fields without presence.

func appendVarintField(b []byte, field int, v uint64) []byte {
	if v == 0 {
		return b
	}
	return appendVarint(appendTag(b, field, wireVarint), v)
}

func appendFixed64Field(b []byte, field int, v uint64) []byte {
	if v == 0 {
		return b
	}
	return appendFixed64(appendTag(b, field, wireFixed64), v)
}

// appendDouble writes a double field even when it is zero: the callers use it
// for fields with presence (oneof members, optional).
func appendDouble(b []byte, field int, v float64) []byte {
	return appendFixed64(appendTag(b, field, wireFixed64), math.Float64bits(v))
}

func appendBytesField(b []byte, field int, v []byte) []byte {
	if len(v) == 0 {
		return b
	}
	b = appendVarint(appendTag(b, field, wireBytes), uint64(len(v)))
	return append(b, v...)
}

func appendStringField(b []byte, field int, s string) []byte {
	if s == "" {
		return b
	}
	return appendString(b, field, s)
}

// appendString writes a string field even when it is empty (oneof members).
// Protobuf strings must be valid UTF-8 (Go's proto.Unmarshal and collectors
// reject the whole request otherwise), but what the hooks record (URL paths,
// SQL text) is whatever bytes the program had: each byte of an invalid
// sequence becomes U+FFFD, as the runtime agent's model::to_valid_utf8 does.
func appendString(b []byte, field int, s string) []byte {
	b = appendTag(b, field, wireBytes)
	if utf8.ValidString(s) {
		b = appendVarint(b, uint64(len(s)))
		return append(b, s...)
	}
	b = appendVarint(b, uint64(validUTF8Len(s)))
	return appendValidUTF8(b, s)
}

// validUTF8Len is the length of s once appendValidUTF8 has replaced its
// invalid bytes.
func validUTF8Len(s string) int {
	n := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			n += utf8.RuneLen(utf8.RuneError)
		} else {
			n += size
		}
		i += size
	}
	return n
}

func appendValidUTF8(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, "\uFFFD"...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return b
}

// beginMessage starts a length-delimited field whose length is not known yet;
// endMessage writes the length once the content is in place. One byte is
// reserved, the common case for small messages; a longer length moves the
// content up by the extra bytes, which costs less than sizing every message
// in a separate pass.
func beginMessage(b []byte, field int) ([]byte, int) {
	b = appendTag(b, field, wireBytes)
	return append(b, 0), len(b)
}

func endMessage(b []byte, mark int) []byte {
	n := len(b) - mark - 1
	if n < 0x80 {
		b[mark] = byte(n)
		return b
	}
	extra := varintLen(uint64(n)) - 1
	for i := 0; i < extra; i++ {
		b = append(b, 0)
	}
	copy(b[mark+1+extra:], b[mark+1:len(b)-extra])
	// Writes in place: b[mark:mark] shares b's array, which has the room.
	appendVarint(b[mark:mark], uint64(n))
	return b
}
