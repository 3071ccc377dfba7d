// SPDX-License-Identifier: Apache-2.0
// The parser against the real thing: every .go file in the standard library and toolchain
// sources of each Go installation found (see find_goroots): the toolchain `go` resolves to
// (required; Go 1.26 on the build machines), and Go 1.19 and 1.27 when present.
//
// Files inside `testdata` directories are skipped: the go command ignores testdata, and Go's own
// parser and type checker tests keep deliberately invalid programs there.
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "gosrc/dump.hpp"
#include "test_util.hpp"

namespace goinstr::gosrc::testing {
namespace {

namespace fs = std::filesystem;

struct RunStats {
  size_t files = 0;
  size_t bytes = 0;
  std::vector<std::string> failures;
  double seconds = 0;
};

RunStats parse_all(const std::vector<fs::path>& files) {
  RunStats st;
  const auto t0 = std::chrono::steady_clock::now();
  for (const fs::path& p : files) {
    auto f = parse_file(p);
    ++st.files;
    if (!f) {
      st.failures.push_back(f.error().message);
      continue;
    }
    st.bytes += f->source().size();
  }
  st.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return st;
}

TEST(Goroot, GorootParses) {
  std::string notes;
  const std::vector<Goroot> roots = find_goroots(notes);
  if (!notes.empty()) std::printf("[gosrc] %s", notes.c_str());
  for (const Goroot& g : roots) {
    if (g.root.empty()) {
      ADD_FAILURE() << "required Go toolchain not found:\n" << notes;
      continue;
    }
    SCOPED_TRACE(g.version + " " + g.root.string());
    const std::vector<fs::path> files = go_files(g.root / "src");
    ASSERT_GT(files.size(), 1000U) << "too few .go files under " << g.root / "src";
    const RunStats st = parse_all(files);
    std::printf("[gosrc] %s %s/src: %zu files parsed, %.1f MB, %.2f s (%.0f MB/s), %zu failed\n",
                g.version.c_str(), g.root.c_str(), st.files, st.bytes / 1e6, st.seconds,
                st.bytes / 1e6 / st.seconds, st.failures.size());
    for (size_t i = 0; i < st.failures.size() && i < 30; ++i) ADD_FAILURE() << st.failures[i];
    EXPECT_EQ(st.failures.size(), 0U);
  }
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Differential test: go_ast_dump/main.go prints go/parser's tree in our dump format (every node,
// its byte offsets, and the doc and line comments attached to it). For every 10th .go file of
// the installed toolchain's GOROOT, both must print the same text. (All files of Go 1.19, 1.26
// and 1.27 matched when this was written; a sample keeps the test fast, since go/ast dumping
// is slow.)
TEST(Goroot, MatchesGoParser) {
  std::string notes;
  std::vector<Goroot> roots = find_goroots(notes);
  std::erase_if(roots, [](const Goroot& g) { return !g.required || g.root.empty(); });
  if (roots.empty()) GTEST_SKIP() << "no Go toolchain: " << notes;
  const Goroot& g = roots.front();
  const fs::path go = g.root / "bin" / "go";

  char tmpl[] = "/tmp/goinstr-gosrc-tests-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const fs::path tmp = tmpl;
  const std::string build = "cd " GOINSTR_GOSRC_GO_AST_DUMP_DIR
                            " && GOTOOLCHAIN=local GOFLAGS= GOWORK=off " +
                            go.string() + " build -o " + (tmp / "go_ast_dump").string() + " . 2>&1";
  ASSERT_EQ(std::system(build.c_str()), 0) << build;

  std::vector<fs::path> files = go_files(g.root / "src");
  std::string list;
  std::string expected;
  const DumpOptions opt{.positions = true, .comments = true, .one_line = true};
  size_t n = 0;
  for (size_t i = 0; i < files.size(); i += 10, ++n) {
    list += files[i].string() + "\n";
    auto f = parse_file(files[i]);
    expected += "== " + files[i].string() + "\n" + (f ? ast_dump(*f, opt) : "ERROR\n");
  }
  std::ofstream(tmp / "files.txt") << list;
  const std::string run = (tmp / "go_ast_dump").string() + " < " + (tmp / "files.txt").string() +
                          " > " + (tmp / "go.txt").string();
  ASSERT_EQ(std::system(run.c_str()), 0) << run;
  const std::string got = read_all(tmp / "go.txt");
  fs::remove_all(tmp);
  std::printf("[gosrc] %s: %zu files compared with go/parser\n", g.version.c_str(), n);
  if (got == expected) return;
  // Report the first file whose dump differs, around the first differing byte.
  size_t at = 0;
  while (at < got.size() && at < expected.size() && got[at] == expected[at]) ++at;
  const size_t file_start = expected.rfind("\n== ", at);
  FAIL() << "first difference in " << expected.substr(file_start + 1, 120) << "...\n"
         << "go/parser: ..." << got.substr(at > 100 ? at - 100 : 0, 250) << "\n"
         << "gosrc:     ..." << expected.substr(at > 100 ? at - 100 : 0, 250);
}

}  // namespace
}  // namespace goinstr::gosrc::testing
