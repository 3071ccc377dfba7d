/* SPDX-License-Identifier: GPL-2.0-only */
/* The incoming traceparent of an HTTP/2 stream (gRPC, or net/http over HTTP/2). Header fields
 * are decoded on the connection's reader goroutine (operateHeaders, processHeaders), but the
 * span starts on the goroutine that serves the stream: the probe on the former parses the
 * traceparent field, if there is one, into stream_ctx under (pid, connection, stream id), and the
 * start probe takes it from there. Streams without a traceparent cost a scan of the field names
 * and no map write. */
#ifndef GOINSTR_BPF_STREAM_CTX_H
#define GOINSTR_BPF_STREAM_CTX_H

#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

#include "bpf_intf/http2.h"
#include "bpf_intf/trace_context.h"
#include "lib/go_abi.bpf.h"
#include "lib/read.bpf.h"
#include "lib/request_ctx.bpf.h"
#include "lib/traceparent.bpf.h"

struct stream_key {
  __u32 pid;
  __u32 stream_id;
  __u64 conn; /* *http2Server, *serverConn: whatever both probes can see */
};

struct {
  __uint(type, BPF_MAP_TYPE_LRU_HASH);
  __uint(max_entries, 16384);
  __type(key, struct stream_key);
  __type(value, struct goinstr_trace_ctx);
} stream_ctx SEC(".maps") __weak;

/* How many traceparents stream_ctx holds that no start took yet: while 0 (no incoming
 * traceparent, the common case), a start probe skips the reads that find its stream's key. An
 * entry the LRU evicts is never taken, so the count can stay above 0: the probes then only do
 * those reads always, as they would without it. */
struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __s64);
} stream_ctx_pending SEC(".maps") __weak;

static __always_inline __s64* stream_ctx__pending(void) {
  __u32 zero = 0;
  return bpf_map_lookup_elem(&stream_ctx_pending, &zero);
}

/* Whether a start probe needs its stream's key at all. */
static __always_inline int stream_ctx__any(void) {
  __s64* n = stream_ctx__pending();
  return n && *n > 0;
}

#define HPACK_FIELDS_BYTES (GOINSTR_HPACK_FIELDS_MAX * GOINSTR_HPACK_FIELD_SIZE_MAX)

struct hpack_scratch {
  __u8 fields[HPACK_FIELDS_BYTES];
  char name[16];
  char value[TP_VALUE_LEN + 1];
};

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct hpack_scratch);
} hpack_scratch_map SEC(".maps") __weak;

/* A decoded header field named exactly "traceparent" (HTTP/2 names are lower case). */
static __always_inline int hpack__is_traceparent(struct hpack_scratch* s, struct go_string name) {
  if (name.len != 11 || !name.ptr) return 0;
  if (bpf_probe_read_user(s->name, 11, (void*)name.ptr) != 0) {
    counter__inc(GOINSTR_COUNTER_READ_FAILED);
    return 0;
  }
  __u64 head = 0, tail = 0;
  __builtin_memcpy(&head, s->name, 8);
  for (int k = 0; k < 3; k++) tail |= (__u64)(__u8)s->name[8 + k] << (8 * k);
  return head == 0x7261706563617274ULL /* "tracepar" */ && tail == 0x746e65ULL /* "ent" */;
}

/* Called with the *MetaHeadersFrame a connection's reader is about to handle. */
static __always_inline void stream_ctx__from_headers(
    __u64 conn, __u64 frame, const volatile struct goinstr_headers_frame_offsets* o) {
  if (!o->valid || !frame || o->field_size > GOINSTR_HPACK_FIELD_SIZE_MAX) return;
  __u32 zero = 0;
  struct hpack_scratch* s = bpf_map_lookup_elem(&hpack_scratch_map, &zero);
  if (!s) return;
  struct {
    __u64 ptr;
    __s64 len;
    __s64 cap;
  } fields = {};
  if (bpf_probe_read_user(&fields, sizeof(fields), (void*)(frame + o->meta_fields)) != 0) {
    counter__inc(GOINSTR_COUNTER_READ_FAILED);
    return;
  }
  if (!fields.ptr || fields.len <= 0) return;
  __u32 n = fields.len < GOINSTR_HPACK_FIELDS_MAX ? (__u32)fields.len : GOINSTR_HPACK_FIELDS_MAX;
  __u32 bytes = n * o->field_size;
  if (bytes > HPACK_FIELDS_BYTES || bytes == 0) return;
  if (bpf_probe_read_user(s->fields, bytes, (void*)fields.ptr) != 0) {
    counter__inc(GOINSTR_COUNTER_READ_FAILED);
    return;
  }
  for (__u32 i = 0; i < GOINSTR_HPACK_FIELDS_MAX; i++) {
    if (i >= n) return;
    __u32 at = i * o->field_size;
    if (at > HPACK_FIELDS_BYTES - GOINSTR_HPACK_FIELD_SIZE_MAX) return;
    struct go_string name = {}, value = {};
    if (o->field_name <= GOINSTR_HPACK_FIELD_SIZE_MAX - sizeof(name))
      __builtin_memcpy(&name, s->fields + at + o->field_name, sizeof(name));
    if (!hpack__is_traceparent(s, name)) continue;
    if (o->field_value <= GOINSTR_HPACK_FIELD_SIZE_MAX - sizeof(value))
      __builtin_memcpy(&value, s->fields + at + o->field_value, sizeof(value));
    if (value.len < TP_VALUE_LEN || !value.ptr) return;
    if (bpf_probe_read_user(s->value, TP_VALUE_LEN, (void*)value.ptr) != 0) {
      counter__inc(GOINSTR_COUNTER_READ_FAILED);
      return;
    }
    struct goinstr_trace_ctx tc = {};
    if (traceparent__parse(s->value, &tc) != 0) {
      counter__inc(GOINSTR_COUNTER_INVALID_TRACEPARENT);
      return;
    }
    tc.flags |= GOINSTR_CTX_HAS_TRACE_ID | GOINSTR_CTX_CONTINUED;
    __u64 headers = read_u64(frame + o->meta_headers);
    __u32 id = 0;
    if (!headers || bpf_probe_read_user(&id, sizeof(id), (void*)(headers + o->frame_stream_id))) {
      counter__inc(GOINSTR_COUNTER_READ_FAILED);
      return;
    }
    struct stream_key key = {
        .pid = bpf_get_current_pid_tgid() >> 32, .stream_id = id, .conn = conn};
    if (bpf_map_update_elem(&stream_ctx, &key, &tc, BPF_ANY) == 0) {
      __s64* pending = stream_ctx__pending();
      if (pending) __sync_fetch_and_add(pending, 1);
    }
    return;
  }
}

/* A server span's ids for stream (conn, id): the incoming traceparent's trace, else (with
 * propagation on) a new trace chosen here, else none (user space chooses). conn 0: the caller
 * skipped finding the key because nothing is pending. */
static __always_inline void stream_ctx__take(struct goinstr_trace_ctx* out, __u64 conn,
                                             __u32 stream_id, __u32 propagate) {
  struct stream_key key = {
      .pid = bpf_get_current_pid_tgid() >> 32, .stream_id = stream_id, .conn = conn};
  struct goinstr_trace_ctx* found = conn ? bpf_map_lookup_elem(&stream_ctx, &key) : 0;
  if (found) {
    *out = *found;
    if (bpf_map_delete_elem(&stream_ctx, &key) == 0) {
      __s64* pending = stream_ctx__pending();
      if (pending) __sync_fetch_and_add(pending, -1);
    }
  } else {
    __builtin_memset(out, 0, sizeof(*out));
    if (propagate) {
      __u64 a = random_u64(), b = random_u64();
      __builtin_memcpy(out->trace_id, &a, 8);
      __builtin_memcpy(out->trace_id + 8, &b, 8);
      out->flags = GOINSTR_CTX_HAS_TRACE_ID | GOINSTR_CTX_SAMPLED;
    }
  }
  out->span_id = random_u64();
}

#endif
