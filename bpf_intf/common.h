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
  GOINSTR_EVENT_DB_START = 3,
  GOINSTR_EVENT_DB_END = 4,
  GOINSTR_EVENT_HTTP_CLIENT_START = 5,
  GOINSTR_EVENT_HTTP_CLIENT_END = 6,
  GOINSTR_EVENT_HTTP_CLIENT_CONN = 7,
  GOINSTR_EVENT_DB_TARGET = 8,
  GOINSTR_EVENT_GRPC_SERVER_START = 9,
  GOINSTR_EVENT_GRPC_SERVER_END = 10,
  GOINSTR_EVENT_GRPC_CLIENT_START = 11,
  GOINSTR_EVENT_GRPC_CLIENT_CONN = 12,
  GOINSTR_EVENT_GRPC_CLIENT_END = 13,
};

struct goinstr_event_header {
  __u32 type;  /* enum goinstr_event_type */
  __u32 pid;   /* tgid of the traced process */
  __u64 ts_ns; /* bpf_ktime_get_ns(): CLOCK_MONOTONIC */
};

/* Indexes of the per-CPU counters map: every event BPF could not deliver, and every event that
 * went out incomplete, is counted; user space reports them. */
enum goinstr_counter {
  GOINSTR_COUNTER_RINGBUF_FULL = 0,        /* event dropped: ring buffer full */
  GOINSTR_COUNTER_READ_FAILED = 1,         /* a user-memory read failed: event sent incomplete */
  GOINSTR_COUNTER_INJECTED = 2,            /* traceparent written into an outgoing request */
  GOINSTR_COUNTER_INJECT_PRESENT = 3,      /* not written: the request already had a traceparent */
  GOINSTR_COUNTER_INJECT_NO_ROOM = 4,      /* not written: the write buffer was flushed or full */
  GOINSTR_COUNTER_INJECT_FAILED = 5,       /* bpf_probe_write_user failed */
  GOINSTR_COUNTER_GOROUTINES_LINKED = 6,   /* goroutines started while serving a request */
  GOINSTR_COUNTER_INVALID_TRACEPARENT = 7, /* an HTTP/2 or gRPC traceparent field was malformed */
  GOINSTR_COUNTERS = 8,
};

#endif
