// SPDX-License-Identifier: Apache-2.0
// goinstr_obj against real binaries of tests/testapps/httpserver (see go_fixture.hpp).
#include <gtest/gtest.h>

#include <fstream>

#include "agent/probe_plan.hpp"
#include "go_fixture.hpp"
#include "obj/go_binary.hpp"
#include "obj/offset_table.hpp"

namespace goinstr::obj {
namespace {

using testing::GoFixtures;
using testing::Variant;

constexpr const char* kModule = "goinstr.dev/testapps/httpserver";

class GoBinaryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    GoFixtures& f = GoFixtures::get();
    for (const Variant& v : f.variants()) {
      auto bin = GoBinary::open(v.path);
      ASSERT_TRUE(bin) << v.name << ": " << bin.error().message;
      binaries_->emplace(v.name, std::move(*bin));
    }
    if (!f.notes().empty()) std::printf("[ fixtures ] %s", f.notes().c_str());
  }
  static void TearDownTestSuite() {
    binaries_->clear();
    GoFixtures::get().cleanup();
  }
  void SetUp() override {
    if (GoFixtures::get().variants().empty()) GTEST_SKIP() << "no Go toolchain: no fixtures";
  }
  // Binaries of one kind, by toolchain name.
  static std::vector<std::pair<const Variant*, const GoBinary*>> of_kind(const std::string& kind) {
    std::vector<std::pair<const Variant*, const GoBinary*>> out;
    for (const Variant& v : GoFixtures::get().variants()) {
      if (v.kind == kind) out.emplace_back(&v, &binaries_->at(v.name));
    }
    return out;
  }
  static const GoBinary* binary(const std::string& toolchain, const std::string& kind) {
    const Variant* v = GoFixtures::get().find(toolchain, kind);
    return v ? &binaries_->at(v->name) : nullptr;
  }
  static inline auto binaries_ = std::make_unique<std::map<std::string, GoBinary>>();
};

TEST_F(GoBinaryTest, BuildInfo) {
  for (const Variant& v : GoFixtures::get().variants()) {
    const GoBinary& bin = binaries_->at(v.name);
    EXPECT_EQ(bin.go_version(), v.toolchain.version) << v.name;
    EXPECT_EQ(bin.build_info().main_path, kModule) << v.name;
    EXPECT_EQ(bin.build_info().main_module.path, kModule) << v.name;
    EXPECT_FALSE(bin.build_id().empty()) << v.name;
  }
}

TEST_F(GoBinaryTest, Flags) {
  for (const Variant& v : GoFixtures::get().variants()) {
    const GoBinary& bin = binaries_->at(v.name);
    bool stripped = v.kind.find("stripped") != std::string::npos;
    EXPECT_EQ(bin.has_symbols(), !stripped) << v.name;
    EXPECT_EQ(bin.has_dwarf(), !stripped) << v.name;
    EXPECT_EQ(bin.is_pie(), v.kind.starts_with("pie")) << v.name;
    if (v.kind == "static") {
      EXPECT_TRUE(bin.is_static()) << v.name;
    }
    EXPECT_STREQ(bin.function_source(), stripped ? ".gopclntab" : ".symtab") << v.name;
  }
}

// -s -w drops .symtab and DWARF but moves no code: stripped lookups go through .gopclntab and its
// text base (moduledata on Go 1.26+), so equal addresses check that whole path.
TEST_F(GoBinaryTest, StrippedFindsSameFunctions) {
  for (const auto& [plain_kind, stripped_kind] :
       {std::pair{"plain", "stripped"}, std::pair{"pie", "pie-stripped"}}) {
    for (const auto& [v, plain] : of_kind(plain_kind)) {
      const GoBinary* stripped = binary(v->toolchain.name, stripped_kind);
      if (stripped == nullptr) continue;
      EXPECT_EQ(plain->text_base(), stripped->text_base()) << v->name;
      for (const auto& hook : agent::kHttpServerHooks) {
        auto a = plain->find_function(hook.symbol);
        auto b = stripped->find_function(hook.symbol);
        ASSERT_TRUE(a && b) << v->name << " " << hook.symbol;
        EXPECT_EQ(a->entry, b->entry) << v->name << " " << hook.symbol;
        // .symtab sizes exclude the int3 padding that pclntab ends include.
        EXPECT_LE(a->end, b->end) << v->name;
        EXPECT_LT(b->end - a->end, 64u) << v->name;
      }
    }
  }
}

TEST_F(GoBinaryTest, TextBaseSource) {
  for (const auto& [v, bin] : of_kind("stripped")) {
    bool has_text_start = v->toolchain.name == "go1.19";
    EXPECT_NE(bin->text_base_source().find(has_text_start ? "textStart" : "firstmoduledata"),
              std::string::npos)
        << v->name << ": " << bin->text_base_source();
  }
  for (const auto& [v, bin] : of_kind("pie-stripped")) {
    if (v->toolchain.name == "go1.19") continue;
    EXPECT_NE(bin->text_base_source().find("R_X86_64_RELATIVE"), std::string::npos)
        << v->name << ": " << bin->text_base_source();
  }
}

TEST_F(GoBinaryTest, EntrySiteIsEmulatedPrologueJump) {
  for (const Variant& v : GoFixtures::get().variants()) {
    const GoBinary& bin = binaries_->at(v.name);
    for (const auto& hook : agent::kHttpServerHooks) {
      auto fn = bin.find_function(hook.symbol);
      ASSERT_TRUE(fn) << v.name << " " << hook.symbol;
      auto site = bin.entry_probe_site(*fn);
      ASSERT_TRUE(site) << site.error().message;
      SCOPED_TRACE(v.name + " " + std::string(hook.symbol) + ": " + site->insn + " (" +
                   site->reason + ")");
      EXPECT_EQ(site->insn_class, InsnClass::kEmulated);
      EXPECT_GT(site->func_offset, 0u);
      EXPECT_TRUE(site->insn.starts_with("jbe") || site->insn.starts_with("jb "));
      EXPECT_EQ(site->vaddr, fn->entry + site->func_offset);
      EXPECT_EQ(bin.file_offset(site->vaddr), site->file_offset);
      auto at0 = bin.site_at(*fn, 0);
      ASSERT_TRUE(at0);
      EXPECT_EQ(at0->insn_class, InsnClass::kSingleStepped) << at0->insn;
    }
  }
}

TEST_F(GoBinaryTest, ReturnSites) {
  for (const Variant& v : GoFixtures::get().variants()) {
    const GoBinary& bin = binaries_->at(v.name);
    for (const auto& hook : agent::kHttpServerHooks) {
      auto fn = bin.find_function(hook.symbol);
      ASSERT_TRUE(fn);
      auto rets = bin.return_sites(*fn);
      ASSERT_TRUE(rets) << rets.error().message;
      EXPECT_GE(rets->size(), 1u) << v.name << " " << hook.symbol;
      for (const ProbeSite& r : *rets) {
        EXPECT_EQ(r.insn, "ret");
        EXPECT_EQ(r.insn_class, InsnClass::kSingleStepped);
        EXPECT_LT(r.vaddr, fn->end);
      }
    }
  }
}

// The table is generated from DWARF of the same toolchains, so it must agree field by field,
// including which optional fields are absent.
TEST_F(GoBinaryTest, DwarfOffsetsMatchTable) {
  for (const auto& [v, bin] : of_kind("plain")) {
    for (const auto& f : agent::kHttpServerFields) {
      SCOPED_TRACE(v->name + " " + std::string(f.type) + "." + std::string(f.field));
      auto dwarf = bin->field_offset(f.type, f.field);
      auto table = table_field_offset(bin->go_version(), f.type, f.field);
      if (!dwarf) {
        EXPECT_TRUE(f.optional) << dwarf.error().message;
        EXPECT_FALSE(table);
        continue;
      }
      EXPECT_EQ(dwarf->source, OffsetSource::kDwarf);
      ASSERT_TRUE(table) << table.error().message;
      EXPECT_EQ(dwarf->offset, table->offset);
      EXPECT_EQ(table->detail, "table " + v->toolchain.name);
    }
  }
}

TEST_F(GoBinaryTest, StrippedUsesTable) {
  for (const auto& [v, bin] : of_kind("stripped")) {
    auto off = bin->field_offset("net/http.Request", "URL");
    ASSERT_TRUE(off) << v->name << ": " << off.error().message;
    EXPECT_EQ(off->source, OffsetSource::kTable);
    EXPECT_EQ(off->detail, "table " + v->toolchain.name);
    EXPECT_EQ(off->offset, 16u);
    EXPECT_FALSE(bin->field_offset("net/http.Request", "NoSuchField"));
  }
}

TEST(GoBinaryErrors, NotGo) {
  auto r = GoBinary::open("/bin/ls");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "/bin/ls: not a Go binary (no .go.buildinfo or .gopclntab section)");
}

TEST(GoBinaryErrors, TextFile) {
  std::string path = ::testing::TempDir() + "/goinstr-obj-text.txt";
  std::ofstream(path) << "just text\n";
  auto r = GoBinary::open(path);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, path + ": not an ELF file");
}

TEST(GoBinaryErrors, MissingFile) {
  auto r = GoBinary::open("/nonexistent/goinstr-test");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "/nonexistent/goinstr-test: No such file or directory");
  EXPECT_EQ(r.error().code, ENOENT);
}

}  // namespace
}  // namespace goinstr::obj
