/* SPDX-License-Identifier: GPL-2.0-only */
/* HTTP/2 requests of net/http's own server and of golang.org/x/net/http2's become the same
 * records as HTTP/1.1 ones (bpf_intf/http_server.h): keyed by the *responseWriter that the
 * handler gets and handlerDone ends, without a header window (HPACK-decoded headers are not in
 * any buffer), with the incoming traceparent taken from stream_ctx. See
 * probes/net_http2_server.bpf.c for the hooks. */
#ifndef GOINSTR_BPF_HTTP2_SERVER_H
#define GOINSTR_BPF_HTTP2_SERVER_H

#include "bpf_intf/http2.h"
#include "bpf_intf/http_server.h"
#include "lib/read.bpf.h"
#include "lib/request_ctx.bpf.h"
#include "lib/stream_ctx.bpf.h"

/* Goroutines whose request x/net's runHandler started: if it reaches serverHandler.ServeHTTP too
 * (x/net's server behind http2.ConfigureServer), the HTTP/1 probe must not start it again. */
struct {
  __uint(type, BPF_MAP_TYPE_LRU_HASH);
  __uint(max_entries, 16384);
  __type(key, struct go_key);
  __type(value, __u8);
} h2_xnet_goroutines SEC(".maps") __weak;

/* Go 1.27: the *http.Request of an HTTP/2 request being served, per goroutine, because the
 * responseWriterState holds net/http/internal/http2's own request type, not the one the ServeMux
 * writes its pattern into. */
struct {
  __uint(type, BPF_MAP_TYPE_LRU_HASH);
  __uint(max_entries, 16384);
  __type(key, struct go_key);
  __type(value, __u64);
} h2_requests SEC(".maps") __weak;

/* The HTTP/2 part of a start record: key, trace context, and the request kept for the route. */
static __always_inline void http2__start(struct http_server_start* e,
                                         const volatile struct http2_server_impl_offsets* o,
                                         __u64 rw, __u64 request, struct snapshot* snap,
                                         __u32 propagate) {
  e->response_ptr = rw;
  e->header_len = 0;
  __u64 conn = 0, stream = 0;
  __u32 id = 0;
  if (stream_ctx__any()) { /* three reads to find the stream's key, only when worth it */
    __u64 rws = read_u64(rw + o->rw_rws);
    if (rws && snapshot__read(snap, rws, o->rws_snapshot_size) == 0) {
      conn = snapshot__u64(snap, o->rws_conn);
      stream = snapshot__u64(snap, o->rws_stream);
    }
    if (stream && bpf_probe_read_user(&id, sizeof(id), (void*)(stream + o->stream_id)) != 0)
      counter__inc(GOINSTR_COUNTER_READ_FAILED);
  }
  stream_ctx__take(&e->ctx, conn, id, propagate);
  if (!o->req_is_ptr) {
    struct go_key key = go_key__make(e->goid);
    bpf_map_update_elem(&h2_requests, &key, &request, BPF_ANY);
  }
}

#endif
