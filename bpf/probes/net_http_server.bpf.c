/* SPDX-License-Identifier: GPL-2.0-only */
/* net/http server spans from two entry probes, both placed on the prologue's stack-bound jump
 * (emulated by the kernel, ~0.5 us per hit), never on RET sites (single-stepped, ~9.5 us each) and
 * never with uretprobes (Go moves goroutine stacks):
 *   serverHandler.ServeHTTP(rw ResponseWriter, req *Request)   -> start
 *   (*response).finishRequest()                                -> end, same goroutine
 * Start and end go to user space as two records, paired there by (pid, *response): no BPF hash
 * map on the hot path, so nothing in the kernel can fill up or leak when a request never ends. */
#include <linux/bpf.h> /* first: bpf_helpers.h needs its types */

#include <bpf/bpf_helpers.h>

#include "bpf_intf/http_server.h"
#include "lib/go_abi.bpf.h"
#include "lib/maps.bpf.h"
#include "lib/read.bpf.h"

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
static __always_inline __u16 read_header_window(char* dst, __u64 response) {
  __u64 conn = read_u64(response + cfg_off.response_conn);
  if (!conn) return 0;
  __u64 bufr = read_u64(conn + cfg_off.conn_bufr);
  if (!bufr) return 0;
  __u64 buf = read_u64(bufr + cfg_off.bufio_reader_buf);
  __s64 r = (__s64)read_u64(bufr + cfg_off.bufio_reader_r);
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

SEC("uprobe")
int uprobe__net_http__server_start(struct pt_regs* ctx) {
  __u64 response = GO_ARG3(ctx); /* rw's data word; the itab is in ARG2 */
  __u64 request = GO_ARG4(ctx);
  struct http_server_start* e = events__reserve(sizeof(*e));
  if (!e) return 0;
  fill_header(&e->hdr, GOINSTR_EVENT_HTTP_SERVER_START);
  e->goid = read_u64(GO_G(ctx) + cfg_off.g_goid);
  e->response_ptr = response;
  e->method_len = read_go_string(e->method, GOINSTR_METHOD_MAX, request + cfg_off.request_method);
  __u64 url = read_u64(request + cfg_off.request_url);
  e->path_len = url ? read_go_string(e->path, GOINSTR_PATH_MAX, url + cfg_off.url_path) : 0;
  e->host_len = read_go_string(e->host, GOINSTR_HOST_MAX, request + cfg_off.request_host);
  e->remote_len =
      read_go_string(e->remote, GOINSTR_REMOTE_MAX, request + cfg_off.request_remote_addr);
  e->proto_major = (__u8)read_u64(request + cfg_off.request_proto_major);
  e->proto_minor = (__u8)read_u64(request + cfg_off.request_proto_minor);
  e->header_len = read_header_window(e->header_window, response);
  events__submit(e);
  return 0;
}

SEC("uprobe")
int uprobe__net_http__server_end(struct pt_regs* ctx) {
  __u64 response = GO_ARG1(ctx); /* the method's receiver */
  struct http_server_end* e = events__reserve(sizeof(*e));
  if (!e) return 0;
  fill_header(&e->hdr, GOINSTR_EVENT_HTTP_SERVER_END);
  e->goid = read_u64(GO_G(ctx) + cfg_off.g_goid);
  e->response_ptr = response;
  e->status = (__s64)read_u64(response + cfg_off.response_status);
  e->pattern_len = 0;
  if (cfg_off.pattern_mode != GOINSTR_PATTERN_NONE) {
    __u64 request = read_u64(response + cfg_off.response_req);
    if (cfg_off.pattern_mode == GOINSTR_PATTERN_FIELD) {
      e->pattern_len =
          read_go_string(e->pattern, GOINSTR_PATTERN_MAX, request + cfg_off.request_pattern);
    } else {
      __u64 pat = request ? read_u64(request + cfg_off.request_pat) : 0;
      if (pat)
        e->pattern_len = read_go_string(e->pattern, GOINSTR_PATTERN_MAX, pat + cfg_off.pattern_str);
    }
  }
  events__submit(e);
  return 0;
}
