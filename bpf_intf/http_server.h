/* SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0) */
/* Shared ABI between bpf/probes/net_http_server.bpf.c and src/agent: the net/http server event
 * family. Fixed-width fields, explicit padding, no pointers that user space would dereference
 * (response_ptr is only a pairing key). src/agent/http_server_abi.hpp pins the sizes. */
#ifndef GOINSTR_BPF_INTF_HTTP_SERVER_H
#define GOINSTR_BPF_INTF_HTTP_SERVER_H

#include "bpf_intf/trace_context.h"

#define GOINSTR_METHOD_MAX 16
#define GOINSTR_PATH_MAX 256
#define GOINSTR_HOST_MAX 128
#define GOINSTR_REMOTE_MAX 64
#define GOINSTR_PATTERN_MAX 128
/* Raw request bytes copied from the connection's bufio.Reader, ending where header parsing
 * stopped; user space finds `traceparent` in them (Go 1.24's swiss maps make Request.Header
 * unreadable from BPF). A power of two so the verifier can bound the copy with a mask. */
#define GOINSTR_HEADER_WINDOW 2048

/* Written by uprobe__net_http__server_start at serverHandler.ServeHTTP's entry. */
struct http_server_start {
  struct goinstr_event_header hdr;
  __u64 goid;         /* runtime.g.goid of the serving goroutine */
  __u64 response_ptr; /* *http.response: pairs start with end */
  /* span_id always chosen in BPF (children name it as parent); trace ids only with propagation
   * on, where an outgoing request may need them before user space has seen this record. */
  struct goinstr_trace_ctx ctx;
  __u16 method_len; /* bytes copied into method[]; the string may have been longer */
  __u16 path_len;
  __u16 host_len;
  __u16 remote_len;
  __u16 header_len; /* bytes valid in header_window[] */
  __u8 proto_major;
  __u8 proto_minor;
  __u32 _pad;
  char method[GOINSTR_METHOD_MAX];
  char path[GOINSTR_PATH_MAX];
  char host[GOINSTR_HOST_MAX];
  char remote[GOINSTR_REMOTE_MAX];
  char header_window[GOINSTR_HEADER_WINDOW];
};

/* Written by uprobe__net_http__server_end at (*response).finishRequest's entry. */
struct http_server_end {
  struct goinstr_event_header hdr;
  __u64 response_ptr;
  __s64 status;      /* response.status; 0 means the handler wrote nothing: Go sends 200 */
  __u16 pattern_len; /* ServeMux pattern that matched ("GET /hello"), 0 if none */
  __u8 _pad[6];
  char pattern[GOINSTR_PATTERN_MAX];
};

/* Struct field offsets for one executable, set in the skeleton's rodata before load. */
struct http_server_offsets {
  __u64 g_goid;
  __u64 response_conn;
  __u64 response_req;
  __u64 response_status;
  __u64 conn_bufr;
  __u64 bufio_reader_buf;
  __u64 bufio_reader_r;
  __u64 request_method;
  __u64 request_url;
  __u64 request_proto_major;
  __u64 request_proto_minor;
  __u64 request_host;
  __u64 request_remote_addr;
  __u64 request_pattern; /* Go 1.23+: Request.Pattern (string) */
  __u64 request_pat;     /* Go 1.22: Request.pat (*pattern) */
  __u64 pattern_str;     /* Go 1.22: pattern.str (string) */
  __u64 url_path;
  __u32 pattern_mode; /* enum goinstr_pattern_mode */
  /* Bytes copied at once from a Request and from a bufio.Reader: up to the end of the last field
   * the probes use (at most GOINSTR_SNAPSHOT_MAX = 256, checked by user space). */
  __u32 request_snapshot_size;
  __u32 bufio_reader_snapshot_size;
  __u32 response_snapshot_size;
  __u32 propagate; /* 1: parse traceparent and choose the trace id in BPF */
  __u32 _pad;
};

enum goinstr_pattern_mode {
  GOINSTR_PATTERN_NONE = 0,   /* Go < 1.22: no ServeMux patterns */
  GOINSTR_PATTERN_FIELD = 1,  /* Request.Pattern */
  GOINSTR_PATTERN_VIA_PAT = 2 /* Request.pat->str */
};

#endif
