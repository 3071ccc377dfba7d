// SPDX-License-Identifier: Apache-2.0
// The version-identity check's reading of the go command: `go list -m all` lines (main modules,
// versions, replacements by directory and by module), `go mod graph` edges, go lines, and the
// error that names each changed module, both versions and the requirement that raised it.
#include <gtest/gtest.h>

#include "gobuild/module_list.hpp"

namespace goinstr::gobuild {
namespace {

constexpr const char* kPlainList =
    "example.com/app\n"
    "github.com/lib/pq v1.10.9\n"
    "gopkg.in/check.v1 v0.0.0-20160105164936-4f90aeace3a2\n"
    "golang.org/x/net v0.20.0 => golang.org/x/net v0.19.0\n"
    "example.com/fork v1.2.0 => ../my fork\n"
    "example.com/local v0.0.0-00010101000000-000000000000 => /abs/local\r\n";

TEST(ModuleList, ParsesMainModulesVersionsAndReplacements) {
  auto list = parse_module_list(kPlainList);
  ASSERT_EQ(list.size(), 6u);
  EXPECT_EQ(list[0], (ListedModule{"example.com/app", "", ""}));
  EXPECT_EQ(list[0].describe(), "(main module)");
  EXPECT_EQ(list[1], (ListedModule{"github.com/lib/pq", "v1.10.9", ""}));
  EXPECT_EQ(list[3], (ListedModule{"golang.org/x/net", "v0.20.0", "golang.org/x/net v0.19.0"}));
  EXPECT_EQ(list[3].describe(), "v0.20.0 => golang.org/x/net v0.19.0");
  EXPECT_EQ(list[4].replace, "../my fork") << "a directory may hold spaces";
  EXPECT_EQ(list[5].replace, "/abs/local") << "CR of CRLF output dropped";
  ASSERT_NE(find_module(list, "gopkg.in/check.v1"), nullptr);
  EXPECT_EQ(find_module(list, "gopkg.in/check.v1")->version, "v0.0.0-20160105164936-4f90aeace3a2");
  EXPECT_EQ(find_module(list, "gopkg.in/check"), nullptr);
  EXPECT_TRUE(parse_module_list("\n\n").empty());
}

TEST(ModuleList, ParsesTheModuleGraph) {
  auto graph = parse_module_graph(
      "example.com/app go@1.22\n"
      "example.com/app gopkg.in/yaml.v3@v3.0.1\n"
      "gopkg.in/yaml.v3@v3.0.1 gopkg.in/check.v1@v0.0.0-20161208181325-20d25e280405\n"
      "garbage\n");
  ASSERT_EQ(graph.size(), 3u);
  EXPECT_EQ(graph[2].from, "gopkg.in/yaml.v3@v3.0.1");
  EXPECT_EQ(graph[2].to, "gopkg.in/check.v1@v0.0.0-20161208181325-20d25e280405");
}

TEST(ModuleList, GoLines) {
  EXPECT_EQ(go_directive("module m\n\ngo 1.21\n"), "1.21");
  EXPECT_EQ(go_directive("module m\r\ngo 1.22.3 // pinned\r\ntoolchain go1.26.8\r\n"), "1.22.3");
  EXPECT_EQ(go_directive("module m\ngodebug default=go1.22\n"), "");
  EXPECT_EQ(go_directive("go 1.23.0\nuse ./a\n"), "1.23.0") << "go.work";
  EXPECT_TRUE(go_line_at_least("1.13", 1, 13));
  EXPECT_TRUE(go_line_at_least("1.22rc1", 1, 13));
  EXPECT_TRUE(go_line_at_least("2.0", 1, 13));
  EXPECT_FALSE(go_line_at_least("1.12", 1, 13));
  EXPECT_FALSE(go_line_at_least("", 1, 13));
}

BuildIdentity identity(const std::string& go_line, const std::string& list) {
  return {go_line, parse_module_list(list)};
}

TEST(ModuleList, AddedModulesKeepTheIdentity) {
  BuildIdentity plain = identity("1.22", kPlainList);
  std::string added = std::string(kPlainList) +
                      "goinstr.dev/rt v0.0.0 => /cache/rt/0123\n"
                      "gopkg.in/yaml.v3 v3.0.1\n";
  EXPECT_TRUE(same_identity(plain, identity("1.22", added)));
  EXPECT_FALSE(same_identity(plain, identity("1.23", added))) << "go line changed";
}

TEST(ModuleList, ReplacementsAreCompared) {
  BuildIdentity plain = identity("1.22", "m\nx v1.0.0 => ./fork\n");
  EXPECT_FALSE(same_identity(plain, identity("1.22", "m\nx v1.0.0\n")));
  EXPECT_FALSE(same_identity(plain, identity("1.22", "m\nx v1.0.0 => ./other\n")));
  EXPECT_TRUE(same_identity(plain, identity("1.22", "m\nx v1.0.0 => ./fork\n")));
}

TEST(ModuleList, LiftedModuleIsNamedWithBothVersionsAndWhy) {
  BuildIdentity plain = identity("1.22", kPlainList);
  std::string lifted = kPlainList;
  lifted.replace(lifted.find("v0.0.0-20160105164936-4f90aeace3a2"), 34,
                 "v0.0.0-20161208181325-20d25e280405");
  BuildIdentity woven = identity("1.22", lifted + "gopkg.in/yaml.v3 v3.0.1\n");
  ASSERT_FALSE(same_identity(plain, woven));
  auto graph = parse_module_graph(
      // go get rewrote the copy's own requirement: that edge explains nothing.
      "example.com/app gopkg.in/check.v1@v0.0.0-20161208181325-20d25e280405\n"
      "goinstr.dev/rt@v0.0.0 gopkg.in/yaml.v3@v3.0.1\n"
      "gopkg.in/yaml.v3@v3.0.1 gopkg.in/check.v1@v0.0.0-20161208181325-20d25e280405\n");
  std::string msg = describe_identity_change(plain, woven, graph);
  EXPECT_NE(msg.find("gopkg.in/check.v1: v0.0.0-20160105164936-4f90aeace3a2 in your build, "
                     "v0.0.0-20161208181325-20d25e280405 in the instrumented build (gopkg.in/"
                     "yaml.v3@v3.0.1 requires gopkg.in/check.v1@v0.0.0-20161208181325-"
                     "20d25e280405)"),
            std::string::npos)
      << msg;
  EXPECT_EQ(msg.find("example.com/app requires"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("lib/pq"), std::string::npos) << "unchanged modules are not listed: " << msg;
  EXPECT_EQ(msg.find("go line:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("stops before compiling"), std::string::npos) << msg;
}

TEST(ModuleList, GoLineChangeAndMissingModule) {
  BuildIdentity plain = identity("1.21", "m\na v1.0.0\nb v1.0.0 => ../b\n");
  BuildIdentity woven = identity("1.22", "m\nb v1.0.0 => ../c\n");
  auto graph = parse_module_graph("x.org/y@v1.5.0 go@1.22\n");
  std::string msg = describe_identity_change(plain, woven, graph);
  EXPECT_NE(msg.find("go line: go 1.21 in your build, go 1.22 in the instrumented build "
                     "(x.org/y@v1.5.0 requires go@1.22)"),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find("a: v1.0.0 in your build, absent from the instrumented build"),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find("b: v1.0.0 => ../b in your build, v1.0.0 => ../c in the instrumented build "
                     "(selected once goinstr.dev/rt is added)"),
            std::string::npos)
      << "no edge found: still both versions; " << msg;
}

}  // namespace
}  // namespace goinstr::gobuild
