/* SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0) */
/* Shared ABI between bpf/probes/grpc_server.bpf.c, bpf/probes/grpc_client.bpf.c and src/agent:
 * google.golang.org/grpc server and client spans. Every probe is an entry probe on an emulated
 * prologue jump; no RET sites (see docs/architecture.md, "gRPC"). */
#ifndef GOINSTR_BPF_INTF_GRPC_H
#define GOINSTR_BPF_INTF_GRPC_H

#include "bpf_intf/http2.h"
#include "bpf_intf/trace_context.h"

#define GOINSTR_GRPC_METHOD_MAX 128 /* "/package.Service/Method" */
#define GOINSTR_GRPC_HOST_MAX 128   /* the client's :authority */
#define GOINSTR_GRPC_MESSAGE_MAX 128

/* A net.Addr that is a *net.TCPAddr; ip_len 0 when unknown (another kind of address). */
struct goinstr_tcp_addr {
  __u8 ip[16];
  __u16 ip_len; /* 4 or 16 */
  __u16 port;
  __u32 _pad;
};

/* grpc.(*Server).handleStream(t ServerTransport, stream): the RPC starts on the goroutine that
 * runs its handler. */
struct grpc_server_start {
  struct goinstr_event_header hdr;
  __u64 goid;
  __u64 stream_ptr;    /* *transport.Stream / *transport.ServerStream: pairs start with end */
  __u64 transport_ptr; /* the ServerTransport's data word (*http2Server) */
  struct goinstr_trace_ctx ctx; /* CONTINUED: from the request's traceparent metadata */
  __u32 stream_id;              /* HTTP/2 stream id */
  __u16 method_len;
  __u16 _pad;
  struct goinstr_tcp_addr remote; /* the caller's end of the connection */
  struct goinstr_tcp_addr local;
  char method[GOINSTR_GRPC_METHOD_MAX];
};

enum goinstr_grpc_end_via {
  GOINSTR_GRPC_END_HTTP2 = 0,    /* (*http2Server).WriteStatus / writeStatus */
  GOINSTR_GRPC_END_NET_HTTP = 1, /* (*serverHandlerTransport).WriteStatus: Server.ServeHTTP */
};

/* The transport writes the RPC's final status: the server span ends. */
struct grpc_server_end {
  struct goinstr_event_header hdr;
  __u64 stream_ptr;
  __s32 code; /* codes.Code; -1: the status could not be read */
  __u16 message_len;
  __u8 via; /* enum goinstr_grpc_end_via */
  __u8 _pad;
  char message[GOINSTR_GRPC_MESSAGE_MAX];
};

/* grpc.(*clientStream).newAttemptLocked: a call (unary or stream) starts, or is retried. */
struct grpc_client_start {
  struct goinstr_event_header hdr;
  struct goinstr_child_ctx ctx;
  __u64 client_stream; /* *grpc.clientStream: pairs start, connection and end */
  __u16 method_len;
  __u16 host_len;
  __u8 server_streams; /* StreamDesc flags: both 0 for a unary call */
  __u8 client_streams;
  __u8 _pad[2];
  char method[GOINSTR_GRPC_METHOD_MAX];
  char host[GOINSTR_GRPC_HOST_MAX];
};

/* grpc.(*csAttempt).newStream: the attempt picked a connection; its local address is the remote
 * address a traced server sees, which links the two spans across processes. */
struct grpc_client_conn {
  struct goinstr_event_header hdr;
  __u64 client_stream;
  struct goinstr_tcp_addr local;
  struct goinstr_tcp_addr remote;
};

enum goinstr_grpc_status_source {
  GOINSTR_GRPC_STATUS_NONE = 0,   /* no stream and no known error type: see err_itab */
  GOINSTR_GRPC_STATUS_STREAM = 1, /* the status the transport stream received or set */
  GOINSTR_GRPC_STATUS_ERROR = 2,  /* the *status.Error value finish() was given */
};

/* grpc.(*clientStream).finish(err): the call is over (the first call counts; later ones are
 * no-ops in grpc and are ignored by user space). */
struct grpc_client_end {
  struct goinstr_event_header hdr;
  __u64 client_stream;
  __u64 goid;
  __u64 err_itab; /* finish's error (io.EOF means success) */
  __s32 code;
  __u32 stream_id; /* 0: no stream was created */
  __u16 message_len;
  __u8 status_source; /* enum goinstr_grpc_status_source */
  __u8 _pad[5];
  char message[GOINSTR_GRPC_MESSAGE_MAX];
};

/* Struct field offsets for one executable (DWARF, else the table of its grpc version). Since
 * v1.69 the probes get a ServerStream or ClientStream that embeds the common transport.Stream:
 * as *Stream up to v1.76 (indirect: one more read), by value since v1.77; before v1.69 they get
 * the Stream itself (embed 0, direct). */
struct goinstr_grpc_stream_embed {
  __u64 offset;   /* ServerStream.Stream / ClientStream.Stream */
  __u32 indirect; /* 1: a *Stream is stored there */
  __u32 _pad;
};

struct grpc_offsets {
  __u64 g_goid;
  /* server */
  struct goinstr_grpc_stream_embed server_embed;
  __u64 server_stream_method; /* Stream.method */
  __u64 server_stream_id;     /* Stream.id */
  __u64 server_peer_addr;     /* http2Server.peer.Addr (net.Addr) */
  __u64 server_peer_local;    /* http2Server.peer.LocalAddr */
  __u64 tcp_addr_ip;
  __u64 tcp_addr_port;
  __u64 status_proto; /* internal/status.Status.s (*spb.Status) */
  __u64 proto_code;   /* rpc/status.Status.Code (int32) */
  __u64 proto_message;
  /* client */
  __u64 cs_callhdr;     /* clientStream.callHdr (*transport.CallHdr) */
  __u64 cs_desc;        /* clientStream.desc (*StreamDesc) */
  __u64 cs_attempt;     /* clientStream.attempt (*csAttempt) */
  __u64 callhdr_method; /* CallHdr.Method */
  __u64 callhdr_host;   /* CallHdr.Host: the :authority */
  __u64 desc_server_streams;
  __u64 desc_client_streams;
  __u64 attempt_cs;        /* csAttempt.cs */
  __u64 attempt_transport; /* csAttempt.t / .transport (ClientTransport) */
  __u64 attempt_stream;    /* csAttempt.s / .transportStream */
  struct goinstr_grpc_stream_embed client_embed;
  __u64 client_stream_id;     /* Stream.id */
  __u64 client_stream_status; /* ClientStream.status (v1.69+) or Stream.status, from the outer
                                 object (*status.Status) */
  __u64 client_local_addr;    /* http2Client.localAddr (net.Addr) */
  __u64 client_remote_addr;
  __u64 status_error_itab;    /* itab of *internal/status.Error as error; 0: unknown (stripped) */
  __u64 error_status;         /* internal/status.Error.s (*Status) */
  __u32 stream_snapshot_size; /* bytes of the server's Stream read at once */
  __u32 cs_snapshot_size;
  __u32 attempt_snapshot_size;
  __u32 propagate; /* 1: choose trace ids in BPF (trace_headers on) */
  struct goinstr_headers_frame_offsets headers;
};

#endif
