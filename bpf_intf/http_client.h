/* SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0) */
/* Shared ABI between bpf/probes/net_http_client.bpf.c and src/agent: outgoing net/http requests
 * and traceparent injection. */
#ifndef GOINSTR_BPF_INTF_HTTP_CLIENT_H
#define GOINSTR_BPF_INTF_HTTP_CLIENT_H

#include "bpf_intf/trace_context.h"

#define GOINSTR_CLIENT_METHOD_MAX 16
#define GOINSTR_CLIENT_SCHEME_MAX 16
#define GOINSTR_CLIENT_HOST_MAX 128
#define GOINSTR_CLIENT_PATH_MAX 256
#define GOINSTR_CLIENT_QUERY_MAX 256
/* "Traceparent: 00-<32 hex>-<16 hex>-01\r\n" */
#define GOINSTR_TRACEPARENT_LINE 70
/* Bytes of an outgoing header block searched for an existing traceparent. */
#define GOINSTR_WRITE_SCAN_MAX 4096

struct http_client_start {
  struct goinstr_event_header hdr;
  struct goinstr_child_ctx ctx;
  __u16 method_len, scheme_len, host_len, path_len, query_len;
  __u8 _pad[6];
  char method[GOINSTR_CLIENT_METHOD_MAX];
  char scheme[GOINSTR_CLIENT_SCHEME_MAX];
  char host[GOINSTR_CLIENT_HOST_MAX];
  char path[GOINSTR_CLIENT_PATH_MAX];
  char query[GOINSTR_CLIENT_QUERY_MAX];
};

struct http_client_end {
  struct goinstr_event_header hdr;
  __u64 goid;
  __s64 status;   /* Response.StatusCode; 0 when there is no response */
  __u64 err_itab; /* 0: no error */
  __u16 err_len;
  __u8 proto_major; /* Response.ProtoMajor/Minor: 2.0 over HTTP/2; 0 when there is no response */
  __u8 proto_minor;
  __u8 _pad[4];
  char err_msg[128];
};

/* The connection a client request goes out on, from (*persistConn).roundTrip on the same goroutine:
 * its local address lets user space match the server span of the program at the other end when
 * one goinstr traces both (cross-service traces without writing into any process). */
struct http_client_conn {
  struct goinstr_event_header hdr;
  __u64 goid;
  __s64 local_port;
  __u16 ip_len;
  __u8 _pad[6];
  __u8 ip[16];
};

/* An HTTP/2 client connection (net/http's http2ClientConn, Go 1.27's internal ClientConn). */
struct http2_client_conn_offsets {
  __u64 tconn;     /* ClientConn.tconn (net.Conn) */
  __u64 tls_state; /* ClientConn.tlsState: non-nil when tconn is a *tls.Conn */
  __u32 valid;
  __u32 _pad;
};

struct http_client_offsets {
  __u64 request_method;
  __u64 request_url;
  __u64 url_scheme;
  __u64 url_host;
  __u64 url_path;
  __u64 url_raw_query;
  __u64 response_status_code;
  __u64 response_proto_major;
  __u64 response_proto_minor;
  __u64 bufio_writer_buf;  /* bufio.Writer.buf ([]byte) */
  __u64 bufio_writer_n;    /* bufio.Writer.n (int) */
  __u64 persist_conn_conn; /* persistConn.conn (net.Conn) */
  __u64 persist_conn_tls;  /* persistConn.tlsState: non-nil when conn is a *tls.Conn */
  __u64 tls_conn_conn;     /* crypto/tls.Conn.conn (net.Conn): the TCP connection under TLS */
  __u64 net_conn_fd;       /* net.conn.fd (*netFD) */
  __u64 net_fd_laddr;      /* net.netFD.laddr (net.Addr) */
  __u64 tcp_addr_ip;       /* net.TCPAddr.IP ([]byte) */
  __u64 tcp_addr_port;     /* net.TCPAddr.Port */
  __u32 url_snapshot_size;
  __u32 response_snapshot_size; /* Response read at once: up to its last field used */
  __u32 inject;                 /* 1: write traceparent into outgoing requests */
  __u32 conn_info;              /* 1: the connection offsets are known */
  __u32 tls_info; /* 1: connections under TLS can be followed to their TCP connection */
  __u32 _pad;
  struct http2_client_conn_offsets h2[2]; /* by bpf_cookie: 0 h2_bundle.go, 1 Go 1.27+ */
};

#endif
