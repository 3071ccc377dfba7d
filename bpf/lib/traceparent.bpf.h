/* SPDX-License-Identifier: GPL-2.0-only */
/* W3C traceparent in BPF: parsing a value, finding it in raw HTTP/1 request bytes and formatting
 * the header line an outgoing request gets. The HTTP/1 scan only runs with propagation on: user
 * space parses incoming HTTP/1 traceparents itself otherwise, which keeps the default hot path
 * free of it. HTTP/2 and gRPC values come from decoded header fields (lib/stream_ctx.bpf.h). */
#ifndef GOINSTR_BPF_TRACEPARENT_H
#define GOINSTR_BPF_TRACEPARENT_H

#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

#include "bpf_intf/http_client.h"
#include "bpf_intf/http_server.h"
#include "bpf_intf/trace_context.h"

/* "traceparent:" is 12 bytes; the value "00-" 32 "-" 16 "-" 2 is 55. */
#define TP_NAME_LEN 12
#define TP_VALUE_LEN 55

static __always_inline __u8 ascii_lower(__u8 c) {
  return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

static __always_inline int hex_value(__u8 c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1; /* W3C: lower-case hex only */
}

static __always_inline char hex_digit(__u8 v) {
  return v < 10 ? '0' + v : 'a' + (v - 10);
}

struct tp_scan {
  const char* buf;
  __u32 len;
  __s32 found; /* index of the name's first byte, -1 while not found */
};

/* bpf_loop callback: does a "\ntraceparent:" start at i? Case-insensitive (HTTP field names).
 * The mask is a constant per buffer size: the verifier bounds each access with it. Compared as
 * two little-endian words because static const arrays would land in .rodata, where the BPF linker
 * misplaces file-local variables next to the config. */
#define TP_SCAN_STEP(fn, MASK)                                                                \
  static long fn(__u32 i, void* data) {                                                       \
    struct tp_scan* s = data;                                                                 \
    if (i + 1 + TP_NAME_LEN > s->len) return 1;                                               \
    if (s->buf[i & (MASK)] != '\n') return 0;                                                 \
    __u64 head = 0, tail = 0;                                                                 \
    for (int k = 0; k < 8; k++)                                                               \
      head |= (__u64)ascii_lower(s->buf[(i + 1 + k) & (MASK)]) << (8 * k);                    \
    for (int k = 0; k < 4; k++)                                                               \
      tail |= (__u64)ascii_lower(s->buf[(i + 9 + k) & (MASK)]) << (8 * k);                    \
    if (head != 0x7261706563617274ULL /* "tracepar" */ || tail != 0x3a746e65ULL /* "ent:" */) \
      return 0;                                                                               \
    s->found = (__s32)(i + 1);                                                                \
    return 1;                                                                                 \
  }

TP_SCAN_STEP(tp_scan_window, GOINSTR_HEADER_WINDOW - 1)
TP_SCAN_STEP(tp_scan_write, GOINSTR_WRITE_SCAN_MAX - 1)

/* Index of the traceparent field name in a request's header window, or -1. */
static __always_inline __s32 traceparent__locate_in_window(const char* buf, __u32 len) {
  struct tp_scan s = {.buf = buf, .len = len, .found = -1};
  bpf_loop(GOINSTR_HEADER_WINDOW, tp_scan_window, &s, 0);
  return s.found;
}

/* Index of the traceparent field name in an outgoing header block, or -1. */
static __always_inline __s32 traceparent__locate_in_write(const char* buf, __u32 len) {
  struct tp_scan s = {.buf = buf, .len = len, .found = -1};
  bpf_loop(GOINSTR_WRITE_SCAN_MAX, tp_scan_write, &s, 0);
  return s.found;
}

/* Parses a traceparent value ("00-<32 hex>-<16 hex>-<2 hex>", at least TP_VALUE_LEN bytes at v)
 * into ctx: trace id, parent, sampled. Returns 0 when it is valid. */
static __always_inline int traceparent__parse(const char* v, struct goinstr_trace_ctx* ctx) {
  if (v[0] != '0' || v[1] != '0' || v[2] != '-' || v[35] != '-' || v[52] != '-') return -1;
  __u8 bytes[25];
  for (int k = 0; k < 25; k++) {
    /* 16 trace id bytes at 3, 8 parent bytes at 36, 1 flags byte at 53 */
    int at = k < 16 ? 3 + 2 * k : (k < 24 ? 36 + 2 * (k - 16) : 53);
    int hi = hex_value(v[at]), lo = hex_value(v[at + 1]);
    if (hi < 0 || lo < 0) return -1;
    bytes[k] = (__u8)(hi << 4 | lo);
  }
  __u64 any_trace = 0, any_parent = 0;
  for (int k = 0; k < 16; k++) any_trace |= bytes[k];
  for (int k = 16; k < 24; k++) any_parent |= bytes[k];
  if (!any_trace || !any_parent) return -1; /* all-zero ids are invalid */
  __builtin_memcpy(ctx->trace_id, bytes, 16);
  __builtin_memcpy(ctx->parent_span_id, bytes + 16, 8);
  ctx->flags = (bytes[24] & 1) ? GOINSTR_CTX_SAMPLED : 0;
  return 0;
}

/* Parses the traceparent in the request's header window into ctx (trace id, parent, sampled).
 * Returns 0 when a valid one was found. */
static __always_inline int traceparent__find(const char* window, __u32 len,
                                             struct goinstr_trace_ctx* ctx) {
  const __u32 mask = GOINSTR_HEADER_WINDOW - 1;
  if (len > GOINSTR_HEADER_WINDOW) return -1;
  __s32 at = traceparent__locate_in_window(window, len);
  if (at < 0) return -1;
  __u32 p = (__u32)at + TP_NAME_LEN;
  for (int k = 0; k < 4 && p < len && (window[p & mask] == ' ' || window[p & mask] == '\t'); k++)
    p++;
  if (p + TP_VALUE_LEN > len) return -1;
  char value[TP_VALUE_LEN + 1];
  for (int k = 0; k < TP_VALUE_LEN; k++) value[k] = window[(p + k) & mask];
  return traceparent__parse(value, ctx);
}

/* Writes "Traceparent: 00-<trace>-<span>-<flags>\r\n" (GOINSTR_TRACEPARENT_LINE bytes). */
static __always_inline void traceparent__format(char* out, const struct goinstr_trace_ctx* ctx) {
  __u64 prefix_a = 0x7261706563617254ULL; /* "Tracepar" */
  __u64 prefix_b = 0x2d3030203a746e65ULL; /* "ent: 00-" */
  __builtin_memcpy(out, &prefix_a, 8);
  __builtin_memcpy(out + 8, &prefix_b, 8);
  const __u8* span = (const __u8*)&ctx->span_id;
  for (int k = 0; k < 16; k++) {
    out[16 + 2 * k] = hex_digit(ctx->trace_id[k] >> 4);
    out[17 + 2 * k] = hex_digit(ctx->trace_id[k] & 15);
  }
  out[48] = '-';
  for (int k = 0; k < 8; k++) {
    out[49 + 2 * k] = hex_digit(span[k] >> 4);
    out[50 + 2 * k] = hex_digit(span[k] & 15);
  }
  out[65] = '-';
  out[66] = '0';
  out[67] = (ctx->flags & GOINSTR_CTX_SAMPLED) ? '1' : '0';
  out[68] = '\r';
  out[69] = '\n';
}

#endif
