// SPDX-License-Identifier: Apache-2.0
// Rule files: what parses, and that mistakes are reported with the file and rule they are in.
#include <gtest/gtest.h>

#include "common/semver.hpp"
#include "weave/rules.hpp"

namespace goinstr::weave {
namespace {

std::string error_of(const std::string& yaml) {
  auto r = parse_rules(yaml, "t.yaml");
  return r ? std::string() : r.error().message;
}

TEST(Rules, CompiledInRulesLoad) {
  auto set = load_rules();
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_EQ(set->digest.size(), 64U);
  auto http = set->for_import_path("net/http");
  ASSERT_EQ(http.size(), 4U);
  EXPECT_EQ(http[0]->receiver, "serverHandler");
  EXPECT_EQ(http[0]->function, "ServeHTTP");
  auto paths = set->named_import_paths();
  EXPECT_NE(std::find(paths.begin(), paths.end(), "database/sql"), paths.end());
  EXPECT_EQ(std::find(paths.begin(), paths.end(), "*"), paths.end());
}

TEST(Rules, ParsesAFullRule) {
  auto rules = parse_rules(R"(
- id: x
  package: example.com/p
  function: T.M
  name_results: true
  prepend: 'f({{result.0}}, {{ctx_arg}});'
  imports: ['alias example.com/q', 'fmt']
)",
                           "t.yaml");
  ASSERT_TRUE(rules) << rules.error().message;
  ASSERT_EQ(rules->size(), 1U);
  const Rule& r = (*rules)[0];
  EXPECT_EQ(r.receiver, "T");
  EXPECT_EQ(r.function, "M");
  EXPECT_TRUE(r.name_results);
  ASSERT_EQ(r.imports.size(), 2U);
  EXPECT_EQ(r.imports[0].name, "alias");
  EXPECT_EQ(r.imports[0].path, "example.com/q");
  EXPECT_EQ(r.imports[1].name, "");
}

TEST(Rules, RejectsMistakes) {
  EXPECT_NE(error_of("- {id: a, package: p, function: F, prepnd: x}").find("unknown key 'prepnd'"),
            std::string::npos);
  EXPECT_NE(error_of("- {id: a, package: p}").find("give one of"), std::string::npos);
  EXPECT_NE(error_of("- {id: a, package: p, function: F, directive: d}").find("only one of"),
            std::string::npos);
  EXPECT_NE(error_of("- {id: a, package: p, prepend: 'f();', declare: 'var x int'}")
                .find("'prepend' needs"),
            std::string::npos);
  EXPECT_NE(error_of("- {id: a, package: p, function: F, versions: '~> v1'}")
                .find("version constraint '~> v1'"),
            std::string::npos);
  EXPECT_NE(error_of("- {id: a, package: main, function: F, versions: '< v1.0.0'}")
                .find("'versions' needs one import path"),
            std::string::npos);
  EXPECT_NE(error_of("- id: a\n  package: p\n  function: F\n  prepend: |\n    a()\n    b()\n")
                .find("must be one line"),
            std::string::npos);
  EXPECT_NE(error_of("- {id: a, package: p, function: F, prepend: '{{nope}}'}").find("{{nope}}"),
            std::string::npos);
  EXPECT_NE(error_of("- {id: a, package: '*', directive: d, declare: 'var x int'}")
                .find("needs one import path"),
            std::string::npos);
  EXPECT_NE(error_of("{a: b}").find("expected a list"), std::string::npos);
  EXPECT_NE(error_of("- {id: a, package: p, function: F}\n- [").find("t.yaml"), std::string::npos);
}

TEST(Rules, DeclareOnlyRulesAndVersions) {
  auto rules = parse_rules(
      "- {id: a, package: p, declare: 'var x int', versions: '>= v1.2.0, < v2'}", "t.yaml");
  EXPECT_FALSE(rules) << "'< v2' is no version";
  rules = parse_rules(
      "- {id: a, package: p, declare: 'var x int', versions: '>= v1.2.0, < v2.0.0'}", "t.yaml");
  ASSERT_TRUE(rules) << rules.error().message;
  EXPECT_EQ((*rules)[0].versions, ">= v1.2.0, < v2.0.0");
  EXPECT_TRUE((*rules)[0].function.empty());
}

TEST(Versions, Constraints) {
  auto holds = [](const char* constraint, const char* version) {
    auto v = std::string_view(version).starts_with("go") ? parse_go_version(version)
                                                         : parse_semver(version);
    EXPECT_TRUE(v) << version;
    auto r = version_satisfies(constraint, v.value_or(SemVer{}));
    EXPECT_TRUE(r) << r.error().message;
    return r.value_or(false);
  };
  EXPECT_TRUE(holds("< v1.69.0", "v1.68.2"));
  EXPECT_FALSE(holds("< v1.69.0", "v1.69.0"));
  EXPECT_TRUE(holds(">= v1.69.0", "v1.85.0"));
  EXPECT_FALSE(holds(">= v1.69.0", "v1.69.0-dev"));  // a pre-release comes before its release
  EXPECT_TRUE(holds(">= v1.60.0, < v1.71.0", "v1.70.0"));
  EXPECT_FALSE(holds(">= v1.60.0, < v1.71.0", "v1.71.0"));
  EXPECT_TRUE(holds("= v0.45.0", "v0.45.0"));
  EXPECT_TRUE(holds("> v0.45.0", "v0.45.1-0.20240101000000-abcdef123456"));
  EXPECT_TRUE(holds("< go1.27", "go1.26.8"));
  EXPECT_TRUE(holds(">= go1.27", "go1.27"));
  EXPECT_TRUE(holds(">= go1.27", "go1.27.3"));
  EXPECT_TRUE(holds("<= go1.19.13", "go1.19"));
  EXPECT_EQ(parse_go_version("go1.27rc1"), (SemVer{1, 27, 0, "rc1"}));
  EXPECT_FALSE(parse_go_version("devel +abc"));
  EXPECT_FALSE(version_satisfies("", SemVer{}));
  EXPECT_FALSE(version_satisfies("v1.2.3", SemVer{}));
}

TEST(Rules, DuplicateIdsAcrossFilesAreRejected) {
  auto set = rules_from_texts({{"a.yaml", "- {id: x, package: p, function: F}"},
                               {"b.yaml", "- {id: x, package: q, function: G}"}});
  ASSERT_FALSE(set);
  EXPECT_NE(set.error().message.find("used twice"), std::string::npos);
}

}  // namespace
}  // namespace goinstr::weave
