/* SPDX-License-Identifier: GPL-2.0-only */
/* Go's register ABI (ABIInternal) on amd64, as seen from a uprobe's pt_regs. Integer arguments go
 * in RAX, RBX, RCX, RDI, RSI, R8, R9, R10, R11; the running goroutine's g is in R14. These hold at
 * a function's entry and at its prologue's stack-bound jump (the site goinstr probes), which is
 * before anything is spilled or clobbered. */
#ifndef GOINSTR_BPF_GO_ABI_H
#define GOINSTR_BPF_GO_ABI_H

#include <asm/ptrace.h>

#define GO_ARG1(ctx) ((ctx)->rax)
#define GO_ARG2(ctx) ((ctx)->rbx)
#define GO_ARG3(ctx) ((ctx)->rcx)
#define GO_ARG4(ctx) ((ctx)->rdi)
#define GO_ARG5(ctx) ((ctx)->rsi)
#define GO_G(ctx) ((ctx)->r14)

/* A Go string header: {data, len}. */
struct go_string {
  __u64 ptr;
  __s64 len;
};

#endif
