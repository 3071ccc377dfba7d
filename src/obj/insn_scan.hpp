// SPDX-License-Identifier: Apache-2.0
// Instruction-level probe placement with capstone (x86-64, detail on). Pure functions over a code
// span and its virtual address; GoBinary supplies the bytes and fills in file offsets.
#pragma once

#include <cstdint>
#include <vector>

#include "common/result.hpp"
#include "obj/bytes.hpp"
#include "obj/go_binary.hpp"

namespace goinstr::obj {

// Classifies one encoded instruction the way arch/x86/kernel/uprobes.c treats a uprobe on it.
// `bytes` starts at the instruction (extra trailing bytes are ignored).
InsnClass classify_insn(Bytes bytes);

// The entry probe site for a function whose code is `code`, loaded at `entry`. Picks the prologue's
// stack-bound conditional jump when nothing before it writes an argument register or memory, else
// the entry with the reason. ProbeSite::file_offset is left 0.
Result<ProbeSite> choose_entry_site(Bytes code, uint64_t entry);

// The single instruction at `offset` into `code`.
Result<ProbeSite> decode_site(Bytes code, uint64_t entry, uint64_t offset);

// Every RET in `code` (a linear sweep: Go keeps no data in .text, so it decodes cleanly; int3
// padding after the last instruction is skipped).
Result<std::vector<ProbeSite>> find_return_sites(Bytes code, uint64_t entry);

// Every `call target` in `code`.
Result<std::vector<ProbeSite>> find_call_sites(Bytes code, uint64_t entry, uint64_t target);

// The first conditional jump within `window` instructions after the first `call target`: where a
// probe sees the callee's results (Go checks the returned error right away), on an instruction
// the kernel emulates.
Result<ProbeSite> find_branch_after_call(Bytes code, uint64_t entry, uint64_t target,
                                         int window = 8);

}  // namespace goinstr::obj
