/* SPDX-License-Identifier: GPL-2.0-only */
/* Which server request each goroutine works for. The serving goroutine is entered at server start
 * and removed at server end; goroutines it starts inherit its entry (probes/goroutines.bpf.c).
 * Inherited entries are never removed one by one: a long-lived worker started during a request
 * keeps its entry, and the link ends with the request because user space gives a child no parent
 * once its request's end was seen (records are handled in time order); with propagation on, BPF
 * checks that the request is still live itself (live_requests), since it may inject the request's
 * trace before user space sees anything. The LRU maps bound memory whatever the program does. Maps
 * are __weak so that every probe file can include this header and the BPF linker keeps one copy. */
#ifndef GOINSTR_BPF_REQUEST_CTX_H
#define GOINSTR_BPF_REQUEST_CTX_H

#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

#include "bpf_intf/runtime.h"
#include "bpf_intf/trace_context.h"

/* Defined in probes/goroutines.bpf.c (one object after linking). */
extern const volatile struct runtime_offsets cfg_rt;

struct go_key {
  __u32 pid;
  __u32 _pad;
  __u64 goid;
};

struct request_entry {
  struct goinstr_trace_ctx server; /* the server span's context */
  __u32 inherited;                 /* 1: entry copied to a goroutine the server goroutine started */
  __u32 _pad;
};

struct {
  __uint(type, BPF_MAP_TYPE_LRU_HASH);
  __uint(max_entries, 65536);
  __type(key, struct go_key);
  __type(value, struct request_entry);
} go_requests SEC(".maps") __weak;

/* Server span ids of requests in progress. */
struct {
  __uint(type, BPF_MAP_TYPE_LRU_HASH);
  __uint(max_entries, 65536);
  __type(key, __u64);
  __type(value, __u32);
} live_requests SEC(".maps") __weak;

static __always_inline struct go_key go_key__make(__u64 goid) {
  struct go_key key = {};
  key.pid = bpf_get_current_pid_tgid() >> 32;
  key.goid = goid;
  return key;
}

static __always_inline __u64 random_u64(void) {
  __u64 hi = bpf_get_prandom_u32();
  __u64 v = (hi << 32) | bpf_get_prandom_u32();
  return v ? v : 1; /* an all-zero span id is invalid */
}

/* Fills the parent part of a child record for goroutine goid; returns the request's entry or
 * NULL. The child's own span id is always chosen here; its trace id too when the parent has one
 * (propagation on) or when `need_trace_id` (an outgoing request that starts a trace). */
static __always_inline void child_ctx__fill(struct goinstr_child_ctx* c, __u64 goid,
                                            int need_trace_id) {
  struct go_key key = go_key__make(goid);
  __builtin_memset(c, 0, sizeof(*c));
  c->goid = goid;
  c->self.span_id = random_u64();
  struct request_entry* entry = bpf_map_lookup_elem(&go_requests, &key);
  if (entry) {
    __u64 span = entry->server.span_id;
    if (!cfg_rt.live_check || bpf_map_lookup_elem(&live_requests, &span)) {
      c->parent_span_id = span;
      c->parent_via = entry->inherited ? GOINSTR_PARENT_INHERITED : GOINSTR_PARENT_DIRECT;
      if (entry->server.flags & GOINSTR_CTX_HAS_TRACE_ID) {
        __builtin_memcpy(c->self.trace_id, entry->server.trace_id, 16);
        c->self.flags = GOINSTR_CTX_HAS_TRACE_ID | (entry->server.flags & GOINSTR_CTX_SAMPLED);
      }
    } else {
      c->parent_via = GOINSTR_PARENT_ENDED;
    }
  }
  if (need_trace_id && !(c->self.flags & GOINSTR_CTX_HAS_TRACE_ID)) {
    __u64 a = random_u64(), b = random_u64();
    __builtin_memcpy(c->self.trace_id, &a, 8);
    __builtin_memcpy(c->self.trace_id + 8, &b, 8);
    c->self.flags = GOINSTR_CTX_HAS_TRACE_ID | GOINSTR_CTX_SAMPLED;
  }
}

/* A server span starts on goroutine goid: its children name it as parent until it ends. */
static __always_inline void request__enter(__u64 goid, const struct goinstr_trace_ctx* ctx) {
  struct go_key key = go_key__make(goid);
  struct request_entry entry = {};
  entry.server = *ctx;
  if (cfg_rt.live_check) {
    __u64 span = ctx->span_id;
    __u32 pid = key.pid;
    bpf_map_update_elem(&live_requests, &span, &pid, BPF_ANY);
  }
  bpf_map_update_elem(&go_requests, &key, &entry, BPF_ANY);
}

/* The span served on goroutine goid ends. */
static __always_inline void request__leave(__u64 goid) {
  struct go_key key = go_key__make(goid);
  if (cfg_rt.live_check) {
    struct request_entry* entry = bpf_map_lookup_elem(&go_requests, &key);
    if (!entry) return;
    __u64 span = entry->server.span_id;
    bpf_map_delete_elem(&live_requests, &span);
  }
  bpf_map_delete_elem(&go_requests, &key);
}

#endif
