/* SPDX-License-Identifier: GPL-2.0-only */
/* Goroutine hand-off. runtime.newproc runs its work on the system stack in a closure
 * (runtime.newproc.func1) that calls newproc1 to build the new g, then runqput(pp, newg, true).
 * The probe sits on that `call runqput` instruction (calls are emulated): newg is in RBX, already
 * carrying its goid and, since Go 1.21, parentGoid. A goroutine started by one that serves a
 * request inherits the request (transitively, since the child's entry is then found the same
 * way); the link ends with the request because children check it is still live. */
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

#include "bpf_intf/runtime.h"
#include "lib/db_pending.bpf.h"
#include "lib/go_abi.bpf.h"
#include "lib/maps.bpf.h"
#include "lib/read.bpf.h"
#include "lib/request_ctx.bpf.h"

char LICENSE[] SEC("license") = "GPL";

const volatile struct runtime_offsets cfg_rt = {};

SEC("uprobe")
int uprobe__go__goroutine_created(struct pt_regs* ctx) {
  __u64 newg = GO_ARG2(ctx);
  if (!newg || !cfg_rt.g_parent_goid) return 0;
  __u32 pid = bpf_get_current_pid_tgid() >> 32;
  struct go_key parent = {.pid = pid, .goid = read_u64(newg + cfg_rt.g_parent_goid)};
  /* A successful BEGIN ends with `go tx.awaitDone()`. */
  if (db_pending__peek(pid, parent.goid) == GOINSTR_DB_BEGIN) {
    bpf_map_delete_elem(&db_pending, &parent);
    db_end__send(parent.goid, 0, 0);
  }
  struct request_entry* entry = bpf_map_lookup_elem(&go_requests, &parent);
  if (!entry) return 0;
  __u64 span = entry->server.span_id;
  if (cfg_rt.live_check && !bpf_map_lookup_elem(&live_requests, &span)) return 0;
  struct request_entry child = *entry;
  child.inherited = 1;
  struct go_key key = {.pid = pid, .goid = read_u64(newg + cfg_rt.g_goid)};
  bpf_map_update_elem(&go_requests, &key, &child, BPF_ANY);
  counter__inc(GOINSTR_COUNTER_GOROUTINES_LINKED);
  return 0;
}
