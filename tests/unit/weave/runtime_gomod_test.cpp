// SPDX-License-Identifier: Apache-2.0
// The runtime module's generated go.mod: the user's go line exactly, no toolchain line, yaml.v3
// at the version the user's graph selects (else v3.0.1), the otel API only when the graph has
// both modules, and a clear stop below go 1.13. Then the materialised directory: the embedded
// non-test files with that go.mod, otelbridge/ only with the otel API, keyed by both.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "common/embedded.hpp"
#include "gobuild/otel_use.hpp"
#include "gobuild/runtime_module.hpp"

namespace goinstr {
extern const EmbeddedFile kEmbeddedRuntime[];
extern const size_t kEmbeddedRuntime_count;
}  // namespace goinstr

namespace goinstr::gobuild {
namespace {

namespace fs = std::filesystem;

std::vector<ListedModule> graph(const std::string& list) {
  return parse_module_list(list);
}

// The bridge only for programs that use the API: a graph with otel (grpc's has it) is not enough.
TEST(RuntimeGoMod, NoBridgeWhenTheProgramDoesNotImportOpenTelemetry) {
  auto req = choose_runtime_requirements(
      "1.22",
      graph("m\ngo.opentelemetry.io/otel v1.45.0\ngo.opentelemetry.io/otel/trace v1.45.0\n"),
      /*program_uses_otel=*/false);
  ASSERT_TRUE(req) << req.error().message;
  EXPECT_FALSE(req->otel_bridge());
  EXPECT_EQ(runtime_gomod(*req).find("go.opentelemetry.io"), std::string::npos);
}

TEST(OtelUse, FindsAnImportInTheModuleButNotInNestedModulesOrTestdata) {
  fs::path root = fs::temp_directory_path() / ("goinstr-oteluse-" + std::to_string(getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "pkg");
  fs::create_directories(root / "testdata");
  fs::create_directories(root / "nested");
  std::ofstream(root / "go.mod") << "module m\n\ngo 1.22\n";
  std::ofstream(root / "main.go") << "package main\n\nimport \"net/http\"\n";
  std::ofstream(root / "testdata" / "x.go") << "package x\n\nimport \"go.opentelemetry.io/otel\"\n";
  std::ofstream(root / "nested" / "go.mod") << "module n\n";
  std::ofstream(root / "nested" / "n.go") << "package n\n\nimport \"go.opentelemetry.io/otel\"\n";
  EXPECT_FALSE(program_imports_opentelemetry({root}));
  std::ofstream(root / "pkg" / "p_test.go")
      << "package pkg\n\nimport (\n\t\"go.opentelemetry.io/otel/trace\"\n)\n";
  EXPECT_TRUE(program_imports_opentelemetry({root})) << "test files count (goinstr go test)";
  fs::remove_all(root);
}

TEST(RuntimeGoMod, TakesTheGoLineAndSelectedYaml) {
  auto req = choose_runtime_requirements(
      "1.21.3", graph("m\ngopkg.in/yaml.v3 v3.0.0-20200313102051-9f266ea9e77c\n"));
  ASSERT_TRUE(req) << req.error().message;
  EXPECT_FALSE(req->otel_bridge());
  EXPECT_EQ(runtime_gomod(*req),
            "module goinstr.dev/rt\n\ngo 1.21.3\n\nrequire (\n"
            "\tgopkg.in/yaml.v3 v3.0.0-20200313102051-9f266ea9e77c\n)\n");
}

TEST(RuntimeGoMod, DefaultYamlAndNoToolchainLine) {
  auto req = choose_runtime_requirements("1.13", graph("m\ngithub.com/lib/pq v1.10.9\n"));
  ASSERT_TRUE(req) << req.error().message;
  std::string text = runtime_gomod(*req);
  EXPECT_NE(text.find("\tgopkg.in/yaml.v3 v3.0.1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\ngo 1.13\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("toolchain"), std::string::npos) << text;
  EXPECT_EQ(text.find("otel"), std::string::npos) << text;
}

TEST(RuntimeGoMod, OtelApiAtTheSelectedVersionsWhenBothAreThere) {
  auto both = choose_runtime_requirements(
      "1.21", graph("m\ngo.opentelemetry.io/otel v1.24.0\ngo.opentelemetry.io/otel/trace "
                    "v1.24.0\ngo.opentelemetry.io/otel/metric v1.24.0\n"));
  ASSERT_TRUE(both);
  EXPECT_TRUE(both->otel_bridge());
  std::string text = runtime_gomod(*both);
  EXPECT_NE(text.find("\tgo.opentelemetry.io/otel v1.24.0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\tgo.opentelemetry.io/otel/trace v1.24.0\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("metric"), std::string::npos) << text;

  auto only_api =
      choose_runtime_requirements("1.21", graph("m\ngo.opentelemetry.io/otel v1.24.0\n"));
  ASSERT_TRUE(only_api);
  EXPECT_FALSE(only_api->otel_bridge()) << "no trace module: nothing to bridge to";
}

TEST(RuntimeGoMod, StopsWithoutAGoLineOrBelow113) {
  auto none = choose_runtime_requirements("", {});
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message.find("no go line"), std::string::npos) << none.error().message;
  auto old = choose_runtime_requirements("1.12", {});
  ASSERT_FALSE(old);
  EXPECT_NE(old.error().message.find("go 1.12"), std::string::npos) << old.error().message;
  EXPECT_NE(old.error().message.find("go 1.13"), std::string::npos) << old.error().message;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

TEST(RuntimeModuleDir, EmbeddedFilesWithTheGeneratedGoMod) {
  fs::path cache = fs::temp_directory_path() / ("goinstr-rtmod-" + std::to_string(getpid()));
  fs::remove_all(cache);
  auto plain_req = choose_runtime_requirements("1.22", graph("m\n"));
  auto otel_req = choose_runtime_requirements(
      "1.22",
      graph("m\ngo.opentelemetry.io/otel v1.38.0\ngo.opentelemetry.io/otel/trace v1.38.0\n"));
  ASSERT_TRUE(plain_req && otel_req);
  auto plain = materialize_runtime_module(cache, *plain_req);
  auto otel = materialize_runtime_module(cache, *otel_req);
  ASSERT_TRUE(plain && otel);
  EXPECT_NE(plain->dir, otel->dir) << "keyed by the generated go.mod too";
  EXPECT_EQ(slurp(plain->dir / "go.mod"), runtime_gomod(*plain_req));
  EXPECT_EQ(slurp(otel->dir / "go.mod"), runtime_gomod(*otel_req));
  EXPECT_FALSE(otel->dir.empty());
  EXPECT_TRUE(otel->otel_bridge);
  EXPECT_FALSE(plain->otel_bridge);

  ASSERT_GT(kEmbeddedRuntime_count, 0u);
  for (size_t i = 0; i < kEmbeddedRuntime_count; ++i) {
    std::string path(kEmbeddedRuntime[i].path);
    EXPECT_TRUE(path.ends_with(".go") && !path.ends_with("_test.go")) << path;
    EXPECT_NE(path, "go.sum");
    bool bridge = path.starts_with("otelbridge/");
    EXPECT_EQ(fs::exists(plain->dir / path), !bridge) << path;
    EXPECT_TRUE(fs::exists(otel->dir / path)) << path;
    EXPECT_EQ(slurp(otel->dir / path), kEmbeddedRuntime[i].text) << path;
  }
  EXPECT_TRUE(fs::exists(otel->dir / "internal/model/model.go")) << "subdirectories embedded";

  // A second call finds the directory; the marker says what it holds.
  auto again = existing_runtime_module(otel->dir);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->digest, otel->digest);
  EXPECT_TRUE(again->otel_bridge);
  EXPECT_FALSE(existing_runtime_module(cache / "rt" / "gone"));
  fs::remove_all(cache);
}

}  // namespace
}  // namespace goinstr::gobuild
