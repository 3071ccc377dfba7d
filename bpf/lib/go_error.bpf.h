/* SPDX-License-Identifier: GPL-2.0-only */
/* Go error values seen from BPF. An error is an interface {itab, data}; its message is only
 * reachable for types whose layout user space knows: it fills error_msg_offsets with the itab
 * address of each such type (for this executable) and the offset of its message string. Other
 * errors are reported by type name only. */
#ifndef GOINSTR_BPF_GO_ERROR_H
#define GOINSTR_BPF_GO_ERROR_H

#include "lib/read.bpf.h"

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 256);
  __type(key, __u64);   /* itab address */
  __type(value, __u32); /* offset of the message string in the pointed-to value */
} error_msg_offsets SEC(".maps") __weak;

static __always_inline __u16 read_error_message(char* dst, __u32 cap, __u64 itab, __u64 data) {
  if (!itab || !data) return 0;
  __u32* off = bpf_map_lookup_elem(&error_msg_offsets, &itab);
  if (!off) return 0;
  return read_go_string(dst, cap, data + *off);
}

#endif
