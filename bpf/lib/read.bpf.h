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

/* Copies the Go string at addr into dst (capacity cap, a power of two) and returns the number of
 * bytes copied. The mask bounds the length for the verifier; min() bounds it for correctness. */
static __always_inline __u16 read_go_string(char* dst, __u32 cap, __u64 addr) {
  struct go_string s = {};
  if (bpf_probe_read_user(&s, sizeof(s), (void*)addr) != 0) {
    counter__inc(GOINSTR_COUNTER_READ_FAILED);
    return 0;
  }
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

#endif
