/* SPDX-License-Identifier: GPL-2.0-only */
/* net/http server spans from two entry probes, both placed on the prologue's stack-bound jump
 * (emulated by the kernel, ~0.5 us per hit), never on RET sites (single-stepped, ~9.5 us each) and
 * never with uretprobes (Go moves goroutine stacks):
 *   serverHandler.ServeHTTP(rw ResponseWriter, req *Request)   -> start
 *   (*response).finishRequest()                                -> end, same goroutine
 * Start and end go to user space as two records, paired there by (pid, *response). The serving
 * goroutine is also entered in go_requests (lib/request_ctx.bpf.h) until the end probe, so that
 * database and client probes on it, or on goroutines it starts, can name this span as parent. */
#include <linux/bpf.h> /* first: bpf_helpers.h needs its types */

#include <bpf/bpf_helpers.h>

#include "bpf_intf/http_server.h"
#include "lib/go_abi.bpf.h"
#include "lib/maps.bpf.h"
#include "lib/read.bpf.h"
#include "lib/request_ctx.bpf.h"
#include "lib/traceparent.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* Offsets of the executable this object instance serves; constant once loaded, so the verifier
 * folds them and dead branches (pattern_mode) disappear. */
const volatile struct http_server_offsets cfg_off = {};

static __always_inline void fill_header(struct goinstr_event_header* hdr, __u32 type) {
  hdr->type = type;
  hdr->pid = bpf_get_current_pid_tgid() >> 32;
  hdr->ts_ns = bpf_ktime_get_ns();
}

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

static __always_inline void request__enter(__u64 goid, const struct goinstr_trace_ctx* ctx) {
  struct go_key key = go_key__make(goid);
  struct request_entry entry = {};
  entry.server = *ctx;
  __u64 span = ctx->span_id;
  __u32 pid = key.pid;
  bpf_map_update_elem(&live_requests, &span, &pid, BPF_ANY);
  bpf_map_update_elem(&go_requests, &key, &entry, BPF_ANY);
}

static __always_inline void request__leave(__u64 goid) {
  struct go_key key = go_key__make(goid);
  struct request_entry* entry = bpf_map_lookup_elem(&go_requests, &key);
  if (!entry) return;
  __u64 span = entry->server.span_id;
  bpf_map_delete_elem(&live_requests, &span);
  bpf_map_delete_elem(&go_requests, &key);
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
  fill_header(&e->hdr, GOINSTR_EVENT_HTTP_SERVER_START);
  e->goid = read_u64(GO_G(ctx) + cfg_off.g_goid);
  e->response_ptr = response;
  /* Ring-buffer records are not zeroed: every field is written on every path. */
  e->method_len = e->host_len = e->remote_len = e->path_len = 0;
  e->proto_major = e->proto_minor = 0;
  if (snapshot__read(req, request, cfg_off.request_snapshot_size) == 0) {
    e->method_len = copy_go_string(e->method, GOINSTR_METHOD_MAX,
                                   snapshot__string(req, cfg_off.request_method));
    e->host_len =
        copy_go_string(e->host, GOINSTR_HOST_MAX, snapshot__string(req, cfg_off.request_host));
    e->remote_len = copy_go_string(e->remote, GOINSTR_REMOTE_MAX,
                                   snapshot__string(req, cfg_off.request_remote_addr));
    e->proto_major = (__u8)snapshot__u64(req, cfg_off.request_proto_major);
    e->proto_minor = (__u8)snapshot__u64(req, cfg_off.request_proto_minor);
    __u64 url = snapshot__u64(req, cfg_off.request_url);
    e->path_len = url ? read_go_string(e->path, GOINSTR_PATH_MAX, url + cfg_off.url_path) : 0;
  }
  e->header_len = read_header_window(e->header_window, response, req);
  server_ctx__init(e);
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
  fill_header(&e->hdr, GOINSTR_EVENT_HTTP_SERVER_END);
  e->response_ptr = response;
  e->status = 0;
  e->pattern_len = 0;
  if (snapshot__read(resp, response, cfg_off.response_snapshot_size) == 0) {
    e->status = (__s64)snapshot__u64(resp, cfg_off.response_status);
    __u64 request = snapshot__u64(resp, cfg_off.response_req);
    if (request && cfg_off.pattern_mode == GOINSTR_PATTERN_FIELD) {
      e->pattern_len =
          read_go_string(e->pattern, GOINSTR_PATTERN_MAX, request + cfg_off.request_pattern);
    } else if (request && cfg_off.pattern_mode == GOINSTR_PATTERN_VIA_PAT) {
      __u64 pat = read_u64(request + cfg_off.request_pat);
      if (pat)
        e->pattern_len = read_go_string(e->pattern, GOINSTR_PATTERN_MAX, pat + cfg_off.pattern_str);
    }
  }
  events__submit(e);
  return 0;
}
