/* SPDX-License-Identifier: GPL-2.0-only */
/* A grpc *status.Status, as both gRPC probe files read it: nil (or a nil proto) means OK, else
 * genproto's rpc/status.Status {Code int32; Message string} copied with one read. */
#ifndef GOINSTR_BPF_GRPC_STATUS_H
#define GOINSTR_BPF_GRPC_STATUS_H

#include "bpf_intf/grpc.h"
#include "lib/read.bpf.h"

/* *code is -1 when the status could not be read (the failed read is counted). */
static __always_inline void grpc_status__read(const volatile struct grpc_offsets* o, __u64 st,
                                              struct snapshot* snap, __s32* code, char* msg,
                                              __u16* len) {
  *code = 0;
  *len = 0;
  if (!st) return;
  __u64 proto = read_u64(st + o->status_proto);
  if (!proto) return;
  __u64 size = (o->proto_code > o->proto_message ? o->proto_code : o->proto_message) + 16;
  if (snapshot__read(snap, proto, (__u32)size) != 0) {
    *code = -1;
    return;
  }
  *code = (__s32)snapshot__u64(snap, o->proto_code);
  *len = copy_go_string(msg, GOINSTR_GRPC_MESSAGE_MAX, snapshot__string(snap, o->proto_message));
}

#endif
