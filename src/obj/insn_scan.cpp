// SPDX-License-Identifier: Apache-2.0
#include "obj/insn_scan.hpp"

#include <capstone/capstone.h>

#include <algorithm>
#include <array>
#include <memory>
#include <optional>
#include <string>

namespace goinstr::obj {
namespace {

// Go's register ABI (amd64): integer arguments, in order. R14 (g) and R15 are not arguments.
constexpr std::array kArgRegs = {X86_REG_RAX, X86_REG_RBX, X86_REG_RCX, X86_REG_RDI, X86_REG_RSI,
                                 X86_REG_R8,  X86_REG_R9,  X86_REG_R10, X86_REG_R11};
constexpr uint64_t kPrologueWindow = 48;  // bytes; Go's prologue check fits in 4 instructions
constexpr int kPrologueMaxInsns = 6;
constexpr int64_t kStackGuard0 = 0x10;  // offsetof(runtime.g, stackguard0)

struct CsCloser {
  void operator()(csh* h) const {
    cs_close(h);
    delete h;
  }
};
using Capstone = std::unique_ptr<csh, CsCloser>;
struct InsnFree {
  void operator()(cs_insn* i) const { cs_free(i, 1); }
};
using Insn = std::unique_ptr<cs_insn, InsnFree>;

Result<Capstone> open_capstone() {
  auto h = std::make_unique<csh>();
  if (cs_open(CS_ARCH_X86, CS_MODE_64, h.get()) != CS_ERR_OK) return fail("capstone: cs_open");
  cs_option(*h, CS_OPT_DETAIL, CS_OPT_ON);
  return Capstone(h.release());
}

// Maps any sub-register (EAX, AX, AL, R8D, ...) to its 64-bit register, for the argument check.
// clang-format off: one line per register family reads better than 40 one-case lines.
x86_reg full_reg(x86_reg r) {
  switch (r) {
    case X86_REG_EAX:
    case X86_REG_AX:
    case X86_REG_AL:
    case X86_REG_AH:
      return X86_REG_RAX;
    case X86_REG_EBX:
    case X86_REG_BX:
    case X86_REG_BL:
    case X86_REG_BH:
      return X86_REG_RBX;
    case X86_REG_ECX:
    case X86_REG_CX:
    case X86_REG_CL:
    case X86_REG_CH:
      return X86_REG_RCX;
    case X86_REG_EDI:
    case X86_REG_DI:
    case X86_REG_DIL:
      return X86_REG_RDI;
    case X86_REG_ESI:
    case X86_REG_SI:
    case X86_REG_SIL:
      return X86_REG_RSI;
    case X86_REG_R8D:
    case X86_REG_R8W:
    case X86_REG_R8B:
      return X86_REG_R8;
    case X86_REG_R9D:
    case X86_REG_R9W:
    case X86_REG_R9B:
      return X86_REG_R9;
    case X86_REG_R10D:
    case X86_REG_R10W:
    case X86_REG_R10B:
      return X86_REG_R10;
    case X86_REG_R11D:
    case X86_REG_R11W:
    case X86_REG_R11B:
      return X86_REG_R11;
    case X86_REG_R12D:
    case X86_REG_R12W:
    case X86_REG_R12B:
      return X86_REG_R12;
    default:
      return r;
  }
}
// clang-format on

std::string insn_text(const cs_insn& i) {
  std::string s = i.mnemonic;
  if (i.op_str[0] != '\0') s += std::string(" ") + i.op_str;
  return s;
}

// Why this instruction spoils the arguments, or empty when it does not: a probe after it would
// read clobbered registers or see a frame the function already changed.
std::string clobber_reason(csh h, const cs_insn& i) {
  cs_regs rd, wr;
  uint8_t nrd = 0, nwr = 0;
  if (cs_regs_access(h, &i, rd, &nrd, wr, &nwr) == CS_ERR_OK) {
    for (uint8_t k = 0; k < nwr; ++k) {
      auto r = full_reg(static_cast<x86_reg>(wr[k]));
      for (x86_reg a : kArgRegs) {
        if (r == a) return insn_text(i) + " writes argument register " + cs_reg_name(h, r);
      }
    }
  }
  if (i.id == X86_INS_PUSH || i.id == X86_INS_PUSHFQ || i.id == X86_INS_CALL) {
    return insn_text(i) + " writes the stack";
  }
  const cs_x86& x = i.detail->x86;
  for (uint8_t k = 0; k < x.op_count; ++k) {
    if (x.operands[k].type == X86_OP_MEM && (x.operands[k].access & CS_AC_WRITE)) {
      return insn_text(i) + " writes memory";
    }
  }
  return {};
}

bool is_stack_guard_cmp(const cs_insn& i) {
  if (i.id != X86_INS_CMP) return false;
  const cs_x86& x = i.detail->x86;
  for (uint8_t k = 0; k < x.op_count; ++k) {
    const cs_x86_op& op = x.operands[k];
    if (op.type == X86_OP_MEM && op.mem.base == X86_REG_R14 && op.mem.disp == kStackGuard0) {
      return true;
    }
  }
  return false;
}

// The big-frame prologue computes R12 = RSP - framesize and checks it (`lea`, or `mov`+`sub`).
bool derives_r12_from_rsp(const cs_insn& i) {
  const cs_x86& x = i.detail->x86;
  if (x.op_count < 1 || x.operands[0].type != X86_OP_REG || x.operands[0].reg != X86_REG_R12) {
    return false;
  }
  if (i.id == X86_INS_SUB) return true;
  if (x.op_count < 2) return false;
  const cs_x86_op& src = x.operands[1];
  return (src.type == X86_OP_REG && src.reg == X86_REG_RSP) ||
         (src.type == X86_OP_MEM && src.mem.base == X86_REG_RSP);
}

bool in_group(const cs_insn& i, uint8_t group) {
  const cs_detail& d = *i.detail;
  for (uint8_t k = 0; k < d.groups_count; ++k) {
    if (d.groups[k] == group) return true;
  }
  return false;
}

bool is_cond_jump(const cs_insn& i) {
  return in_group(i, CS_GRP_JUMP) && i.id != X86_INS_JMP && i.id != X86_INS_LJMP;
}

bool is_control_flow(const cs_insn& i) {
  return in_group(i, CS_GRP_JUMP) || in_group(i, CS_GRP_CALL) || in_group(i, CS_GRP_RET) ||
         in_group(i, CS_GRP_INT) || in_group(i, CS_GRP_IRET);
}

bool is_cond_jump_opcode(uint8_t op) {
  return op >= 0x70 && op <= 0x7f;
}

// Mirrors arch/x86/kernel/uprobes.c (Linux 6.18): branch_setup_xol_ops() emulates jmp/call rel,
// jcc and (since the NOP emulation patches) nop / 0f 1f nopl, except branches with a 0x66 prefix;
// push_setup_xol_ops() emulates `push reg` (REX only 0x41). uprobe_init_insn() refuses a few
// opcodes outright; we list the ones a compiler emits (int3, int1, into, hlt, ud2).
InsnClass classify_decoded(const cs_insn& i) {
  const cs_x86& x = i.detail->x86;
  uint8_t op0 = x.opcode[0], op1 = x.opcode[1];
  if (op0 == 0xcc || op0 == 0xce || op0 == 0xf1 || op0 == 0xf4 || (op0 == 0x0f && op1 == 0x0b)) {
    return InsnClass::kRejected;
  }
  bool nop = (op0 == 0x90 && x.prefix[0] != 0xf3) || (op0 == 0x0f && op1 == 0x1f);
  if (nop) return InsnClass::kEmulated;
  bool opsize = x.prefix[2] == 0x66;
  bool branch = op0 == 0xeb || op0 == 0xe9 || op0 == 0xe8 || is_cond_jump_opcode(op0) ||
                (op0 == 0x0f && op1 >= 0x80 && op1 <= 0x8f);
  if (branch) return opsize ? InsnClass::kSingleStepped : InsnClass::kEmulated;
  bool push_reg = op0 >= 0x50 && op0 <= 0x57 && !opsize && (x.rex == 0 || x.rex == 0x41);
  return push_reg ? InsnClass::kEmulated : InsnClass::kSingleStepped;
}

ProbeSite make_site(const cs_insn& i, uint64_t entry, std::string reason) {
  return ProbeSite{i.address,        0, i.address - entry, insn_text(i), classify_decoded(i),
                   std::move(reason)};
}

}  // namespace

InsnClass classify_insn(Bytes bytes) {
  auto cs = open_capstone();
  if (!cs) return InsnClass::kRejected;
  cs_insn* raw = nullptr;
  size_t n = cs_disasm(**cs, bytes.data(), bytes.size(), 0, 1, &raw);
  if (n == 0) return InsnClass::kRejected;  // undecodable: the kernel's decoder refuses it too
  Insn insn(raw);
  return classify_decoded(*insn);
}

Result<ProbeSite> choose_entry_site(Bytes code, uint64_t entry) {
  ASSIGN_OR_RETURN(Capstone cs, open_capstone());
  Insn insn(cs_malloc(*cs));
  const uint8_t* p = code.data();
  size_t left = std::min<size_t>(code.size(), kPrologueWindow);
  uint64_t addr = entry;
  std::optional<ProbeSite> first;
  bool guard = false;
  std::string spoiled;
  for (int n = 0; n < kPrologueMaxInsns && cs_disasm_iter(*cs, &p, &left, &addr, insn.get()); ++n) {
    const cs_insn& i = *insn;
    if (!first) first = make_site(i, entry, "");
    // CET builds (external linking with C objects) may open with ENDBR64; Go never emits it.
    if (n == 0 && i.id == X86_INS_ENDBR64) continue;
    if (is_cond_jump(i) && guard && spoiled.empty()) {
      return make_site(i, entry,
                       "prologue stack-bound check jump: emulated, argument registers intact");
    }
    if (is_control_flow(i)) break;
    if (is_stack_guard_cmp(i) || derives_r12_from_rsp(i)) guard = true;
    if (spoiled.empty()) spoiled = clobber_reason(*cs, i);
  }
  if (!first) return fail("cannot decode the instruction at the function entry");
  ProbeSite site = *first;
  if (!guard) {
    site.reason = "function entry: no stack-bound check in the prologue (leaf function?)";
  } else if (!spoiled.empty()) {
    site.reason = "function entry: " + spoiled + " before the stack-bound jump";
  } else {
    site.reason = "function entry: no conditional jump after the stack-bound check";
  }
  return site;
}

Result<ProbeSite> decode_site(Bytes code, uint64_t entry, uint64_t offset) {
  if (offset >= code.size()) return fail("offset past the end of the function");
  ASSIGN_OR_RETURN(Capstone cs, open_capstone());
  Insn insn(cs_malloc(*cs));
  const uint8_t* p = code.data() + offset;
  size_t left = code.size() - offset;
  uint64_t addr = entry + offset;
  if (!cs_disasm_iter(*cs, &p, &left, &addr, insn.get())) {
    return fail("cannot decode the instruction at +" + std::to_string(offset));
  }
  return make_site(*insn, entry, "requested offset");
}

namespace {

// A linear sweep over `code` (Go keeps no data in .text, so it decodes cleanly), calling
// visit(insn) for each instruction until it returns false.
template <typename Visit>
Result<> sweep(Bytes code, uint64_t entry, Visit visit) {
  ASSIGN_OR_RETURN(Capstone cs, open_capstone());
  Insn insn(cs_malloc(*cs));
  const uint8_t* p = code.data();
  size_t left = code.size();
  uint64_t addr = entry;
  while (left > 0) {
    if (!cs_disasm_iter(*cs, &p, &left, &addr, insn.get())) {
      // Undecodable byte (padding or data): step over it rather than give up on the function.
      ++p, --left, ++addr;
      continue;
    }
    if (!visit(*insn)) break;
  }
  return {};
}

}  // namespace

Result<std::vector<ProbeSite>> find_return_sites(Bytes code, uint64_t entry) {
  std::vector<ProbeSite> out;
  TRY(sweep(code, entry, [&](const cs_insn& i) {
    if (i.id == X86_INS_RET) out.push_back(make_site(i, entry, "RET"));
    return true;
  }));
  return out;
}

namespace {

bool is_call_to(const cs_insn& i, uint64_t target) {
  if (i.id != X86_INS_CALL || i.detail->x86.op_count != 1) return false;
  const cs_x86_op& op = i.detail->x86.operands[0];
  return op.type == X86_OP_IMM && static_cast<uint64_t>(op.imm) == target;
}

bool is_conditional_jump(const cs_insn& i) {
  return i.id >= X86_INS_JAE && i.id <= X86_INS_JS && i.id != X86_INS_JMP && i.id != X86_INS_JCXZ &&
         i.id != X86_INS_JECXZ && i.id != X86_INS_JRCXZ;
}

}  // namespace

Result<std::vector<ProbeSite>> find_call_sites(Bytes code, uint64_t entry, uint64_t target) {
  std::vector<ProbeSite> out;
  TRY(sweep(code, entry, [&](const cs_insn& i) {
    if (is_call_to(i, target)) out.push_back(make_site(i, entry, "call"));
    return true;
  }));
  return out;
}

Result<ProbeSite> find_branch_after_call(Bytes code, uint64_t entry, uint64_t target, int window) {
  std::optional<ProbeSite> found;
  int after_call = -1;  // instructions since the call, -1 before it
  TRY(sweep(code, entry, [&](const cs_insn& i) {
    if (after_call < 0) {
      if (is_call_to(i, target)) after_call = 0;
      return true;
    }
    if (++after_call > window) return false;
    if (is_conditional_jump(i)) {
      found = make_site(i, entry, "first conditional jump after the call");
      return false;
    }
    return i.id != X86_INS_CALL && i.id != X86_INS_RET && i.id != X86_INS_JMP;
  }));
  if (!found) return fail("no conditional jump right after the call");
  return *found;
}

}  // namespace goinstr::obj
