/* SPDX-License-Identifier: GPL-2.0-only */
/* Maps shared by every probe family, and the helpers that keep drops visible. __weak: every probe
 * file includes this header; the BPF linker keeps one copy of each map. */
#ifndef GOINSTR_BPF_MAPS_H
#define GOINSTR_BPF_MAPS_H

#include <linux/bpf.h> /* first: bpf_helpers.h needs its types */

#include <bpf/bpf_helpers.h>

#include "bpf_intf/common.h"

/* One ring buffer per traced executable; user space sizes it before load. Records are submitted
 * without waking the consumer (BPF_RB_NO_WAKEUP): a wakeup costs ~1.4 us of the traced thread's
 * time against ~25 ns without, so user space drains on a short timer instead. */
struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 16 * 1024 * 1024);
} events SEC(".maps") __weak;

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, GOINSTR_COUNTERS);
  __type(key, __u32);
  __type(value, __u64);
} counters SEC(".maps") __weak;

static __always_inline void counter__inc(__u32 which) {
  __u64* value = bpf_map_lookup_elem(&counters, &which);
  if (value) *value += 1;
}

/* Reserves an event record or counts the drop. */
static __always_inline void* events__reserve(__u64 size) {
  void* record = bpf_ringbuf_reserve(&events, size, 0);
  if (!record) counter__inc(GOINSTR_COUNTER_RINGBUF_FULL);
  return record;
}

/* Every record starts with its type, the traced process and a CLOCK_MONOTONIC stamp. */
static __always_inline void events__header(struct goinstr_event_header* hdr, __u32 type) {
  hdr->type = type;
  hdr->pid = bpf_get_current_pid_tgid() >> 32;
  hdr->ts_ns = bpf_ktime_get_ns();
}

static __always_inline void events__submit(void* record) {
  bpf_ringbuf_submit(record, BPF_RB_NO_WAKEUP);
}

#endif
