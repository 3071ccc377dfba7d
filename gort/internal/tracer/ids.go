// SPDX-License-Identifier: Apache-2.0

package tracer

import (
	crand "crypto/rand"
	"encoding/binary"
	"sync/atomic"
	"time"

	"goinstr.dev/rt/internal/model"
)

// Ids come from splitmix64 over an atomic counter whose start is random:
// unique within the process, uniformly spread, unpredictable across processes,
// and one atomic add per id instead of a lock or a crypto/rand read on the
// request's path. (W3C asks trace ids to be random; the OpenTelemetry Go SDK
// uses a math/rand source seeded the same way.)
var idState uint64

func init() {
	var seed [8]byte
	if _, err := crand.Read(seed[:]); err != nil {
		binary.LittleEndian.PutUint64(seed[:], uint64(time.Now().UnixNano()))
	}
	idState = binary.LittleEndian.Uint64(seed[:])
}

func next64() uint64 {
	z := atomic.AddUint64(&idState, 0x9e3779b97f4a7c15)
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// newSpanID is a random non-zero span id.
func newSpanID() model.SpanID {
	var id model.SpanID
	for !id.IsValid() {
		binary.BigEndian.PutUint64(id[:], next64())
	}
	return id
}

// newTraceID is a random non-zero trace id.
func newTraceID() model.TraceID {
	var id model.TraceID
	for !id.IsValid() {
		binary.BigEndian.PutUint64(id[:8], next64())
		binary.BigEndian.PutUint64(id[8:], next64())
	}
	return id
}
