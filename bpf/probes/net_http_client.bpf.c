/* SPDX-License-Identifier: GPL-2.0-only */
/* Outgoing net/http requests, and traceparent injection.
 *   (*Transport).roundTrip entry           -> client span start (and, with propagation, the ids
 *                                             the request will carry, keyed by its *url.URL)
 *   (*Transport).roundTrip RET sites       -> end: *Response and error. RET sites are single-
 *                                             stepped (~10 us); an outgoing request costs
 *                                             milliseconds, so this is the one place we accept it.
 *   (*persistConn).roundTrip entry         -> the connection's local address (same goroutine)
 *   (*Request).write entry                 -> the persistConn's writer goroutine starts writing
 *                                             a request we know: remember where its header starts
 *   first branch after its call to
 *   Header.writeSubset                     -> every header the program set is in the buffer: if
 *                                             none is a traceparent, append ours (70 bytes) with
 *                                             bpf_probe_write_user and advance bufio.Writer.n.
 * Injection writes into the traced process's memory. It is off unless trace_headers is on, the
 * writer must be the *bufio.Writer user space identified by its itab, and the write happens only
 * when the buffer has room; every outcome is counted. */
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

#include "bpf_intf/http_client.h"
#include "lib/go_abi.bpf.h"
#include "lib/go_error.bpf.h"
#include "lib/maps.bpf.h"
#include "lib/read.bpf.h"
#include "lib/request_ctx.bpf.h"
#include "lib/traceparent.bpf.h"

char LICENSE[] SEC("license") = "GPL";

const volatile struct http_client_offsets cfg_client = {};
const volatile __u64 cfg_client_g_goid = 0;
const volatile __u64 cfg_bufio_writer_itab = 0; /* itab of *bufio.Writer as io.Writer */

struct url_key {
  __u32 pid;
  __u32 _pad;
  __u64 url;
};

/* Outgoing requests in flight whose ids must be injected, by their *url.URL (the Request the
 * writer goroutine sees can be a copy of the one roundTrip got, but it shares the URL). */
struct {
  __uint(type, BPF_MAP_TYPE_LRU_HASH);
  __uint(max_entries, 16384);
  __type(key, struct url_key);
  __type(value, struct goinstr_trace_ctx);
} client_by_url SEC(".maps");

/* goroutine in roundTrip -> its request's URL, to forget client_by_url at the end. */
struct {
  __uint(type, BPF_MAP_TYPE_LRU_HASH);
  __uint(max_entries, 16384);
  __type(key, struct go_key);
  __type(value, __u64);
} client_url_by_goroutine SEC(".maps");

struct pending_write {
  struct goinstr_trace_ctx ctx;
  __u64 writer; /* *bufio.Writer */
  __s64 n0;     /* writer.n when Request.write began */
};

struct {
  __uint(type, BPF_MAP_TYPE_LRU_HASH);
  __uint(max_entries, 16384);
  __type(key, struct go_key);
  __type(value, struct pending_write);
} pending_writes SEC(".maps");

struct write_scratch {
  char header[GOINSTR_WRITE_SCAN_MAX];
  char line[GOINSTR_TRACEPARENT_LINE + 2];
};

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct write_scratch);
} client_write_scratch SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct snapshot);
} client_scratch SEC(".maps");

static __always_inline __u64 client_goid(struct pt_regs* ctx) {
  return read_u64(GO_G(ctx) + cfg_client_g_goid);
}

static __always_inline void copy_url(struct http_client_start* e, __u64 url,
                                     struct snapshot* snap) {
  e->scheme_len = e->host_len = e->path_len = e->query_len = 0;
  if (!url || snapshot__read(snap, url, cfg_client.url_snapshot_size) != 0) return;
  e->scheme_len = copy_go_string(e->scheme, GOINSTR_CLIENT_SCHEME_MAX,
                                 snapshot__string(snap, cfg_client.url_scheme));
  e->host_len =
      copy_go_string(e->host, GOINSTR_CLIENT_HOST_MAX, snapshot__string(snap, cfg_client.url_host));
  e->path_len =
      copy_go_string(e->path, GOINSTR_CLIENT_PATH_MAX, snapshot__string(snap, cfg_client.url_path));
  e->query_len = copy_go_string(e->query, GOINSTR_CLIENT_QUERY_MAX,
                                snapshot__string(snap, cfg_client.url_raw_query));
}

SEC("uprobe")
int uprobe__http_client__start(struct pt_regs* ctx) {
  __u64 request = GO_ARG2(ctx); /* (t *Transport, req *Request) */
  __u64 goid = client_goid(ctx);
  __u32 zero = 0;
  struct snapshot* snap = bpf_map_lookup_elem(&client_scratch, &zero);
  if (!snap) return 0;
  struct http_client_start* e = events__reserve(sizeof(*e));
  if (!e) return 0;
  events__header(&e->hdr, GOINSTR_EVENT_HTTP_CLIENT_START);
  child_ctx__fill(&e->ctx, goid, cfg_client.inject);
  struct go_string method = {};
  __u64 url = 0;
  if (bpf_probe_read_user(&method, sizeof(method), (void*)(request + cfg_client.request_method)))
    counter__inc(GOINSTR_COUNTER_READ_FAILED);
  url = read_u64(request + cfg_client.request_url);
  e->method_len = copy_go_string(e->method, GOINSTR_CLIENT_METHOD_MAX, method);
  copy_url(e, url, snap);
  if (cfg_client.inject && url) {
    struct url_key key = {.pid = e->hdr.pid, .url = url};
    bpf_map_update_elem(&client_by_url, &key, &e->ctx.self, BPF_ANY);
    struct go_key gk = go_key__make(goid);
    bpf_map_update_elem(&client_url_by_goroutine, &gk, &url, BPF_ANY);
  }
  events__submit(e);
  return 0;
}

SEC("uprobe")
int uprobe__http_client__end(struct pt_regs* ctx) {
  __u64 response = GO_ARG1(ctx); /* returns (*Response, error) */
  __u64 goid = client_goid(ctx);
  if (cfg_client.inject) {
    struct go_key gk = go_key__make(goid);
    __u64* url = bpf_map_lookup_elem(&client_url_by_goroutine, &gk);
    if (url) {
      struct url_key key = {.pid = gk.pid, .url = *url};
      bpf_map_delete_elem(&client_by_url, &key);
      bpf_map_delete_elem(&client_url_by_goroutine, &gk);
    }
  }
  struct http_client_end* e = events__reserve(sizeof(*e));
  if (!e) return 0;
  events__header(&e->hdr, GOINSTR_EVENT_HTTP_CLIENT_END);
  e->goid = goid;
  e->status = 0;
  e->proto_major = e->proto_minor = 0;
  __u32 zero = 0;
  struct snapshot* snap = bpf_map_lookup_elem(&client_scratch, &zero);
  if (response && snap && snapshot__read(snap, response, cfg_client.response_snapshot_size) == 0) {
    e->status = (__s64)snapshot__u64(snap, cfg_client.response_status_code);
    e->proto_major = (__u8)snapshot__u64(snap, cfg_client.response_proto_major);
    e->proto_minor = (__u8)snapshot__u64(snap, cfg_client.response_proto_minor);
  }
  e->err_itab = GO_ARG2(ctx);
  e->err_len = read_error_message(e->err_msg, sizeof(e->err_msg), GO_ARG2(ctx), GO_ARG3(ctx));
  events__submit(e);
  return 0;
}

/* Sends the local address of the TCP connection whose net.Conn data word is conn_data (a
 * *net.TCPConn: net.conn{fd} -> netFD.laddr, a *TCPAddr). */
static __always_inline void send_conn(struct pt_regs* ctx, __u64 conn_data) {
  if (!conn_data) return;
  __u64 fd = read_u64(conn_data + cfg_client.net_conn_fd);
  if (!fd) return;
  __u64 laddr = read_u64(fd + cfg_client.net_fd_laddr + 8);
  if (!laddr) return;
  struct http_client_conn* e = events__reserve(sizeof(*e));
  if (!e) return;
  events__header(&e->hdr, GOINSTR_EVENT_HTTP_CLIENT_CONN);
  e->goid = client_goid(ctx);
  e->local_port = (__s64)read_u64(laddr + cfg_client.tcp_addr_port);
  struct go_string ip = {};
  if (bpf_probe_read_user(&ip, sizeof(ip), (void*)(laddr + cfg_client.tcp_addr_ip)))
    counter__inc(GOINSTR_COUNTER_READ_FAILED);
  e->ip_len = 0;
  __builtin_memset(e->ip, 0, sizeof(e->ip));
  if (ip.ptr && (ip.len == 4 || ip.len == 16)) {
    __u32 n = ip.len == 4 ? 4 : 16;
    if (bpf_probe_read_user(e->ip, n, (void*)ip.ptr) == 0) e->ip_len = (__u16)n;
  }
  events__submit(e);
}

/* The TCP connection under a net.Conn that is a *tls.Conn. */
static __always_inline __u64 under_tls(__u64 tls_conn) {
  if (!cfg_client.tls_info || !tls_conn) return 0;
  return read_u64(tls_conn + cfg_client.tls_conn_conn + 8);
}

/* (pc *persistConn, req *transportRequest): pc.conn is the *net.TCPConn, or a *tls.Conn over it
 * (pc.tlsState is set then). */
SEC("uprobe")
int uprobe__http_client__conn(struct pt_regs* ctx) {
  if (!cfg_client.conn_info) return 0;
  __u64 pc = GO_ARG1(ctx);
  __u64 conn_data = read_u64(pc + cfg_client.persist_conn_conn + 8);
  if (conn_data && read_u64(pc + cfg_client.persist_conn_tls)) conn_data = under_tls(conn_data);
  send_conn(ctx, conn_data);
  return 0;
}

/* HTTP/2, on the calling goroutine: (cc *ClientConn, req, ...): cc.tconn, a *tls.Conn when
 * cc.tlsState is set (h2 over TLS), else the TCP connection itself (h2c). The bpf_cookie says
 * which ClientConn layout. */
SEC("uprobe")
int uprobe__http_client__h2_conn(struct pt_regs* ctx) {
  const volatile struct http2_client_conn_offsets* o =
      &cfg_client.h2[bpf_get_attach_cookie(ctx) ? 1 : 0];
  if (!cfg_client.conn_info || !o->valid) return 0;
  __u64 cc = GO_ARG1(ctx);
  __u64 conn_data = read_u64(cc + o->tconn + 8);
  if (conn_data && read_u64(cc + o->tls_state)) conn_data = under_tls(conn_data);
  send_conn(ctx, conn_data);
  return 0;
}

/* (r *Request, w io.Writer, usingProxy bool, extraHeaders Header, waitForContinue func() bool) */
SEC("uprobe")
int uprobe__http_client__write_start(struct pt_regs* ctx) {
  if (GO_ARG2(ctx) != cfg_bufio_writer_itab || !cfg_bufio_writer_itab) return 0;
  __u64 writer = GO_ARG3(ctx);
  struct url_key key = {.pid = bpf_get_current_pid_tgid() >> 32,
                        .url = read_u64(GO_ARG1(ctx) + cfg_client.request_url)};
  struct goinstr_trace_ctx* ids = bpf_map_lookup_elem(&client_by_url, &key);
  if (!ids) return 0;
  struct pending_write w = {.ctx = *ids, .writer = writer};
  w.n0 = (__s64)read_u64(writer + cfg_client.bufio_writer_n);
  struct go_key gk = go_key__make(client_goid(ctx));
  bpf_map_update_elem(&pending_writes, &gk, &w, BPF_ANY);
  return 0;
}

SEC("uprobe")
int uprobe__http_client__headers_written(struct pt_regs* ctx) {
  struct go_key gk = go_key__make(client_goid(ctx));
  struct pending_write* w = bpf_map_lookup_elem(&pending_writes, &gk);
  if (!w) return 0;
  struct pending_write pw = *w;
  bpf_map_delete_elem(&pending_writes, &gk);
  __u32 zero = 0;
  struct write_scratch* scratch = bpf_map_lookup_elem(&client_write_scratch, &zero);
  if (!scratch) return 0;
  struct {
    __u64 ptr;
    __s64 len;
    __s64 cap;
  } buf = {};
  if (bpf_probe_read_user(&buf, sizeof(buf), (void*)(pw.writer + cfg_client.bufio_writer_buf))) {
    counter__inc(GOINSTR_COUNTER_READ_FAILED);
    return 0;
  }
  __s64 n = (__s64)read_u64(pw.writer + cfg_client.bufio_writer_n);
  /* The buffer was flushed while the headers were written (n went down), or the header block is
   * larger than we scan: we cannot see every header, so we do not inject. */
  if (n < pw.n0 || n - pw.n0 > GOINSTR_WRITE_SCAN_MAX || buf.len - n < GOINSTR_TRACEPARENT_LINE ||
      !buf.ptr) {
    counter__inc(GOINSTR_COUNTER_INJECT_NO_ROOM);
    return 0;
  }
  __u32 len = (__u32)(n - pw.n0);
  __u32 copy = len & (GOINSTR_WRITE_SCAN_MAX - 1);
  if (len == GOINSTR_WRITE_SCAN_MAX) copy = GOINSTR_WRITE_SCAN_MAX;
  if (copy && bpf_probe_read_user(scratch->header, copy & (2 * GOINSTR_WRITE_SCAN_MAX - 1),
                                  (void*)(buf.ptr + pw.n0))) {
    counter__inc(GOINSTR_COUNTER_READ_FAILED);
    return 0;
  }
  /* The request line ends in \n, so every header field name follows one. */
  if (traceparent__locate_in_write(scratch->header, len) >= 0) {
    counter__inc(GOINSTR_COUNTER_INJECT_PRESENT);
    return 0;
  }
  traceparent__format(scratch->line, &pw.ctx);
  if (bpf_probe_write_user((void*)(buf.ptr + n), scratch->line, GOINSTR_TRACEPARENT_LINE)) {
    counter__inc(GOINSTR_COUNTER_INJECT_FAILED);
    return 0;
  }
  __s64 new_n = n + GOINSTR_TRACEPARENT_LINE;
  if (bpf_probe_write_user((void*)(pw.writer + cfg_client.bufio_writer_n), &new_n, sizeof(new_n))) {
    counter__inc(GOINSTR_COUNTER_INJECT_FAILED);
    return 0;
  }
  counter__inc(GOINSTR_COUNTER_INJECTED);
  return 0;
}
