/* SPDX-License-Identifier: GPL-2.0-only */
/* net/http server spans from two entry probes, both placed on the prologue's stack-bound jump
 * (emulated by the kernel, ~0.5 us per hit), never on RET sites (single-stepped, ~9.5 us each) and
 * never with uretprobes (Go moves goroutine stacks):
 *   serverHandler.ServeHTTP(rw ResponseWriter, req *Request)   -> start
 *   (*response).finishRequest()                                -> end, same goroutine
 * Start and end go to user space as two records, paired there by (pid, *response). The serving
 * goroutine is also entered in go_requests (lib/request_ctx.bpf.h) until the end probe, so that
 * database and client probes on it, or on goroutines it starts, can name this span as parent.
 * net/http's own HTTP/2 server calls serverHandler.ServeHTTP too, with its *responseWriter, and
 * never finishRequest: such a request (ProtoMajor 2) starts here as an HTTP/2 one and ends at
 * handlerDone (net_http2_server.bpf.c). */
#include <linux/bpf.h> /* first: bpf_helpers.h needs its types */

#include <bpf/bpf_helpers.h>

#include "bpf_intf/http2.h"
#include "bpf_intf/http_server.h"
#include "lib/go_abi.bpf.h"
#include "lib/http2_server.bpf.h"
#include "lib/http_request.bpf.h"
#include "lib/maps.bpf.h"
#include "lib/read.bpf.h"
#include "lib/request_ctx.bpf.h"
#include "lib/traceparent.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* Offsets of the executable this object instance serves; constant once loaded, so the verifier
 * folds them and dead branches (pattern_mode) disappear. */
const volatile struct http_server_offsets cfg_off = {};
/* HTTP/2 servers' offsets; defined in net_http2_server.bpf.c (one object after linking). */
extern const volatile struct http2_server_offsets cfg_h2;

/* Copies the raw request bytes that end where net/http stopped reading headers: the tail of
 * conn.bufr.buf[:r]. */
static __always_inline __u16 read_header_window(char* dst, __u64 response,
                                                struct snapshot* scratch) {
  __u64 conn = read_u64(response + cfg_off.response_conn);
  if (!conn) return 0;
  __u64 bufr = read_u64(conn + cfg_off.conn_bufr);
  if (!bufr || snapshot__read(scratch, bufr, cfg_off.bufio_reader_snapshot_size) != 0) return 0;
  __u64 buf = snapshot__u64(scratch, cfg_off.bufio_reader_buf);
  __s64 r = (__s64)snapshot__u64(scratch, cfg_off.bufio_reader_r);
  if (!buf || r <= 0) return 0;
  __u64 start = r > GOINSTR_HEADER_WINDOW ? (__u64)r - GOINSTR_HEADER_WINDOW : 0;
  __u32 n = (__u32)((__u64)r - start);
  n &= (GOINSTR_HEADER_WINDOW - 1) | GOINSTR_HEADER_WINDOW;
  if (n > GOINSTR_HEADER_WINDOW) return 0;
  if (bpf_probe_read_user(dst, n, (void*)(buf + start)) != 0) {
    counter__inc(GOINSTR_COUNTER_READ_FAILED);
    return 0;
  }
  return (__u16)n;
}

/* Scratch space for struct snapshots: too big for the 512-byte BPF stack next to the rest. */
struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct snapshot);
} server_scratch SEC(".maps");

/* The server span's ids. With propagation on, the trace id is decided here (the incoming
 * traceparent's, else a new one) because a client probe may inject it before user space has seen
 * this record; otherwise user space decides it from the same header window. */
static __always_inline void server_ctx__init(struct http_server_start* e) {
  __builtin_memset(&e->ctx, 0, sizeof(e->ctx));
  e->ctx.span_id = random_u64();
  if (!cfg_off.propagate) return;
  if (traceparent__find(e->header_window, e->header_len, &e->ctx) == 0) {
    e->ctx.flags = GOINSTR_CTX_HAS_TRACE_ID | GOINSTR_CTX_CONTINUED | e->ctx.flags;
    return;
  }
  __u64 a = random_u64(), b = random_u64();
  __builtin_memcpy(e->ctx.trace_id, &a, 8);
  __builtin_memcpy(e->ctx.trace_id + 8, &b, 8);
  e->ctx.flags = GOINSTR_CTX_HAS_TRACE_ID | GOINSTR_CTX_SAMPLED;
}

/* "PRI * HTTP/2.0": the connection preface an h2c handler (x/net's h2c.NewHandler) reads as an
 * HTTP/1 request before it hijacks the connection. Not a request: no span. */
static __always_inline int is_h2c_preface(const struct http_server_start* e) {
  return e->proto_major == 2 && e->method_len == 3 && e->method[0] == 'P' && e->method[1] == 'R' &&
         e->method[2] == 'I';
}

SEC("uprobe")
int uprobe__net_http__server_start(struct pt_regs* ctx) {
  __u64 response = GO_ARG3(ctx); /* rw's data word; the itab is in ARG2 */
  __u64 request = GO_ARG4(ctx);
  __u32 zero = 0;
  struct snapshot* req = bpf_map_lookup_elem(&server_scratch, &zero);
  if (!req) return 0;
  struct http_server_start* e = events__reserve(sizeof(*e));
  if (!e) return 0;
  events__header(&e->hdr, GOINSTR_EVENT_HTTP_SERVER_START);
  e->goid = read_u64(GO_G(ctx) + cfg_off.g_goid);
  e->response_ptr = response;
  http_request__copy(e, request, req, &cfg_off);
  if (is_h2c_preface(e)) {
    bpf_ringbuf_discard(e, BPF_RB_NO_WAKEUP);
    return 0;
  }
  if (e->proto_major == 2) {
    struct go_key key = go_key__make(e->goid);
    /* x/net's server already started it in its runHandler; without HTTP/2 offsets, none. */
    if ((cfg_h2.impl[GOINSTR_HTTP2_XNET].on && bpf_map_lookup_elem(&h2_xnet_goroutines, &key)) ||
        !cfg_h2.impl[GOINSTR_HTTP2_STD].on) {
      bpf_ringbuf_discard(e, BPF_RB_NO_WAKEUP);
      return 0;
    }
    http2__start(e, &cfg_h2.impl[GOINSTR_HTTP2_STD], response, request, req, cfg_off.propagate);
  } else {
    e->header_len = read_header_window(e->header_window, response, req);
    server_ctx__init(e);
  }
  request__enter(e->goid, &e->ctx);
  events__submit(e);
  return 0;
}

SEC("uprobe")
int uprobe__net_http__server_end(struct pt_regs* ctx) {
  __u64 response = GO_ARG1(ctx); /* the method's receiver */
  /* First, so that a dropped record cannot keep the request live for its children. */
  request__leave(read_u64(GO_G(ctx) + cfg_off.g_goid));
  __u32 zero = 0;
  struct snapshot* resp = bpf_map_lookup_elem(&server_scratch, &zero);
  if (!resp) return 0;
  struct http_server_end* e = events__reserve(sizeof(*e));
  if (!e) return 0;
  events__header(&e->hdr, GOINSTR_EVENT_HTTP_SERVER_END);
  e->response_ptr = response;
  e->status = 0;
  e->pattern_len = 0;
  if (snapshot__read(resp, response, cfg_off.response_snapshot_size) == 0) {
    e->status = (__s64)snapshot__u64(resp, cfg_off.response_status);
    http_request__pattern(e, snapshot__u64(resp, cfg_off.response_req), &cfg_off);
  }
  events__submit(e);
  return 0;
}
