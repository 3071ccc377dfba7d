// SPDX-License-Identifier: Apache-2.0

package metrics

import (
	"hash/maphash"

	"goinstr.dev/rt/internal/model"
)

// table maps a key's hash to its series. The hash is one pass over the
// key's bytes, far cheaper than Go's field-by-field hash of the 264-byte
// struct; a key whose hash is taken by another key (practically never) goes
// to overflow.
type table struct {
	byHash   map[uint64]*series
	overflow map[seriesKey]*series
	n        int
}

func newTable(n int) *table { return &table{byHash: make(map[uint64]*series, n)} }

func (t *table) get(h uint64, k *seriesKey) *series {
	if t == nil {
		return nil
	}
	if s := t.byHash[h]; s != nil && s.key.equal(k) {
		return s
	}
	if t.overflow == nil {
		return nil
	}
	return t.overflow[*k]
}

// equal is k == o on the attributes the instrument uses (the others are
// zero in both), without comparing 264 bytes field by field.
func (k *seriesKey) equal(o *seriesKey) bool {
	if k.inst != o.inst {
		return false
	}
	for i := range layouts[k.inst] {
		a, b := &k.vals[i], &o.vals[i]
		if a.kind != b.kind || a.num != b.num || a.str != b.str {
			return false
		}
	}
	return true
}

func (t *table) put(h uint64, s *series) {
	t.n++
	if t.byHash[h] == nil {
		t.byHash[h] = s
		return
	}
	if t.overflow == nil {
		t.overflow = make(map[seriesKey]*series)
	}
	t.overflow[s.key] = s
}

func (t *table) each(f func(h uint64, s *series)) {
	if t == nil {
		return
	}
	for h, s := range t.byHash {
		f(h, s)
	}
	for _, s := range t.overflow {
		f(0, s) // rehashed by the caller: overflow keys do not keep theirs
	}
}

// hash covers every byte that decides equality: the instrument, and per
// attribute its kind, number (or string length) and string. They are put
// side by side in a stack buffer and hashed at once, which beats a
// maphash.Hash write per field several times over.
func (x *index) hash(k *seriesKey) uint64 {
	var buf [256]byte
	b := append(buf[:0], byte(k.inst))
	var h uint64
	for i := range layouts[k.inst] {
		v := &k.vals[i]
		n := v.num
		if v.kind == uint8(model.ValueString)+1 {
			n = uint64(len(v.str))
		}
		if len(b)+9+len(v.str) > len(buf) { // long values: hash what we have
			h = h*31 + maphash.Bytes(x.seed, b)
			b = b[:0]
		}
		b = append(b, v.kind, byte(n), byte(n>>8), byte(n>>16), byte(n>>24),
			byte(n>>32), byte(n>>40), byte(n>>48), byte(n>>56))
		if len(v.str) > len(buf)-9 {
			h = h*31 + maphash.String(x.seed, v.str)
			continue
		}
		b = append(b, v.str...)
	}
	return h*31 + maphash.Bytes(x.seed, b)
}
