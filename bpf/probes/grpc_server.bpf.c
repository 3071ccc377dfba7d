/* SPDX-License-Identifier: GPL-2.0-only */
/* gRPC server spans (google.golang.org/grpc over its own HTTP/2 transport) from three entry
 * probes, each on the prologue's stack-bound jump (emulated, ~0.5 to 0.9 us a hit):
 *   (*http2Server).operateHeaders(ctx, frame, handle) -> the stream's traceparent, if it has one
 *                                                       (reader goroutine, lib/stream_ctx.bpf.h)
 *   (*Server).handleStream(t, stream)                 -> start, on the goroutine that runs the
 *                                                       handler: method, stream id, addresses
 *   (*http2Server).WriteStatus (< v1.69), writeStatus -> end on the same goroutine: the final
 *                                                       status ("always occurs", grpc says)
 * (*serverHandlerTransport).WriteStatus ends RPCs served through Server.ServeHTTP: user space
 * drops those, whose start could not read a connection (net/http's HTTP/2 span covers them).
 * Start and end are paired in user space by (pid, stream pointer). */
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

#include "bpf_intf/grpc.h"
#include "lib/go_abi.bpf.h"
#include "lib/grpc_status.bpf.h"
#include "lib/maps.bpf.h"
#include "lib/net_addr.bpf.h"
#include "lib/read.bpf.h"
#include "lib/request_ctx.bpf.h"
#include "lib/stream_ctx.bpf.h"

char LICENSE[] SEC("license") = "GPL";

const volatile struct grpc_offsets cfg_grpc = {};

/* A connection's addresses, read on its first RPC: later RPCs on it read one pointer (peer.Addr)
 * and compare it, instead of four reads. */
struct conn_key {
  __u32 pid;
  __u32 _pad;
  __u64 transport;
};

struct conn_addrs {
  __u64 peer_addr; /* peer.Addr's data word when these were read */
  struct goinstr_tcp_addr remote;
  struct goinstr_tcp_addr local;
};

struct {
  __uint(type, BPF_MAP_TYPE_LRU_HASH);
  __uint(max_entries, 4096);
  __type(key, struct conn_key);
  __type(value, struct conn_addrs);
} grpc_server_conns SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct snapshot);
} grpc_server_scratch SEC(".maps");

/* http2Server.peer.{Addr, LocalAddr}: two adjacent interfaces (user space checks). */
static __always_inline void server_addrs(struct grpc_server_start* e, __u64 transport) {
  __builtin_memset(&e->remote, 0, sizeof(e->remote));
  __builtin_memset(&e->local, 0, sizeof(e->local));
  struct {
    __u64 addr_itab, addr, local_itab, local;
  } peer = {};
  if (!transport) return;
  if (bpf_probe_read_user(&peer, sizeof(peer), (void*)(transport + cfg_grpc.server_peer_addr))) {
    counter__inc(GOINSTR_COUNTER_READ_FAILED);
    return;
  }
  struct conn_key key = {.pid = e->hdr.pid, .transport = transport};
  struct conn_addrs* cached = bpf_map_lookup_elem(&grpc_server_conns, &key);
  if (cached && cached->peer_addr == peer.addr) {
    e->remote = cached->remote;
    e->local = cached->local;
    return;
  }
  struct conn_addrs fresh = {.peer_addr = peer.addr};
  tcp_addr__read(&fresh.remote, peer.addr, cfg_grpc.tcp_addr_ip, cfg_grpc.tcp_addr_port);
  tcp_addr__read(&fresh.local, peer.local, cfg_grpc.tcp_addr_ip, cfg_grpc.tcp_addr_port);
  e->remote = fresh.remote;
  e->local = fresh.local;
  bpf_map_update_elem(&grpc_server_conns, &key, &fresh, BPF_ANY);
}

/* (t *http2Server, ctx context.Context, frame *http2.MetaHeadersFrame, handle func) */
SEC("uprobe")
int uprobe__grpc__server_headers(struct pt_regs* ctx) {
  stream_ctx__from_headers(GO_ARG1(ctx), GO_ARG4(ctx), &cfg_grpc.headers);
  return 0;
}

/* (s *Server, t transport.ServerTransport, stream *transport.Stream|ServerStream) */
SEC("uprobe")
int uprobe__grpc__server_start(struct pt_regs* ctx) {
  __u64 transport = GO_ARG3(ctx); /* t's data word; its itab is in ARG2 */
  __u64 stream = GO_ARG4(ctx);
  __u32 zero = 0;
  struct snapshot* snap = bpf_map_lookup_elem(&grpc_server_scratch, &zero);
  if (!snap) return 0;
  struct grpc_server_start* e = events__reserve(sizeof(*e));
  if (!e) return 0;
  events__header(&e->hdr, GOINSTR_EVENT_GRPC_SERVER_START);
  e->goid = read_u64(GO_G(ctx) + cfg_grpc.g_goid);
  e->stream_ptr = stream;
  e->transport_ptr = transport;
  e->method_len = 0;
  e->stream_id = 0;
  __u64 common = cfg_grpc.server_embed.indirect ? read_u64(stream + cfg_grpc.server_embed.offset)
                                                : stream + cfg_grpc.server_embed.offset;
  if (common && snapshot__read(snap, common, cfg_grpc.stream_snapshot_size) == 0) {
    e->method_len = copy_go_string(e->method, GOINSTR_GRPC_METHOD_MAX,
                                   snapshot__string(snap, cfg_grpc.server_stream_method));
    e->stream_id = (__u32)snapshot__u64(snap, cfg_grpc.server_stream_id);
  }
  server_addrs(e, transport);
  stream_ctx__take(&e->ctx, transport, e->stream_id, cfg_grpc.propagate);
  request__enter(e->goid, &e->ctx);
  events__submit(e);
  return 0;
}

static __always_inline int server_end(struct pt_regs* ctx, __u8 via) {
  /* First, so that a dropped record cannot keep the RPC live for its children. */
  request__leave(read_u64(GO_G(ctx) + cfg_grpc.g_goid));
  __u32 zero = 0;
  struct snapshot* snap = bpf_map_lookup_elem(&grpc_server_scratch, &zero);
  if (!snap) return 0;
  struct grpc_server_end* e = events__reserve(sizeof(*e));
  if (!e) return 0;
  events__header(&e->hdr, GOINSTR_EVENT_GRPC_SERVER_END);
  e->stream_ptr = GO_ARG2(ctx);
  e->via = via;
  grpc_status__read(&cfg_grpc, GO_ARG3(ctx), snap, &e->code, e->message, &e->message_len);
  events__submit(e);
  return 0;
}

/* (t *http2Server, s *Stream|*ServerStream, st *status.Status) */
SEC("uprobe")
int uprobe__grpc__server_end(struct pt_regs* ctx) {
  return server_end(ctx, GOINSTR_GRPC_END_HTTP2);
}

/* (ht *serverHandlerTransport, s *Stream|*ServerStream, st *status.Status) */
SEC("uprobe")
int uprobe__grpc__server_end_net_http(struct pt_regs* ctx) {
  return server_end(ctx, GOINSTR_GRPC_END_NET_HTTP);
}
