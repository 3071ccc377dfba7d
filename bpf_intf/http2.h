/* SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0) */
/* Shared ABI for HTTP/2: net/http's own HTTP/2 server (h2_bundle.go up to Go 1.26,
 * net/http/internal/http2 since 1.27) and golang.org/x/net/http2's, whose requests become the
 * same http_server_start/http_server_end records as HTTP/1.1 (bpf_intf/http_server.h), and the
 * HEADERS frame layout both they and gRPC's transport use, from which the probes take an incoming
 * traceparent. */
#ifndef GOINSTR_BPF_INTF_HTTP2_H
#define GOINSTR_BPF_INTF_HTTP2_H

#include "bpf_intf/common.h"

/* Header fields of one HEADERS frame searched for traceparent (a gRPC request has about 8). */
#define GOINSTR_HPACK_FIELDS_MAX 20
/* Largest hpack.HeaderField the scratch space holds ({Name, Value string; Sensitive bool}: 40). */
#define GOINSTR_HPACK_FIELD_SIZE_MAX 48

/* MetaHeadersFrame{*HeadersFrame; Fields []hpack.HeaderField; ...}, HeadersFrame{FrameHeader; ...},
 * FrameHeader.StreamID, hpack.HeaderField{Name, Value}. Offsets of one implementation. */
struct goinstr_headers_frame_offsets {
  __u64 meta_headers;    /* MetaHeadersFrame.HeadersFrame (*HeadersFrame) */
  __u64 meta_fields;     /* MetaHeadersFrame.Fields */
  __u64 frame_stream_id; /* HeadersFrame.FrameHeader + FrameHeader.StreamID (uint32) */
  __u64 field_name;      /* hpack.HeaderField.Name */
  __u64 field_value;     /* hpack.HeaderField.Value */
  __u32 field_size;      /* sizeof(hpack.HeaderField) */
  __u32 valid;           /* 0: offsets unknown, incoming traceparents are not read */
};

/* Which HTTP/2 server a probe serves: its bpf_cookie. */
enum goinstr_http2_impl {
  GOINSTR_HTTP2_STD = 0,  /* net/http's own */
  GOINSTR_HTTP2_XNET = 1, /* golang.org/x/net/http2 */
  GOINSTR_HTTP2_IMPLS = 2,
};

/* Offsets of one HTTP/2 server implementation. */
struct http2_server_impl_offsets {
  __u64 rw_rws;     /* responseWriter.rws (*responseWriterState) */
  __u64 rws_stream; /* responseWriterState.stream (*stream) */
  __u64 rws_conn;   /* responseWriterState.conn (*serverConn) */
  __u64 rws_status; /* responseWriterState.status (int) */
  __u64 rws_req;    /* responseWriterState.req (*http.Request), when req_is_ptr */
  __u64 stream_id;  /* stream.id (uint32) */
  __u32 rws_snapshot_size;
  __u32 req_is_ptr; /* 0 (Go 1.27's net/http): the route is read from the *http.Request that
                       ServeHTTP got, remembered per goroutine */
  __u32 on;
  __u32 _pad;
  struct goinstr_headers_frame_offsets headers;
};

struct http2_server_offsets {
  struct http2_server_impl_offsets impl[GOINSTR_HTTP2_IMPLS];
};

#endif
