/* SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0) */
/* Trace context as BPF sees it: which server request a goroutine works for, and the ids BPF
 * chooses so that a child span (database, outgoing HTTP) can name its parent and, with
 * propagation on, an outgoing request can carry a traceparent before user space ever sees it. */
#ifndef GOINSTR_BPF_INTF_TRACE_CONTEXT_H
#define GOINSTR_BPF_INTF_TRACE_CONTEXT_H

#include "bpf_intf/common.h"

/* trace_id[] is valid: chosen in BPF (propagation on), or read from the incoming traceparent. */
#define GOINSTR_CTX_HAS_TRACE_ID 1u
/* trace_id[] and parent_span_id[] came from an incoming traceparent. */
#define GOINSTR_CTX_CONTINUED 2u
#define GOINSTR_CTX_SAMPLED 4u

struct goinstr_trace_ctx {
  __u8 trace_id[16];
  __u8 parent_span_id[8]; /* server spans: the caller's span from traceparent */
  __u64 span_id;          /* this span's id (bpf_get_prandom_u32), as bytes in memory order */
  __u32 flags;            /* GOINSTR_CTX_* */
  __u32 _pad;
};

/* Why a child span has the parent it has; user space logs it at debug level. */
enum goinstr_parent_via {
  GOINSTR_PARENT_NONE = 0,      /* the goroutine serves no request */
  GOINSTR_PARENT_DIRECT = 1,    /* the goroutine serving the request */
  GOINSTR_PARENT_INHERITED = 2, /* a goroutine started (transitively) by that goroutine */
  GOINSTR_PARENT_ENDED = 3,     /* started by a request that has ended: not linked */
};

/* The parent part of every child record. */
struct goinstr_child_ctx {
  struct goinstr_trace_ctx self; /* span_id: the child's own id; trace_id if known in BPF */
  __u64 parent_span_id;          /* the server span's span_id; 0: none */
  __u64 goid;                    /* goroutine that ran the operation: pairs start and end */
  __u32 parent_via;              /* enum goinstr_parent_via */
  __u32 _pad;
};

#endif
