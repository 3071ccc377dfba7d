/* SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0) */
/* Go runtime facts the goroutine probe needs: where the goroutine id lives, and whether goroutines
 * record their parent (Go 1.21+: runtime.g.parentGoid). */
#ifndef GOINSTR_BPF_INTF_RUNTIME_H
#define GOINSTR_BPF_INTF_RUNTIME_H

#include "bpf_intf/common.h"

struct runtime_offsets {
  __u64 g_goid;
  __u64 g_parent_goid; /* 0: the field does not exist (Go < 1.21) */
  /* 1 (propagation on): BPF itself keeps which requests are live (live_requests), so that an
   * outgoing request from a goroutine whose request has ended never carries that request's
   * trace. 0: user space alone decides, by record order (a child whose request ended gets no
   * parent there), which saves two map operations per request. */
  __u32 live_check;
  __u32 _pad;
};

#endif
