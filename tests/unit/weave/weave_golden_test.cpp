// SPDX-License-Identifier: Apache-2.0
// Golden tests of the rewriter with the compiled-in rules (data/rules): golden/NAME.go, whose
// first line says which package it stands for ("// weave: net/http", or "module" for a package
// of the user's own module), is woven into exactly golden/NAME.woven. Every woven file must
// parse again, and each /*line*/ directive must name the original position of the text after
// it. After an intended change, regenerate with GOINSTR_UPDATE_GOLDEN=1 and review the diff.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "gosrc/parser.hpp"
#include "tests/support/files.hpp"
#include "weave/rules.hpp"
#include "weave/weaver.hpp"

namespace goinstr::weave {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> inputs() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(GOINSTR_WEAVE_GOLDEN_DIR))
    if (e.path().extension() == ".go") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<const Rule*> rules_for(const RuleSet& set, const std::string& target,
                                   std::string_view package_name) {
  if (target != "module") return set.for_import_path(target);
  std::vector<const Rule*> out;
  for (const auto& r : set.rules)
    if (r.package == kModulePackages || (r.package == kMainPackages && package_name == "main"))
      out.push_back(&r);
  return out;
}

// Each /*line PATH:L:C*/ must be followed by the byte that sits at L:C in the original, except
// one starting a line: it attributes inserted statements to the place after the `{` they follow.
void expect_line_directives_map_back(const std::string& woven, const gosrc::File& original,
                                     const std::string& path) {
  std::string marker = "/*line " + path + ":";
  size_t count = 0;
  for (size_t at = woven.find(marker); at != std::string::npos; at = woven.find(marker, at + 1)) {
    size_t close = woven.find("*/", at);
    ASSERT_NE(close, std::string::npos);
    std::string lc = woven.substr(at + marker.size(), close - at - marker.size());
    uint32_t line = std::stoul(lc.substr(0, lc.find(':')));
    uint32_t col = std::stoul(lc.substr(lc.find(':') + 1));
    gosrc::Pos offset = original.lines.line_start(line) + col - 1;
    ASSERT_LT(offset, original.source().size() + 1);
    if (at > 0 && woven[at - 1] == '\n') {
      ASSERT_GT(offset, 0U);
      EXPECT_EQ(original.source()[offset - 1], '{') << "directive " << lc;
    } else {
      char expected = offset < original.source().size() ? original.source()[offset] : '\0';
      char got = close + 2 < woven.size() ? woven[close + 2] : '\0';
      EXPECT_EQ(got, expected) << "directive " << lc;
    }
    ++count;
  }
  EXPECT_GT(count, 0U);
}

TEST(WeaveGolden, FilesMatch) {
  auto rules = load_rules();
  ASSERT_TRUE(rules) << rules.error().message;
  const bool update = std::getenv("GOINSTR_UPDATE_GOLDEN") != nullptr;
  auto files = inputs();
  ASSERT_GE(files.size(), 5U);
  for (const fs::path& in : files) {
    SCOPED_TRACE(in.filename().string());
    std::string text = testing::read_file(in);
    ASSERT_TRUE(text.starts_with("// weave: "));
    std::string target = text.substr(10, text.find('\n') - 10);
    const std::string path = "/src/" + in.filename().string();  // stable across machines
    auto file = gosrc::parse_source(path, text);
    ASSERT_TRUE(file) << file.error().message;
    auto woven = weave_file(*file, path, rules_for(*rules, target, file->name->name));
    ASSERT_TRUE(woven) << woven.error().message;
    ASSERT_TRUE(woven->has_value()) << "no rule matched";
    const std::string& got = (*woven)->text;

    auto reparsed = gosrc::parse_source(path, got);
    EXPECT_TRUE(reparsed) << "woven file does not parse: " << reparsed.error().message;
    expect_line_directives_map_back(got, *file, path);

    fs::path golden = in;
    golden.replace_extension(".woven");
    if (update) {
      std::ofstream(golden, std::ios::binary) << got;
      continue;
    }
    EXPECT_EQ(got, testing::read_file(golden))
        << "regenerate with GOINSTR_UPDATE_GOLDEN=1 if intended";
  }
}

TEST(WeaveGolden, DeclarationsFileMatches) {
  auto rules = load_rules();
  ASSERT_TRUE(rules) << rules.error().message;
  for (std::string pkg : {"net/http", "database/sql", "os"}) {
    SCOPED_TRACE(pkg);
    std::string name = pkg.substr(pkg.rfind('/') + 1);
    auto decls = declarations_file(name, rules->for_import_path(pkg));
    ASSERT_TRUE(decls);
    EXPECT_TRUE(gosrc::parse_source("decls.go", *decls)) << *decls;
    std::string stem = pkg;
    std::replace(stem.begin(), stem.end(), '/', '_');
    fs::path golden = fs::path(GOINSTR_WEAVE_GOLDEN_DIR) / ("declarations_" + stem + ".woven");
    if (std::getenv("GOINSTR_UPDATE_GOLDEN") != nullptr) {
      std::ofstream(golden, std::ios::binary) << *decls;
      continue;
    }
    EXPECT_EQ(*decls, testing::read_file(golden));
  }
}

TEST(Weave, FileWithoutMatchesIsLeftAlone) {
  auto rules = load_rules();
  ASSERT_TRUE(rules);
  auto file = gosrc::parse_source("x.go", "package http\n\nfunc (s *Server) ServeHTTP() {}\n");
  ASSERT_TRUE(file);
  auto woven = weave_file(*file, "x.go", rules->for_import_path("net/http"));
  ASSERT_TRUE(woven);
  EXPECT_FALSE(woven->has_value());
}

TEST(Weave, RuleOnFunctionWithoutBodyFails) {
  auto rules = load_rules();
  ASSERT_TRUE(rules);
  auto file = gosrc::parse_source("x.go", "package os\n\nfunc Exit(code int)\n");
  ASSERT_TRUE(file);
  auto woven = weave_file(*file, "x.go", rules->for_import_path("os"));
  ASSERT_FALSE(woven);
  EXPECT_NE(woven.error().message.find("has no body"), std::string::npos) << woven.error().message;
}

TEST(Weave, QualifiedNames) {
  auto file =
      gosrc::parse_source("x.go",
                          "package store\nfunc F() {}\nfunc (s *S) M() {}\nfunc (s S) V() {}\n"
                          "func (g *G[K]) W() {}\n");
  ASSERT_TRUE(file);
  std::vector<std::string> names;
  for (const auto* d : file->decls)
    names.push_back(qualified_name(*file, *gosrc::dyn_cast<gosrc::FuncDecl>(d)));
  EXPECT_EQ(names,
            (std::vector<std::string>{"store.F", "store.(*S).M", "store.S.V", "store.(*G).W"}));
}

}  // namespace
}  // namespace goinstr::weave
