// SPDX-License-Identifier: Apache-2.0
// Parsers and the instruction scanner on synthetic input: no Go toolchain needed.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "obj/buildinfo.hpp"
#include "obj/insn_scan.hpp"
#include "obj/offset_table.hpp"

namespace goinstr::obj {
namespace {

using B = std::vector<uint8_t>;

Bytes bytes(const B& b) {
  return Bytes(b.data(), b.size());
}

TEST(Buildinfo, InlineStrings) {
  std::string modinfo =
      "path\tgoinstr.dev/x/cmd\nmod\tgoinstr.dev/x\t(devel)\t\n"
      "dep\tgolang.org/x/net\tv0.1.0\th1:abc=\n=>\t../net\t(devel)\t\n"
      "build\t-ldflags=\"-s -w\"\nbuild\tGOARCH=amd64\n";
  std::string wrapped = std::string(16, 'S') + modinfo + std::string(16, 'E');
  B data = {0xff, ' ', 'G', 'o', ' ', 'b', 'u', 'i', 'l', 'd', 'i', 'n', 'f', ':', 8, 2};
  data.resize(32, 0);
  data.push_back(8);
  for (char c : std::string("go1.26.8")) data.push_back(static_cast<uint8_t>(c));
  data.push_back(static_cast<uint8_t>(0x80 | (wrapped.size() & 0x7f)));  // 2-byte uvarint
  data.push_back(static_cast<uint8_t>(wrapped.size() >> 7));
  data.insert(data.end(), wrapped.begin(), wrapped.end());

  auto info = parse_buildinfo(bytes(data));
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->go_version, "go1.26.8");
  EXPECT_EQ(info->main_path, "goinstr.dev/x/cmd");
  EXPECT_EQ(info->main_module.path, "goinstr.dev/x");
  EXPECT_EQ(info->main_module.version, "(devel)");
  ASSERT_EQ(info->deps.size(), 1u);
  EXPECT_EQ(info->deps[0].path, "../net");  // replaced by the => line
  ASSERT_EQ(info->settings.size(), 2u);
  EXPECT_EQ(info->settings[0], (std::pair<std::string, std::string>{"-ldflags", "-s -w"}));
  EXPECT_EQ(info->settings[1].second, "amd64");
}

TEST(Buildinfo, BadMagic) {
  B data(64, 0);
  EXPECT_FALSE(parse_buildinfo(bytes(data)));
}

TEST(OffsetTable, Versions) {
  EXPECT_EQ(parse_go_minor("go1.25.3"), (GoMinor{1, 25}));
  EXPECT_EQ(parse_go_minor("go1.26rc1"), (GoMinor{1, 26}));
  EXPECT_EQ(parse_go_minor("devel go1.27-abcdef Mon"), (GoMinor{1, 27}));
  EXPECT_FALSE(parse_go_minor("unknown"));
  EXPECT_EQ(table_versions(), (std::vector<std::string>{"go1.19", "go1.26", "go1.27"}));
}

TEST(OffsetTable, ExactAndNearestLower) {
  auto exact = table_field_offset("go1.26.8", "net/http.Request", "URL");
  ASSERT_TRUE(exact);
  EXPECT_EQ(exact->offset, 16u);
  EXPECT_EQ(exact->source, OffsetSource::kTable);
  EXPECT_EQ(exact->detail, "table go1.26");
  auto lower = table_field_offset("go1.25.3", "net/http.Request", "Method");
  ASSERT_TRUE(lower);
  EXPECT_EQ(lower->detail, "table go1.19 (nearest to go1.25.3)");
  auto newer = table_field_offset("go1.28.1", "runtime.g", "goid");
  ASSERT_TRUE(newer);
  EXPECT_EQ(newer->detail, "table go1.27 (nearest to go1.28.1)");
  EXPECT_FALSE(table_field_offset("go1.18.10", "runtime.g", "goid"));
  // Optional fields: absent where Go did not have them.
  EXPECT_FALSE(table_field_offset("go1.19.8", "net/http.Request", "Pattern"));
  EXPECT_TRUE(table_field_offset("go1.26.0", "net/http.Request", "Pattern"));
  EXPECT_FALSE(table_field_offset("go1.26.0", "net/http.NoSuchType", "x"));
}

TEST(InsnClass, MatchesKernelHandling) {
  EXPECT_EQ(classify_insn(bytes({0x0f, 0x86, 0, 0, 0, 0})), InsnClass::kEmulated);  // jbe rel32
  EXPECT_EQ(classify_insn(bytes({0x76, 0x05})), InsnClass::kEmulated);              // jbe rel8
  EXPECT_EQ(classify_insn(bytes({0xe8, 0, 0, 0, 0})), InsnClass::kEmulated);        // call rel32
  EXPECT_EQ(classify_insn(bytes({0xeb, 0x00})), InsnClass::kEmulated);              // jmp rel8
  EXPECT_EQ(classify_insn(bytes({0x55})), InsnClass::kEmulated);                    // push rbp
  EXPECT_EQ(classify_insn(bytes({0x41, 0x54})), InsnClass::kEmulated);              // push r12
  EXPECT_EQ(classify_insn(bytes({0x90})), InsnClass::kEmulated);                    // nop
  EXPECT_EQ(classify_insn(bytes({0x0f, 0x1f, 0x44, 0, 0})), InsnClass::kEmulated);  // nop5
  EXPECT_EQ(classify_insn(bytes({0xc3})), InsnClass::kSingleStepped);               // ret
  EXPECT_EQ(classify_insn(bytes({0x49, 0x3b, 0x66, 0x10})), InsnClass::kSingleStepped);  // cmp
  EXPECT_EQ(classify_insn(bytes({0x5d})), InsnClass::kSingleStepped);                    // pop rbp
  EXPECT_EQ(classify_insn(bytes({0xff, 0xd0})), InsnClass::kSingleStepped);              // call rax
  EXPECT_EQ(classify_insn(bytes({0xcc})), InsnClass::kRejected);                         // int3
  EXPECT_EQ(classify_insn(bytes({0x0f, 0x0b})), InsnClass::kRejected);                   // ud2
  EXPECT_EQ(estimated_cost_us(InsnClass::kEmulated), 0.5);
  EXPECT_EQ(estimated_cost_us(InsnClass::kSingleStepped), 9.5);
}

constexpr uint64_t kEntry = 0x401000;

TEST(EntrySite, Go119BigFramePrologue) {
  // lea r12,[rsp-0x28]; cmp r12,[r14+0x10]; jbe; sub rsp,0xa8
  B code = {0x4c, 0x8d, 0x64, 0x24, 0xd8, 0x4d, 0x3b, 0x66, 0x10, 0x0f, 0x86,
            0x54, 0x03, 0x00, 0x00, 0x48, 0x81, 0xec, 0xa8, 0,    0,    0};
  auto s = choose_entry_site(bytes(code), kEntry);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->func_offset, 9u);
  EXPECT_EQ(s->vaddr, kEntry + 9);
  EXPECT_EQ(s->insn_class, InsnClass::kEmulated);
  EXPECT_EQ(s->insn.substr(0, 3), "jbe");
}

TEST(EntrySite, Go126Prologue) {
  B code = {0x49, 0x3b, 0x66, 0x10, 0x0f, 0x86, 0x8a, 0, 0, 0, 0x55};  // cmp rsp,..; jbe; push
  auto s = choose_entry_site(bytes(code), kEntry);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->func_offset, 4u);
  EXPECT_EQ(s->insn_class, InsnClass::kEmulated);
}

TEST(EntrySite, HugeFrameMovSubJb) {
  // mov r12,rsp; sub r12,0x10000; jb morestack; cmp r12,[r14+0x10]; jbe morestack
  B code = {0x49, 0x89, 0xe4, 0x49, 0x81, 0xec, 0x00, 0x00, 0x01,
            0x00, 0x72, 0x10, 0x4d, 0x3b, 0x66, 0x10, 0x76, 0x0a};
  auto s = choose_entry_site(bytes(code), kEntry);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->func_offset, 10u);
  EXPECT_EQ(s->insn.substr(0, 2), "jb");
}

TEST(EntrySite, SkipsEndbr64) {
  B code = {0xf3, 0x0f, 0x1e, 0xfa, 0x49, 0x3b, 0x66, 0x10, 0x76, 0x05, 0x90};
  auto s = choose_entry_site(bytes(code), kEntry);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->func_offset, 8u);
}

TEST(EntrySite, LeafFallsBackToEntry) {
  B code = {0x48, 0x8b, 0x40, 0x08, 0xc3};  // mov rax,[rax+8]; ret
  auto s = choose_entry_site(bytes(code), kEntry);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->func_offset, 0u);
  EXPECT_EQ(s->insn_class, InsnClass::kSingleStepped);
  EXPECT_NE(s->reason.find("no stack-bound check"), std::string::npos) << s->reason;
}

TEST(EntrySite, ArgumentClobberFallsBack) {
  B code = {0x48, 0x89, 0xd8, 0x49, 0x3b, 0x66, 0x10, 0x76, 0x05};  // mov rax,rbx; cmp; jbe
  auto s = choose_entry_site(bytes(code), kEntry);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->func_offset, 0u);
  EXPECT_NE(s->reason.find("writes argument register rax"), std::string::npos) << s->reason;
}

TEST(EntrySite, MemoryWriteFallsBack) {
  B code = {0x4c, 0x89, 0x24, 0x24, 0x49, 0x3b, 0x66, 0x10, 0x76, 0x05};  // mov [rsp],r12; ...
  auto s = choose_entry_site(bytes(code), kEntry);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->func_offset, 0u);
  EXPECT_NE(s->reason.find("writes memory"), std::string::npos) << s->reason;
}

TEST(ReturnSites, FindsEveryRet) {
  // cmp; jbe +1; ret; xor eax,eax; ret; int3 padding
  B code = {0x49, 0x3b, 0x66, 0x10, 0x76, 0x01, 0xc3, 0x31, 0xc0, 0xc3, 0xcc, 0xcc};
  auto r = find_return_sites(bytes(code), kEntry);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].func_offset, 6u);
  EXPECT_EQ((*r)[1].func_offset, 9u);
  EXPECT_EQ((*r)[1].insn_class, InsnClass::kSingleStepped);
}

}  // namespace
}  // namespace goinstr::obj
