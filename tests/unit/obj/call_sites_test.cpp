// SPDX-License-Identifier: Apache-2.0
// find_call_sites / find_branch_after_call on hand-assembled x86-64: no Go toolchain needed.
#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "obj/insn_scan.hpp"

namespace goinstr::obj {
namespace {

using B = std::vector<uint8_t>;

constexpr uint64_t kEntry = 0x401000;
constexpr uint64_t kTarget = 0x4a2b40;  // the callee we look for
constexpr uint64_t kOther = 0x4a3000;   // some other function

Bytes bytes(const B& b) {
  return Bytes(b.data(), b.size());
}

// A small assembler: appends instructions, computing rel32 from the current address.
struct Asm {
  B code;
  uint64_t here() const { return kEntry + code.size(); }
  Asm& raw(std::initializer_list<uint8_t> b) {
    code.insert(code.end(), b);
    return *this;
  }
  Asm& call(uint64_t target) {  // e8 rel32
    int64_t rel = static_cast<int64_t>(target) - static_cast<int64_t>(here() + 5);
    auto r = static_cast<uint32_t>(static_cast<int32_t>(rel));
    return raw({0xe8, static_cast<uint8_t>(r), static_cast<uint8_t>(r >> 8),
                static_cast<uint8_t>(r >> 16), static_cast<uint8_t>(r >> 24)});
  }
  Asm& test_rax() { return raw({0x48, 0x85, 0xc0}); }        // test rax,rax
  Asm& test_rbx() { return raw({0x48, 0x85, 0xdb}); }        // test rbx,rbx
  Asm& jne8() { return raw({0x75, 0x10}); }                  // jne rel8
  Asm& jne32() { return raw({0x0f, 0x85, 0x40, 0, 0, 0}); }  // jne rel32
  Asm& mov_rcx_rax() { return raw({0x48, 0x89, 0xc1}); }     // mov rcx,rax
  Asm& nop() { return raw({0x90}); }
  Asm& ret() { return raw({0xc3}); }
  Asm& jmp8() { return raw({0xeb, 0x05}); }
  Asm& int3() { return raw({0xcc}); }
};

TEST(CallSites, FindsEveryDirectCallToTheTarget) {
  Asm a;
  a.raw({0x49, 0x3b, 0x66, 0x10}).raw({0x76, 0x40});  // cmp rsp,[r14+0x10]; jbe
  uint64_t first = a.code.size();
  a.call(kTarget).test_rax().jne8();
  a.call(kOther);
  a.raw({0xff, 0xd0});                    // call rax: indirect, not counted
  a.raw({0xff, 0x15, 0x10, 0x00, 0, 0});  // call [rip+0x10]: indirect, not counted
  uint64_t second = a.code.size();
  a.call(kTarget).ret().int3().int3();
  auto r = find_call_sites(bytes(a.code), kEntry, kTarget);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].func_offset, first);
  EXPECT_EQ((*r)[0].vaddr, kEntry + first);
  EXPECT_EQ((*r)[1].func_offset, second);
  EXPECT_EQ((*r)[1].vaddr, kEntry + second);
  for (const auto& s : *r) {
    EXPECT_EQ(s.insn_class, InsnClass::kEmulated);  // call rel32: the kernel emulates it
    EXPECT_EQ(s.insn.substr(0, 4), "call") << s.insn;
    EXPECT_EQ(s.file_offset, 0u);  // GoBinary fills it in
  }
}

TEST(CallSites, TargetNeverCalledIsEmpty) {
  Asm a;
  a.call(kOther).test_rax().jne8().ret();
  auto r = find_call_sites(bytes(a.code), kEntry, kTarget);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->empty());
}

TEST(CallSites, EmptyCodeIsEmpty) {
  auto r = find_call_sites(Bytes{}, kEntry, kTarget);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->empty());
}

TEST(CallSites, DependsOnTheLoadAddress) {
  Asm a;
  a.call(kTarget);
  // The same bytes loaded elsewhere call another address.
  auto moved = find_call_sites(bytes(a.code), kEntry + 0x100, kTarget);
  ASSERT_TRUE(moved);
  EXPECT_TRUE(moved->empty());
  auto r = find_call_sites(bytes(a.code), kEntry + 0x100, kTarget + 0x100);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].vaddr, kEntry + 0x100);
  EXPECT_EQ((*r)[0].func_offset, 0u);
}

TEST(BranchAfterCall, TestAndJneRightAfterTheCall) {
  Asm a;
  a.raw({0x49, 0x3b, 0x66, 0x10}).raw({0x76, 0x40});  // prologue jbe: before the call, ignored
  a.call(kTarget).test_rax();
  uint64_t jne = a.code.size();
  a.jne8().ret();
  auto s = find_branch_after_call(bytes(a.code), kEntry, kTarget);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->func_offset, jne);
  EXPECT_EQ(s->vaddr, kEntry + jne);
  EXPECT_EQ(s->insn.substr(0, 3), "jne") << s->insn;
  EXPECT_EQ(s->insn_class, InsnClass::kEmulated);
  EXPECT_NE(s->reason.find("conditional jump after the call"), std::string::npos) << s->reason;
}

TEST(BranchAfterCall, Rel32ConditionalJump) {
  Asm a;
  a.call(kTarget).test_rbx();
  uint64_t jne = a.code.size();
  a.jne32().ret();
  auto s = find_branch_after_call(bytes(a.code), kEntry, kTarget);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->func_offset, jne);
  EXPECT_EQ(s->insn_class, InsnClass::kEmulated);
}

TEST(BranchAfterCall, EveryConditionCodeCounts) {
  for (uint8_t op = 0x70; op <= 0x7f; ++op) {
    Asm a;
    a.call(kTarget).raw({op, 0x02}).ret();
    auto s = find_branch_after_call(bytes(a.code), kEntry, kTarget);
    ASSERT_TRUE(s) << "opcode " << int(op) << ": " << s.error().message;
    EXPECT_EQ(s->func_offset, 5u) << "opcode " << int(op);
    EXPECT_EQ(s->insn_class, InsnClass::kEmulated) << "opcode " << int(op);
  }
}

TEST(BranchAfterCall, JrcxzIsNotTheBranch) {
  Asm a;
  a.call(kTarget).raw({0xe3, 0x02});  // jrcxz: not an error check, and not emulated
  uint64_t jne = a.code.size();
  a.jne8().ret();
  auto s = find_branch_after_call(bytes(a.code), kEntry, kTarget);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->func_offset, jne);
}

TEST(BranchAfterCall, RetWithinTheWindowIsAnError) {
  Asm a;
  a.call(kTarget).test_rax().ret().jne8();  // the jne is past the function's end
  auto s = find_branch_after_call(bytes(a.code), kEntry, kTarget);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("no conditional jump"), std::string::npos);
}

TEST(BranchAfterCall, JmpOrAnotherCallWithinTheWindowIsAnError) {
  Asm a;
  a.call(kTarget).jmp8().test_rax().jne8();
  EXPECT_FALSE(find_branch_after_call(bytes(a.code), kEntry, kTarget));
  Asm b;
  b.call(kTarget).call(kOther).test_rax().jne8();
  EXPECT_FALSE(find_branch_after_call(bytes(b.code), kEntry, kTarget));
  Asm c;
  c.call(kTarget).raw({0xff, 0xd0}).test_rax().jne8();  // call rax
  EXPECT_FALSE(find_branch_after_call(bytes(c.code), kEntry, kTarget));
}

TEST(BranchAfterCall, CallNeverMadeIsAnError) {
  Asm a;
  a.call(kOther).test_rax().jne8().ret();
  EXPECT_FALSE(find_branch_after_call(bytes(a.code), kEntry, kTarget));
  EXPECT_FALSE(find_branch_after_call(Bytes{}, kEntry, kTarget));
}

TEST(BranchAfterCall, BranchBeforeTheCallDoesNotCount) {
  Asm a;
  a.test_rax().jne8().call(kTarget).ret();
  EXPECT_FALSE(find_branch_after_call(bytes(a.code), kEntry, kTarget));
}

TEST(BranchAfterCall, CallAtTheEndOfTheCodeIsAnError) {
  Asm a;
  a.test_rax().jne8().call(kTarget);
  EXPECT_FALSE(find_branch_after_call(bytes(a.code), kEntry, kTarget));
}

TEST(BranchAfterCall, OnlyTheFirstCallToTheTargetIsConsidered) {
  Asm a;
  a.call(kTarget).ret().call(kTarget).test_rax().jne8();
  EXPECT_FALSE(find_branch_after_call(bytes(a.code), kEntry, kTarget));
}

TEST(BranchAfterCall, DefaultWindowIsEightInstructions) {
  Asm in;  // the jne is the 8th instruction after the call
  in.call(kTarget);
  for (int i = 0; i < 7; ++i) in.nop();
  uint64_t jne = in.code.size();
  in.jne8();
  auto s = find_branch_after_call(bytes(in.code), kEntry, kTarget);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->func_offset, jne);

  Asm out;  // the 9th: too far
  out.call(kTarget);
  for (int i = 0; i < 8; ++i) out.nop();
  out.jne8();
  EXPECT_FALSE(find_branch_after_call(bytes(out.code), kEntry, kTarget));
}

TEST(BranchAfterCall, ExplicitWindow) {
  Asm a;
  a.call(kTarget).mov_rcx_rax().test_rax().jne8();  // jne is the 3rd after the call
  EXPECT_FALSE(find_branch_after_call(bytes(a.code), kEntry, kTarget, 2));
  auto s = find_branch_after_call(bytes(a.code), kEntry, kTarget, 3);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->func_offset, 11u);
}

TEST(BranchAfterCall, UndecodableBytesAreSteppedOver) {
  Asm a;
  a.raw({0x06});  // push es: invalid in 64-bit mode
  uint64_t call = a.code.size();
  a.call(kTarget).test_rax();
  uint64_t jne = a.code.size();
  a.jne8();
  auto calls = find_call_sites(bytes(a.code), kEntry, kTarget);
  ASSERT_TRUE(calls);
  ASSERT_EQ(calls->size(), 1u);
  EXPECT_EQ((*calls)[0].func_offset, call);
  auto s = find_branch_after_call(bytes(a.code), kEntry, kTarget);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->func_offset, jne);
}

}  // namespace
}  // namespace goinstr::obj
