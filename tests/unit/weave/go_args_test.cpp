// SPDX-License-Identifier: Apache-2.0
// `goinstr go ...` arguments: the flags goinstr merges are taken out, everything else passes
// through in order, and `go run` program arguments are never read as flags.
#include <gtest/gtest.h>

#include "gobuild/go_args.hpp"
#include "gobuild/toolexec.hpp"

namespace goinstr::gobuild {
namespace {

using Args = std::vector<std::string>;

TEST(GoArgs, BuildFlagsAreSplitOut) {
  auto a = parse_go_args({"build", "-tags", "a,b", "-o", "out", "-overlay=o.json", "-v", "./cmd"});
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->subcommand, "build");
  EXPECT_EQ(a->tags, (Args{"a", "b"}));
  EXPECT_EQ(a->overlay, "o.json");
  EXPECT_TRUE(a->verbose);
  EXPECT_EQ(a->rest, (Args{"-o", "out", "-v", "./cmd"}));
}

TEST(GoArgs, RunProgramArgumentsAreNotFlags) {
  auto a = parse_go_args({"run", "-race", ".", "-tags", "x", "-addr", ":8080"});
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->tags.empty());
  EXPECT_EQ(a->rest, (Args{"-race", ".", "-tags", "x", "-addr", ":8080"}));
}

TEST(GoArgs, TestFlagsMayFollowPackages) {
  auto a =
      parse_go_args({"test", "./...", "-run", "TestX", "-tags=integration", "-args", "-tags", "y"});
  ASSERT_TRUE(a);
  EXPECT_EQ(a->tags, (Args{"integration"}));
  EXPECT_EQ(a->rest, (Args{"./...", "-run", "TestX", "-args", "-tags", "y"}));
}

TEST(GoArgs, ChdirModAndModfile) {
  auto a = parse_go_args({"build", "-C", "sub", "-mod=mod", "-modfile", "alt.mod"});
  ASSERT_TRUE(a);
  EXPECT_EQ(a->chdir, "sub");
  EXPECT_EQ(a->mod, "mod");
  EXPECT_EQ(a->modfile, "alt.mod");
  EXPECT_TRUE(a->rest.empty());
}

TEST(GoArgs, Errors) {
  EXPECT_FALSE(parse_go_args({}));
  auto mod = parse_go_args({"mod", "tidy"});
  ASSERT_FALSE(mod);
  EXPECT_NE(mod.error().message.find("not a command goinstr instruments"), std::string::npos);
  EXPECT_NE(mod.error().message.find("list shows"), std::string::npos) << mod.error().message;
  EXPECT_FALSE(parse_go_args({"env", "GOFLAGS"}));
  EXPECT_FALSE(parse_go_args({"build", "-o"}));
  EXPECT_FALSE(parse_go_args({"build", "-v", "-x", "-C", "d"}));
}

}  // namespace
}  // namespace goinstr::gobuild

namespace goinstr::gobuild {
namespace {

TEST(ToolexecNestedBuild, BuildKeepsFlagsAndNamesTheLinkedPackage) {
  auto args = nested_build_args({"go", "build", "-toolexec", "goinstr toolexec", "-tags", "a",
                                 "-trimpath", "-o", "bin/app", "./cmd/app"},
                                "example.com/m/cmd/app", "/tmp/b001/exe/a.out");
  EXPECT_EQ(args, (Args{"go", "build", "-o", "/tmp/b001/exe/a.out", "-trimpath", "-tags=a",
                        "example.com/m/cmd/app"}));
}

TEST(ToolexecNestedBuild, RunAndFiles) {
  auto args = nested_build_args({"go", "run", "-toolexec=goinstr toolexec", "main.go", "-flag"},
                                "command-line-arguments", "/w/a.out");
  EXPECT_EQ(args, (Args{"go", "build", "-o", "/w/a.out", "main.go"}));
}

TEST(ToolexecNestedBuild, TestBinary) {
  auto args = nested_build_args(
      {"go", "test", "-toolexec", "goinstr toolexec", "-run", "X", "-race", "./store"},
      "example.com/m/store.test", "/w/store.test");
  EXPECT_EQ(args,
            (Args{"go", "test", "-c", "-o", "/w/store.test", "-race", "example.com/m/store"}));
}

TEST(ToolexecNestedBuild, UnknownCommandLinesAreRefused) {
  EXPECT_TRUE(nested_build_args({"go", "vet", "./..."}, "p", "/o").empty());
  EXPECT_TRUE(nested_build_args({"go", "build", "."}, "", "/o").empty());
  EXPECT_TRUE(nested_build_args({"go"}, "p", "/o").empty());
}

}  // namespace
}  // namespace goinstr::gobuild

namespace goinstr::gobuild {
namespace {

TEST(GoArgs, GoTestValueFlagsAreNotPackages) {
  auto a =
      parse_go_args({"test", "-skip", "^X$", "-parallel", "4", "-coverprofile", "c.out", "./..."});
  ASSERT_TRUE(a);
  EXPECT_EQ(a->rest, (Args{"-skip", "^X$", "-parallel", "4", "-coverprofile", "c.out", "./..."}));
  EXPECT_TRUE(flag_takes_value("skip"));
  EXPECT_FALSE(flag_takes_value("short"));
}

}  // namespace
}  // namespace goinstr::gobuild

namespace goinstr::gobuild {
namespace {

// `goinstr go list` passes through to go list over the instrumented module graph.
TEST(GoArgs, ListIsAccepted) {
  auto m = parse_go_args({"list", "-m", "all"});
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->subcommand, "list");
  EXPECT_EQ(m->rest, (Args{"-m", "all"}));
  auto f = parse_go_args({"list", "-tags", "x", "-m", "-f", "{{.GoVersion}}", "goinstr.dev/rt"});
  ASSERT_TRUE(f) << f.error().message;
  EXPECT_EQ(f->tags, (Args{"x"}));
  EXPECT_EQ(f->rest, (Args{"-m", "-f", "{{.GoVersion}}", "goinstr.dev/rt"}))
      << "-f takes the template as its value";
}

}  // namespace
}  // namespace goinstr::gobuild
