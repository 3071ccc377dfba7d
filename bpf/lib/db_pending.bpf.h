/* SPDX-License-Identifier: GPL-2.0-only */
/* The database operation each goroutine has open (at most one: database/sql calls are
 * synchronous), shared by probes/database_sql.bpf.c and probes/goroutines.bpf.c, which ends a
 * successful BEGIN when it starts the transaction's watcher goroutine. */
#ifndef GOINSTR_BPF_DB_PENDING_H
#define GOINSTR_BPF_DB_PENDING_H

#include "bpf_intf/database_sql.h"
#include "lib/go_error.bpf.h"
#include "lib/maps.bpf.h"
#include "lib/request_ctx.bpf.h"

struct {
  __uint(type, BPF_MAP_TYPE_LRU_HASH);
  __uint(max_entries, 65536);
  __type(key, struct go_key);
  __type(value, __u32); /* enum goinstr_db_op */
} db_pending SEC(".maps") __weak;

static __always_inline void db_pending__open(__u64 goid, __u32 op) {
  struct go_key key = go_key__make(goid);
  bpf_map_update_elem(&db_pending, &key, &op, BPF_ANY);
}

/* Closes goid's open operation; returns its op, or 0 when none was open. */
static __always_inline __u32 db_pending__close(__u64 goid) {
  struct go_key key = go_key__make(goid);
  __u32* op = bpf_map_lookup_elem(&db_pending, &key);
  if (!op) return 0;
  __u32 was = *op;
  bpf_map_delete_elem(&db_pending, &key);
  return was;
}

static __always_inline __u32 db_pending__peek(__u32 pid, __u64 goid) {
  struct go_key key = {.pid = pid, .goid = goid};
  __u32* op = bpf_map_lookup_elem(&db_pending, &key);
  return op ? *op : 0;
}

static __always_inline void db_end__send(__u64 goid, __u64 err_itab, __u64 err_data) {
  struct db_end* e = events__reserve(sizeof(*e));
  if (!e) return;
  events__header(&e->hdr, GOINSTR_EVENT_DB_END);
  e->goid = goid;
  e->err_itab = err_itab;
  e->err_len = read_error_message(e->err_msg, GOINSTR_ERROR_MAX, err_itab, err_data);
  events__submit(e);
}

#endif
