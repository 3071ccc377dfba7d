/* SPDX-License-Identifier: GPL-2.0-only */
/* gRPC client spans (unary and streaming calls alike: both run a grpc.clientStream) from three
 * entry probes on emulated prologue jumps:
 *   (*clientStream).newAttemptLocked  -> start, on the calling goroutine: method, authority,
 *                                        stream kind, parent (a retry calls it again; user space
 *                                        keeps the first)
 *   (*csAttempt).newStream            -> the connection picked for the attempt: its local
 *                                        address is what a traced server sees as the remote one
 *   (*clientStream).finish(err)       -> end, on whichever goroutine ends the call (the caller,
 *                                        or grpc's context watcher for a stream): the status the
 *                                        transport stream holds, else the *status.Error finish got
 * The three are paired in user space by (pid, *clientStream). No traceparent is written into the
 * outgoing metadata (that would be a write into HPACK-encoded frames; see docs/architecture.md). */
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

#include "bpf_intf/grpc.h"
#include "lib/go_abi.bpf.h"
#include "lib/grpc_status.bpf.h"
#include "lib/maps.bpf.h"
#include "lib/net_addr.bpf.h"
#include "lib/read.bpf.h"
#include "lib/request_ctx.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* The gRPC offsets, defined in grpc_server.bpf.c (one object after linking). */
extern const volatile struct grpc_offsets cfg_grpc;

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct snapshot);
} grpc_client_scratch SEC(".maps");

#define CFG cfg_grpc

/* (cs *clientStream, isTransparent bool) */
SEC("uprobe")
int uprobe__grpc__client_start(struct pt_regs* ctx) {
  __u64 cs = GO_ARG1(ctx);
  __u32 zero = 0;
  struct snapshot* snap = bpf_map_lookup_elem(&grpc_client_scratch, &zero);
  if (!snap) return 0;
  struct grpc_client_start* e = events__reserve(sizeof(*e));
  if (!e) return 0;
  events__header(&e->hdr, GOINSTR_EVENT_GRPC_CLIENT_START);
  child_ctx__fill(&e->ctx, read_u64(GO_G(ctx) + CFG.g_goid), 0);
  e->client_stream = cs;
  e->method_len = e->host_len = 0;
  e->server_streams = e->client_streams = 0;
  __u64 callhdr = 0, desc = 0;
  if (snapshot__read(snap, cs, CFG.cs_snapshot_size) == 0) {
    callhdr = snapshot__u64(snap, CFG.cs_callhdr);
    desc = snapshot__u64(snap, CFG.cs_desc);
  }
  if (callhdr) {
    e->method_len =
        read_go_string(e->method, GOINSTR_GRPC_METHOD_MAX, callhdr + CFG.callhdr_method);
    e->host_len = read_go_string(e->host, GOINSTR_GRPC_HOST_MAX, callhdr + CFG.callhdr_host);
  }
  if (desc) {
    __u8 flags[2] = {}; /* ServerStreams, ClientStreams: adjacent bools (user space checks) */
    if (bpf_probe_read_user(flags, sizeof(flags), (void*)(desc + CFG.desc_server_streams)) == 0) {
      e->server_streams = flags[0];
      e->client_streams = flags[1];
    } else {
      counter__inc(GOINSTR_COUNTER_READ_FAILED);
    }
  }
  events__submit(e);
  return 0;
}

/* (a *csAttempt): a.cs, and a.t|a.transport's data word, an *http2Client. */
SEC("uprobe")
int uprobe__grpc__client_conn(struct pt_regs* ctx) {
  __u64 attempt = GO_ARG1(ctx);
  __u32 zero = 0;
  struct snapshot* snap = bpf_map_lookup_elem(&grpc_client_scratch, &zero);
  if (!snap || snapshot__read(snap, attempt, CFG.attempt_snapshot_size) != 0) return 0;
  __u64 cs = snapshot__u64(snap, CFG.attempt_cs);
  __u64 transport = snapshot__u64(snap, CFG.attempt_transport + 8);
  if (!cs || !transport) return 0;
  struct {
    __u64 remote_itab, remote, local_itab, local;
  } addrs = {}; /* http2Client.remoteAddr, localAddr: adjacent (user space checks) */
  if (bpf_probe_read_user(&addrs, sizeof(addrs), (void*)(transport + CFG.client_remote_addr)) !=
      0) {
    counter__inc(GOINSTR_COUNTER_READ_FAILED);
    return 0;
  }
  struct grpc_client_conn* e = events__reserve(sizeof(*e));
  if (!e) return 0;
  events__header(&e->hdr, GOINSTR_EVENT_GRPC_CLIENT_CONN);
  e->client_stream = cs;
  tcp_addr__read(&e->local, addrs.local, CFG.tcp_addr_ip, CFG.tcp_addr_port);
  tcp_addr__read(&e->remote, addrs.remote, CFG.tcp_addr_ip, CFG.tcp_addr_port);
  events__submit(e);
  return 0;
}

/* (cs *clientStream, err error) */
SEC("uprobe")
int uprobe__grpc__client_end(struct pt_regs* ctx) {
  __u64 cs = GO_ARG1(ctx);
  __u64 err_itab = GO_ARG2(ctx), err = GO_ARG3(ctx);
  __u32 zero = 0;
  struct snapshot* snap = bpf_map_lookup_elem(&grpc_client_scratch, &zero);
  if (!snap) return 0;
  struct grpc_client_end* e = events__reserve(sizeof(*e));
  if (!e) return 0;
  events__header(&e->hdr, GOINSTR_EVENT_GRPC_CLIENT_END);
  e->client_stream = cs;
  e->goid = read_u64(GO_G(ctx) + CFG.g_goid);
  e->err_itab = err_itab;
  e->code = 0;
  e->stream_id = 0;
  e->message_len = 0;
  e->status_source = GOINSTR_GRPC_STATUS_NONE;
  __u64 attempt = read_u64(cs + CFG.cs_attempt);
  __u64 stream = attempt ? read_u64(attempt + CFG.attempt_stream) : 0;
  __u64 st = 0;
  if (stream) {
    __u64 common = CFG.client_embed.indirect ? read_u64(stream + CFG.client_embed.offset)
                                             : stream + CFG.client_embed.offset;
    __u32 id = 0;
    if (common && bpf_probe_read_user(&id, sizeof(id), (void*)(common + CFG.client_stream_id)) == 0)
      e->stream_id = id;
    st = read_u64(stream + CFG.client_stream_status);
  }
  if (st) {
    e->status_source = GOINSTR_GRPC_STATUS_STREAM;
    grpc_status__read(&CFG, st, snap, &e->code, e->message, &e->message_len);
  } else if (err_itab && err_itab == CFG.status_error_itab && err) {
    e->status_source = GOINSTR_GRPC_STATUS_ERROR;
    grpc_status__read(&CFG, read_u64(err + CFG.error_status), snap, &e->code, e->message,
                      &e->message_len);
  }
  events__submit(e);
  return 0;
}
