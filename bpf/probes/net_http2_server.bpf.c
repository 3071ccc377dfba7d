/* SPDX-License-Identifier: GPL-2.0-only */
/* HTTP/2 server requests (net/http's own server, and golang.org/x/net/http2's, for h2c), as
 * net/http server spans: the same records as HTTP/1.1, paired by the *responseWriter. Entry
 * probes on emulated prologue jumps; each probe's bpf_cookie says which implementation it serves
 * (enum goinstr_http2_impl), and so which offsets apply:
 *   (*serverConn).processHeaders(f *MetaHeadersFrame)  -> incoming traceparent (serve goroutine)
 *   serverHandler.ServeHTTP (net_http_server.bpf.c)    -> start, net/http's own server
 *   x/net (*serverConn).runHandler(rw, req, handler)   -> start, x/net's server
 *   (*responseWriter).handlerDone()                    -> end, on the handler's goroutine after
 *                                                         the handler returned: status, route
 * A handler that panics never reaches handlerDone: its request is given up in user space, as a
 * panicking HTTP/1 handler's is. */
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

#include "bpf_intf/http2.h"
#include "bpf_intf/http_server.h"
#include "lib/go_abi.bpf.h"
#include "lib/http2_server.bpf.h"
#include "lib/http_request.bpf.h"
#include "lib/maps.bpf.h"
#include "lib/read.bpf.h"
#include "lib/request_ctx.bpf.h"
#include "lib/stream_ctx.bpf.h"

char LICENSE[] SEC("license") = "GPL";

const volatile struct http2_server_offsets cfg_h2 = {};
/* The HTTP/1 server's offsets (Request, ServeMux pattern, g), defined in net_http_server.bpf.c. */
extern const volatile struct http_server_offsets cfg_off;

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct snapshot);
} http2_scratch SEC(".maps");

static __always_inline __u32 impl_of(struct pt_regs* ctx) {
  return bpf_get_attach_cookie(ctx) ? GOINSTR_HTTP2_XNET : GOINSTR_HTTP2_STD;
}

/* (sc *serverConn, f *MetaHeadersFrame) */
SEC("uprobe")
int uprobe__net_http2__headers(struct pt_regs* ctx) {
  stream_ctx__from_headers(GO_ARG1(ctx), GO_ARG2(ctx), &cfg_h2.impl[impl_of(ctx)].headers);
  return 0;
}

/* x/net: (sc *serverConn, rw *responseWriter, req *http.Request, handler func(...)) */
SEC("uprobe")
int uprobe__net_http2__xnet_start(struct pt_regs* ctx) {
  __u64 rw = GO_ARG2(ctx), request = GO_ARG3(ctx);
  __u32 zero = 0;
  struct snapshot* snap = bpf_map_lookup_elem(&http2_scratch, &zero);
  if (!snap) return 0;
  struct http_server_start* e = events__reserve(sizeof(*e));
  if (!e) return 0;
  events__header(&e->hdr, GOINSTR_EVENT_HTTP_SERVER_START);
  e->goid = read_u64(GO_G(ctx) + cfg_off.g_goid);
  http_request__copy(e, request, snap, &cfg_off);
  http2__start(e, &cfg_h2.impl[GOINSTR_HTTP2_XNET], rw, request, snap, cfg_off.propagate);
  struct go_key key = go_key__make(e->goid);
  __u8 one = 1;
  bpf_map_update_elem(&h2_xnet_goroutines, &key, &one, BPF_ANY);
  request__enter(e->goid, &e->ctx);
  events__submit(e);
  return 0;
}

/* (w *responseWriter) */
SEC("uprobe")
int uprobe__net_http2__end(struct pt_regs* ctx) {
  __u32 impl = impl_of(ctx);
  const volatile struct http2_server_impl_offsets* o = &cfg_h2.impl[impl];
  __u64 w = GO_ARG1(ctx);
  struct go_key key = go_key__make(read_u64(GO_G(ctx) + cfg_off.g_goid));
  /* First, so that a dropped record cannot keep the request live for its children. */
  request__leave(key.goid);
  if (impl == GOINSTR_HTTP2_XNET) bpf_map_delete_elem(&h2_xnet_goroutines, &key);
  __u64 request = 0;
  if (!o->req_is_ptr) {
    __u64* saved = bpf_map_lookup_elem(&h2_requests, &key);
    if (saved) request = *saved;
    bpf_map_delete_elem(&h2_requests, &key);
  }
  __u32 zero = 0;
  struct snapshot* snap = bpf_map_lookup_elem(&http2_scratch, &zero);
  if (!snap) return 0;
  struct http_server_end* e = events__reserve(sizeof(*e));
  if (!e) return 0;
  events__header(&e->hdr, GOINSTR_EVENT_HTTP_SERVER_END);
  e->response_ptr = w;
  e->status = 0;
  __u64 rws = read_u64(w + o->rw_rws);
  if (rws && snapshot__read(snap, rws, o->rws_snapshot_size) == 0) {
    e->status = (__s64)snapshot__u64(snap, o->rws_status);
    if (o->req_is_ptr) request = snapshot__u64(snap, o->rws_req);
  }
  http_request__pattern(e, request, &cfg_off);
  events__submit(e);
  return 0;
}
