/* SPDX-License-Identifier: GPL-2.0-only */
/* What every net/http server record takes from the *http.Request and, at the end, the route the
 * ServeMux matched: shared by the HTTP/1.1 and HTTP/2 server probes. The offsets are those of the
 * executable (the skeleton's rodata), passed by pointer so that both probe files use one copy. */
#ifndef GOINSTR_BPF_HTTP_REQUEST_H
#define GOINSTR_BPF_HTTP_REQUEST_H

#include "bpf_intf/http_server.h"
#include "lib/read.bpf.h"

static __always_inline void http_request__copy(struct http_server_start* e, __u64 request,
                                               struct snapshot* req,
                                               const volatile struct http_server_offsets* o) {
  /* Ring-buffer records are not zeroed: every field is written on every path. */
  e->method_len = e->host_len = e->remote_len = e->path_len = 0;
  e->proto_major = e->proto_minor = 0;
  if (snapshot__read(req, request, o->request_snapshot_size) != 0) return;
  e->method_len =
      copy_go_string(e->method, GOINSTR_METHOD_MAX, snapshot__string(req, o->request_method));
  e->host_len = copy_go_string(e->host, GOINSTR_HOST_MAX, snapshot__string(req, o->request_host));
  e->remote_len =
      copy_go_string(e->remote, GOINSTR_REMOTE_MAX, snapshot__string(req, o->request_remote_addr));
  e->proto_major = (__u8)snapshot__u64(req, o->request_proto_major);
  e->proto_minor = (__u8)snapshot__u64(req, o->request_proto_minor);
  __u64 url = snapshot__u64(req, o->request_url);
  e->path_len = url ? read_go_string(e->path, GOINSTR_PATH_MAX, url + o->url_path) : 0;
}

/* The ServeMux pattern that matched request (Go 1.22+), into e->pattern. */
static __always_inline void http_request__pattern(struct http_server_end* e, __u64 request,
                                                  const volatile struct http_server_offsets* o) {
  e->pattern_len = 0;
  if (!request) return;
  if (o->pattern_mode == GOINSTR_PATTERN_FIELD) {
    e->pattern_len = read_go_string(e->pattern, GOINSTR_PATTERN_MAX, request + o->request_pattern);
  } else if (o->pattern_mode == GOINSTR_PATTERN_VIA_PAT) {
    __u64 pat = read_u64(request + o->request_pat);
    if (pat) e->pattern_len = read_go_string(e->pattern, GOINSTR_PATTERN_MAX, pat + o->pattern_str);
  }
}

#endif
