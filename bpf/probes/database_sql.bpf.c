/* SPDX-License-Identifier: GPL-2.0-only */
/* database/sql client spans. Every probe is a function entry, on the prologue's emulated jump:
 *   start: (*DB).queryDC, (*DB).execDC, (*Stmt).QueryContext, (*Stmt).ExecContext, (*DB).beginDC,
 *          (*Tx).Commit, (*Tx).rollback
 *   end:   whatever database/sql calls when the operation is over: the release function it was
 *          given ((*driverConn).releaseConn, (*Tx).closemuRUnlockRelease,
 *          (*Conn).closemuRUnlockCondReleaseConn, all with the error), (*Tx).close(err) after
 *          commit and rollback, (*Rows).initContextClose once a query's rows are ready, and the
 *          `go tx.awaitDone()` of a successful begin (probes/goroutines.bpf.c).
 * This avoids RET probes, which the kernel single-steps (~10 us a hit against ~1 us). db_pending
 * remembers which goroutines have an operation open, so release calls that end no operation (rows
 * closed later, a transaction's connection returned) send nothing. */
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

#include "bpf_intf/database_sql.h"
#include "lib/db_pending.bpf.h"
#include "lib/go_abi.bpf.h"
#include "lib/go_error.bpf.h"
#include "lib/maps.bpf.h"
#include "lib/read.bpf.h"
#include "lib/request_ctx.bpf.h"

char LICENSE[] SEC("license") = "GPL";

const volatile struct db_offsets cfg_db = {};
const volatile __u64 cfg_db_g_goid = 0;

struct db_key {
  __u32 pid;
  __u32 _pad;
  __u64 db;
};

/* The *sql.DB values already described to user space. */
struct {
  __uint(type, BPF_MAP_TYPE_LRU_HASH);
  __uint(max_entries, 4096);
  __type(key, struct db_key);
  __type(value, __u8);
} db_described SEC(".maps");

/* Sends the DSN of a *sql.DB the first time an operation uses it (one map lookup afterwards). */
static __always_inline void db_target__describe_once(__u64 db) {
  if (!db || !cfg_db.dsn_connector_itab) return;
  struct db_key key = {.pid = bpf_get_current_pid_tgid() >> 32, .db = db};
  if (bpf_map_lookup_elem(&db_described, &key)) return;
  __u8 yes = 1;
  bpf_map_update_elem(&db_described, &key, &yes, BPF_ANY);
  struct go_string connector = {}; /* an interface: {itab, data} */
  if (bpf_probe_read_user(&connector, sizeof(connector), (void*)(db + cfg_db.db_connector)) ||
      connector.ptr != cfg_db.dsn_connector_itab || !connector.len)
    return;
  struct db_target* e = events__reserve(sizeof(*e));
  if (!e) return;
  events__header(&e->hdr, GOINSTR_EVENT_DB_TARGET);
  e->db_ptr = db;
  e->dsn_len = read_go_string(e->dsn, GOINSTR_DSN_MAX, (__u64)connector.len); /* dsn at offset 0 */
  events__submit(e);
}

static __always_inline __u64 current_goid(struct pt_regs* ctx) {
  return read_u64(GO_G(ctx) + cfg_db_g_goid);
}

/* Sends the start record; query may be {0,0} (transaction operations). */
static __always_inline void db_start__send(struct pt_regs* ctx, __u8 op, __u64 db,
                                           struct go_string query) {
  __u64 goid = current_goid(ctx);
  db_target__describe_once(db);
  struct db_start* e = events__reserve(sizeof(*e));
  if (!e) return;
  events__header(&e->hdr, GOINSTR_EVENT_DB_START);
  child_ctx__fill(&e->ctx, goid, 0);
  e->db_ptr = db;
  e->op = op;
  e->query_len = copy_go_string(e->query, GOINSTR_QUERY_MAX, query);
  db_pending__open(goid, op);
  events__submit(e);
}

static __always_inline struct go_string regs_string(__u64 ptr, __u64 len) {
  struct go_string s = {.ptr = ptr, .len = (__s64)len};
  return s;
}

SEC("uprobe")
int uprobe__db__query_dc(struct pt_regs* ctx) {
  /* (db, ctx, txctx, dc, releaseConn, query, args): query in R10/R11 */
  db_start__send(ctx, GOINSTR_DB_QUERY, GO_ARG1(ctx), regs_string(ctx->r10, ctx->r11));
  return 0;
}

SEC("uprobe")
int uprobe__db__exec_dc(struct pt_regs* ctx) {
  /* (db, ctx, dc, release, query, args): query in R8/R9 */
  db_start__send(ctx, GOINSTR_DB_EXEC, GO_ARG1(ctx), regs_string(ctx->r8, ctx->r9));
  return 0;
}

static __always_inline void stmt_start(struct pt_regs* ctx, __u8 op) {
  __u64 stmt = GO_ARG1(ctx);
  struct go_string query = {};
  if (bpf_probe_read_user(&query, sizeof(query), (void*)(stmt + cfg_db.stmt_query)) != 0)
    counter__inc(GOINSTR_COUNTER_READ_FAILED);
  db_start__send(ctx, op, read_u64(stmt + cfg_db.stmt_db), query);
}

SEC("uprobe")
int uprobe__db__stmt_query(struct pt_regs* ctx) {
  stmt_start(ctx, GOINSTR_DB_QUERY);
  return 0;
}

SEC("uprobe")
int uprobe__db__stmt_exec(struct pt_regs* ctx) {
  stmt_start(ctx, GOINSTR_DB_EXEC);
  return 0;
}

SEC("uprobe")
int uprobe__db__begin(struct pt_regs* ctx) {
  struct go_string none = {};
  db_start__send(ctx, GOINSTR_DB_BEGIN, GO_ARG1(ctx), none);
  return 0;
}

/* Commit and Rollback on a finished transaction return ErrTxDone without any call we probe for
 * the end (`defer tx.Rollback()` after Commit is the common case; so is the watcher goroutine's
 * rollback when the context ends): no span for those. */
static __always_inline void tx_start(struct pt_regs* ctx, __u8 op) {
  __u64 tx = GO_ARG1(ctx);
  __u32 done = 0;
  if (bpf_probe_read_user(&done, sizeof(done), (void*)(tx + cfg_db.tx_done)) == 0 && done) return;
  struct go_string none = {};
  db_start__send(ctx, op, read_u64(tx + cfg_db.tx_db), none);
}

SEC("uprobe")
int uprobe__db__commit(struct pt_regs* ctx) {
  tx_start(ctx, GOINSTR_DB_COMMIT);
  return 0;
}

SEC("uprobe")
int uprobe__db__rollback(struct pt_regs* ctx) {
  tx_start(ctx, GOINSTR_DB_ROLLBACK);
  return 0;
}

/* (receiver, err error): the error's itab in RBX, its data in RCX. */
SEC("uprobe")
int uprobe__db__release(struct pt_regs* ctx) {
  __u64 goid = current_goid(ctx);
  if (!db_pending__close(goid)) return 0;
  db_end__send(goid, GO_ARG2(ctx), GO_ARG3(ctx));
  return 0;
}

/* The method values database/sql passes around (dc.releaseConn, tx.closemuRUnlockRelease) are
 * "-fm" wrappers whose receiver travels in the closure context: the error is in RAX/RBX. The
 * wrapped method may be inlined into them, so both are probed; whichever fires first closes the
 * operation and the second finds nothing open. */
SEC("uprobe")
int uprobe__db__release_fm(struct pt_regs* ctx) {
  __u64 goid = current_goid(ctx);
  if (!db_pending__close(goid)) return 0;
  db_end__send(goid, GO_ARG1(ctx), GO_ARG2(ctx));
  return 0;
}

/* (*Rows).initContextClose: the query succeeded and its rows are handed to the caller. */
SEC("uprobe")
int uprobe__db__rows_ready(struct pt_regs* ctx) {
  __u64 goid = current_goid(ctx);
  if (!db_pending__close(goid)) return 0;
  db_end__send(goid, 0, 0);
  return 0;
}
