/* SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0) */
/* Shared ABI between bpf/probes/database_sql.bpf.c and src/agent: database/sql client spans.
 * An operation starts at the entry of the function that runs it and ends at the entry of the
 * function database/sql calls when it is done (releasing the connection, handing rows over, or
 * closing the transaction), so every probe sits on an emulated instruction: no RET probes. */
#ifndef GOINSTR_BPF_INTF_DATABASE_SQL_H
#define GOINSTR_BPF_INTF_DATABASE_SQL_H

#include "bpf_intf/trace_context.h"

#define GOINSTR_QUERY_MAX 1024 /* power of two: the verifier bounds the copy with a mask */
#define GOINSTR_ERROR_MAX 128

enum goinstr_db_op {
  GOINSTR_DB_QUERY = 1,
  GOINSTR_DB_EXEC = 2,
  GOINSTR_DB_BEGIN = 3,
  GOINSTR_DB_COMMIT = 4,
  GOINSTR_DB_ROLLBACK = 5,
};

struct db_start {
  struct goinstr_event_header hdr;
  struct goinstr_child_ctx ctx;
  __u64 db_ptr; /* *sql.DB (0 for Tx.Commit/Rollback): user space resolves driver and server */
  __u16 query_len;
  __u8 op; /* enum goinstr_db_op */
  __u8 _pad[5];
  char query[GOINSTR_QUERY_MAX];
};

struct db_end {
  struct goinstr_event_header hdr;
  __u64 goid;
  __u64 err_itab; /* the error's itab (0: no error); names the error's type */
  __u16 err_len;  /* bytes in err_msg[]: the message, when the error type is known */
  __u8 _pad[6];
  char err_msg[GOINSTR_ERROR_MAX];
};

#define GOINSTR_DSN_MAX 256

/* Sent once per *sql.DB opened with sql.Open: the DSN it was given, from which user space takes
 * the server address and port (and nothing else: the password is dropped there). Read in BPF
 * because the process may be gone by the time user space handles the records. */
struct db_target {
  struct goinstr_event_header hdr;
  __u64 db_ptr;
  __u16 dsn_len;
  __u8 _pad[6];
  char dsn[GOINSTR_DSN_MAX];
};

/* Struct field offsets for one executable. */
struct db_offsets {
  __u64 stmt_query;         /* sql.Stmt.query */
  __u64 tx_db;              /* sql.Tx.db */
  __u64 stmt_db;            /* sql.Stmt.db */
  __u64 tx_done;            /* sql.Tx.done (atomic.Bool / int32): a finished Tx ignores Commit */
  __u64 db_connector;       /* sql.DB.connector (driver.Connector) */
  __u64 dsn_connector_itab; /* itab of sql.dsnConnector as driver.Connector; 0: unknown */
};

#endif
