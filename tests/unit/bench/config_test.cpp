// SPDX-License-Identifier: Apache-2.0
// The bench configuration: the compiled-in defaults, a file layered over them, errors that point
// at the line, and the command templates' placeholders.
#include <gtest/gtest.h>

#include <algorithm>

#include "bench/config.hpp"
#include "bench/templates.hpp"

namespace goinstr::bench {
namespace {

const VariantConfig* find_variant(const BenchConfig& c, const std::string& name) {
  auto it = std::find_if(c.variants.begin(), c.variants.end(),
                         [&](const VariantConfig& v) { return v.name == name; });
  return it == c.variants.end() ? nullptr : &*it;
}

std::vector<std::string> names(const std::vector<VariantConfig>& list) {
  std::vector<std::string> out;
  for (const auto& v : list) out.push_back(v.name);
  return out;
}

TEST(BenchConfig, DefaultsAreTheTalksSetup) {
  BenchConfig c = default_config();
  ASSERT_TRUE(validate(c)) << validate(c).error().message;
  EXPECT_EQ(c.service_dir, "demo");
  EXPECT_EQ(c.service_ready, "listening on ");
  EXPECT_EQ(c.database_dsn, "postgres://postgres@127.0.0.1:55432/demo?sslmode=disable");
  EXPECT_EQ(c.otlp_endpoint, "http://127.0.0.1:4318");
  EXPECT_EQ(names(c.variants), (std::vector<std::string>{"baseline", "manual", "runtime-agent",
                                                         "compile-time", "obi"}));
  ASSERT_EQ(c.scenarios.size(), 3u);
  EXPECT_EQ(c.scenarios[1].name, "insert");
  EXPECT_EQ(c.scenarios[1].method, "POST");
  EXPECT_EQ(c.scenarios[1].needs, "database");
  EXPECT_EQ(c.scenarios[1].headers.at("Content-Type"), "application/json");
  EXPECT_EQ(c.repeats.full, 5);
  EXPECT_EQ(c.repeats.quick, 2);

  const VariantConfig* agent = find_variant(c, "runtime-agent");
  ASSERT_NE(agent, nullptr);
  EXPECT_TRUE(agent->needs_root);
  EXPECT_EQ(agent->attach_ready, "Ctrl-C to stop");
  EXPECT_EQ(agent->facts.privileges, "root (CAP_BPF, CAP_PERFMON)");
  EXPECT_FALSE(agent->facts.modifies_binary);
  const VariantConfig* manual = find_variant(c, "manual");
  ASSERT_NE(manual, nullptr);
  EXPECT_TRUE(manual->facts.modifies_source);
  EXPECT_EQ(manual->env.at("OTEL_EXPORTER_OTLP_ENDPOINT"), "{otlp}");
  const VariantConfig* compile = find_variant(c, "compile-time");
  ASSERT_NE(compile, nullptr);
  EXPECT_TRUE(compile->facts.modifies_binary);
  EXPECT_EQ(compile->build, "{goinstr} go build -o {bin} .");
  EXPECT_EQ(find_variant(c, "obi")->requires_command, "obi");
}

TEST(BenchConfig, QuickProfileFitsInAboutTwoMinutes) {
  BenchConfig c = default_config();
  auto quick = stages_for(c, true);
  ASSERT_TRUE(quick);
  // 4 runnable variants x 3 scenarios x the quick rounds, each run its stages plus ~1 s of
  // start and stop: about two minutes.
  double run_s = std::chrono::duration<double>(load::total_duration(*quick)).count() + 1;
  EXPECT_LE(4 * 3 * c.repeats.quick * run_s, 130);
  auto full = stages_for(c, false);
  ASSERT_TRUE(full);
  EXPECT_EQ(load::total_duration(*full), std::chrono::seconds(64));  // the talk profile
}

TEST(BenchConfig, FileOverridesFieldsAndMergesListsByName) {
  BenchConfig c = default_config();
  auto applied = apply_yaml(c, R"(
repeats: {full: 7}
profile: {quick: "1s:5,2s:5"}
otlp: {endpoint: "http://127.0.0.1:14318"}
variants:
  - name: manual
    env: {OTEL_SERVICE_NAME: mine}
  - name: obi
    enabled: false
  - name: other-agent
    build: "go build -o {bin} ."
    attach: "other --pid {pid} --port {port}"
    attach_ready: ready
scenarios:
  - name: status
    path: /status/200
)",
                            "bench.yaml");
  ASSERT_TRUE(applied) << applied.error().message;
  ASSERT_TRUE(validate(c)) << validate(c).error().message;
  EXPECT_EQ(c.repeats.full, 7);
  EXPECT_EQ(c.repeats.quick, 2);  // untouched
  EXPECT_EQ(c.profile.quick, "1s:5,2s:5");
  EXPECT_EQ(c.otlp_endpoint, "http://127.0.0.1:14318");
  const VariantConfig* manual = find_variant(c, "manual");
  EXPECT_EQ(manual->env.at("OTEL_SERVICE_NAME"), "mine");
  EXPECT_EQ(manual->env.at("OTEL_EXPORTER_OTLP_ENDPOINT"), "{otlp}");  // merged, not replaced
  EXPECT_EQ(manual->build, "go build -tags otelmanual -o {bin} .");
  EXPECT_FALSE(find_variant(c, "obi")->enabled);
  ASSERT_NE(find_variant(c, "other-agent"), nullptr);
  EXPECT_EQ(c.variants.back().name, "other-agent");
  EXPECT_EQ(c.scenarios.back().name, "status");
  EXPECT_EQ(c.scenarios.back().method, "GET");

  auto selected = select_variants(c, {});
  ASSERT_TRUE(selected);
  EXPECT_EQ(names(*selected), (std::vector<std::string>{"baseline", "manual", "runtime-agent",
                                                        "compile-time", "other-agent"}));
  auto named = select_variants(c, {"obi", "baseline"});  // a disabled one can be named
  ASSERT_TRUE(named);
  EXPECT_EQ(names(*named), (std::vector<std::string>{"obi", "baseline"}));
}

TEST(BenchConfig, UnknownKeyNamesFileLineAndKey) {
  BenchConfig c = default_config();
  auto applied = apply_yaml(c, "repeats:\n  full: 3\nvariants:\n  - name: manual\n    atach: x\n",
                            "bench.yaml");
  ASSERT_FALSE(applied);
  EXPECT_NE(applied.error().message.find("bench.yaml:5: variants[manual].atach: unknown key"),
            std::string::npos)
      << applied.error().message;
  EXPECT_NE(applied.error().message.find("attach_ready"), std::string::npos);
  EXPECT_EQ(c.repeats.full, 5);  // nothing of a failed file is applied

  auto top = apply_yaml(c, "sevice: {dir: x}\n", "b.yaml");
  ASSERT_FALSE(top);
  EXPECT_NE(top.error().message.find("b.yaml:1: sevice: unknown key"), std::string::npos)
      << top.error().message;
}

TEST(BenchConfig, BadValuesAreErrorsWithTheirLine) {
  BenchConfig c = default_config();
  auto repeats = apply_yaml(c, "repeats:\n  quick: none\n", "b.yaml");
  ASSERT_FALSE(repeats);
  EXPECT_NE(repeats.error().message.find("b.yaml:2: repeats.quick"), std::string::npos)
      << repeats.error().message;
  auto profile = apply_yaml(c, "profile: {full: sometimes}\n", "b.yaml");
  ASSERT_FALSE(profile);
  EXPECT_NE(profile.error().message.find("profile.full"), std::string::npos);
  auto boolean = apply_yaml(c, "variants:\n  - name: obi\n    enabled: yes\n", "b.yaml");
  ASSERT_FALSE(boolean);
  EXPECT_NE(boolean.error().message.find("b.yaml:3"), std::string::npos);
  auto unnamed = apply_yaml(c, "variants:\n  - build: x\n", "b.yaml");
  ASSERT_FALSE(unnamed);
  EXPECT_NE(unnamed.error().message.find("variants[0]"), std::string::npos);
  auto needs = apply_yaml(c, "scenarios:\n  - name: hello\n    needs: redis\n", "b.yaml");
  ASSERT_FALSE(needs);
  EXPECT_NE(needs.error().message.find("b.yaml:3"), std::string::npos);
  auto broken = apply_yaml(c, "variants: [\n", "b.yaml");
  ASSERT_FALSE(broken);
  EXPECT_NE(broken.error().message.find("invalid YAML"), std::string::npos);
}

TEST(BenchConfig, NewVariantWithoutBuildFailsValidation) {
  BenchConfig c = default_config();
  ASSERT_TRUE(apply_yaml(c, "variants:\n  - name: lonely\n", "b.yaml"));
  auto valid = validate(c);
  ASSERT_FALSE(valid);
  EXPECT_NE(valid.error().message.find("variants[lonely]: no build command"), std::string::npos);
}

TEST(BenchConfig, UnknownVariantOnTheCommandLineListsTheKnownOnes) {
  auto selected = select_variants(default_config(), {"baseline", "agent"});
  ASSERT_FALSE(selected);
  EXPECT_NE(selected.error().message.find("unknown variant 'agent'"), std::string::npos);
  EXPECT_NE(selected.error().message.find("runtime-agent"), std::string::npos);
}

TEST(BenchConfig, PlaceholdersAreCheckedWhereTheyAreUsed) {
  BenchConfig c = default_config();
  // {pid} exists only once the service runs: not in a build or start command.
  auto build = apply_yaml(c, "variants:\n  - name: baseline\n    build: \"go build -o {pid} .\"\n",
                          "b.yaml");
  ASSERT_FALSE(build);
  EXPECT_NE(build.error().message.find("b.yaml:3: variants[baseline].build: unknown placeholder "
                                       "{pid}"),
            std::string::npos)
      << build.error().message;
  auto env = apply_yaml(c, "variants:\n  - name: manual\n    env: {X: \"{bni}\"}\n", "b.yaml");
  ASSERT_FALSE(env);
  EXPECT_NE(env.error().message.find("variants[manual].env.X: unknown placeholder {bni}"),
            std::string::npos)
      << env.error().message;
  EXPECT_TRUE(
      check_template("{goinstr} attach --pid {pid} --endpoint {otlp}", TemplateUse::attach));
  EXPECT_TRUE(check_template("sh -c '${HOME}/x {{not}' { echo; }", TemplateUse::build));
}

TEST(BenchTemplates, ExpandQuotesForTheShellOnly) {
  Placeholders values = {{"bin", "/tmp/b/baseline"},
                         {"dsn", "postgres://u@h:1/d?sslmode=disable"},
                         {"addr", "127.0.0.1:0"},
                         {"empty", ""}};
  EXPECT_EQ(expand("{bin} -addr {addr} -db {dsn}", values, Quoting::shell),
            "/tmp/b/baseline -addr 127.0.0.1:0 -db 'postgres://u@h:1/d?sslmode=disable'");
  EXPECT_EQ(expand("{dsn}", values, Quoting::none), "postgres://u@h:1/d?sslmode=disable");
  EXPECT_EQ(expand("-db {empty} x", values, Quoting::shell), "-db '' x");
  EXPECT_EQ(expand("{{bin} ${PATH} {unknown}", values, Quoting::shell), "{bin} ${PATH} {unknown}");
  EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
}

}  // namespace
}  // namespace goinstr::bench
