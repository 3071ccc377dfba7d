/* SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0) */
/* Definitions every event family shares. */
#ifndef GOINSTR_BPF_INTF_COMMON_H
#define GOINSTR_BPF_INTF_COMMON_H

#include <linux/types.h> /* __u64 and friends, in BPF C and in C++ alike */

/* Largest struct prefix a probe copies with one read (see bpf/lib/read.bpf.h). */
#define GOINSTR_SNAPSHOT_MAX 256

enum goinstr_event_type {
  GOINSTR_EVENT_HTTP_SERVER_START = 1,
  GOINSTR_EVENT_HTTP_SERVER_END = 2,
};

struct goinstr_event_header {
  __u32 type;  /* enum goinstr_event_type */
  __u32 pid;   /* tgid of the traced process */
  __u64 ts_ns; /* bpf_ktime_get_ns(): CLOCK_MONOTONIC */
};

/* Indexes of the per-CPU counters map: every event BPF could not deliver, and every event that
 * went out incomplete, is counted; user space reports them. */
enum goinstr_counter {
  GOINSTR_COUNTER_RINGBUF_FULL = 0, /* event dropped: ring buffer full */
  GOINSTR_COUNTER_READ_FAILED = 1,  /* a user-memory read failed: event sent incomplete */
  GOINSTR_COUNTERS = 2,
};

#endif
