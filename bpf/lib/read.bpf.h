/* SPDX-License-Identifier: GPL-2.0-only */
/* Bounded reads of Go values from the traced process. Every failed read is counted. */
#ifndef GOINSTR_BPF_READ_H
#define GOINSTR_BPF_READ_H

#include <bpf/bpf_helpers.h>

#include "lib/go_abi.bpf.h"
#include "lib/maps.bpf.h"

static __always_inline __u64 read_u64(__u64 addr) {
  __u64 value = 0;
  if (bpf_probe_read_user(&value, sizeof(value), (void*)addr) != 0) {
    counter__inc(GOINSTR_COUNTER_READ_FAILED);
    return 0;
  }
  return value;
}

/* Copies the bytes of Go string s into dst (capacity cap, a power of two); returns the count. The
 * mask bounds the length for the verifier; min() bounds it for correctness. */
static __always_inline __u16 copy_go_string(char* dst, __u32 cap, struct go_string s) {
  if (s.len <= 0 || s.ptr == 0) return 0;
  __u32 n = s.len < cap ? (__u32)s.len : cap;
  n &= (cap - 1) | cap;
  if (n > cap) return 0;
  if (bpf_probe_read_user(dst, n, (void*)s.ptr) != 0) {
    counter__inc(GOINSTR_COUNTER_READ_FAILED);
    return 0;
  }
  return (__u16)n;
}

/* Copies the Go string whose header is at addr: two reads. */
static __always_inline __u16 read_go_string(char* dst, __u32 cap, __u64 addr) {
  struct go_string s = {};
  if (bpf_probe_read_user(&s, sizeof(s), (void*)addr) != 0) {
    counter__inc(GOINSTR_COUNTER_READ_FAILED);
    return 0;
  }
  return copy_go_string(dst, cap, s);
}

/* A struct copied with one read. Each bpf_probe_read_user costs ~200 ns on our VMs (measured with
 * kernel.bpf_stats_enabled), so a probe reads a struct once and picks its fields from the copy
 * instead of reading field by field. */
struct snapshot {
  __u8 bytes[GOINSTR_SNAPSHOT_MAX];
};

static __always_inline int snapshot__read(struct snapshot* snap, __u64 addr, __u32 size) {
  if (size > GOINSTR_SNAPSHOT_MAX) size = GOINSTR_SNAPSHOT_MAX;
  if (bpf_probe_read_user(snap->bytes, size, (void*)addr) != 0) {
    counter__inc(GOINSTR_COUNTER_READ_FAILED);
    return -1;
  }
  return 0;
}

/* Field accessors; offsets come from rodata, so these bounds checks fold away at load time. */
static __always_inline __u64 snapshot__u64(const struct snapshot* snap, __u64 off) {
  __u64 value = 0;
  if (off <= GOINSTR_SNAPSHOT_MAX - sizeof(value)) __builtin_memcpy(&value, snap->bytes + off, 8);
  return value;
}

static __always_inline struct go_string snapshot__string(const struct snapshot* snap, __u64 off) {
  struct go_string s = {};
  if (off <= GOINSTR_SNAPSHOT_MAX - sizeof(s)) __builtin_memcpy(&s, snap->bytes + off, sizeof(s));
  return s;
}

#endif
