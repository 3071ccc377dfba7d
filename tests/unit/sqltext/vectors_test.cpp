// SPDX-License-Identifier: Apache-2.0
// The shared test vectors (data/sqltext/vectors.json) against the C++ implementation. The Go port
// in gort/internal/sqltext/ runs the same file (vectors_test.go there), so a case added there is
// checked on both sides and the two implementations cannot drift apart.
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sqltext/db_drivers.hpp"
#include "sqltext/sql_summary.hpp"

namespace goinstr::sqltext {
namespace {

using json = nlohmann::ordered_json;  // keeps the file's key order in messages

const json& vectors() {
  static const json file = [] {
    std::ifstream in(GOINSTR_SQLTEXT_VECTORS);
    if (!in) return json();
    return json::parse(in, nullptr, /*allow_exceptions=*/false);
  }();
  return file;
}

// The vectors of one family, each checked to carry the `required` keys and nothing beyond
// `required`, `optional` and "note": a misspelt key fails instead of being ignored.
std::vector<json> family(const std::string& name, const std::set<std::string>& required,
                         const std::set<std::string>& optional = {}) {
  const json& all = vectors();
  if (!all.is_object() || !all.contains(name) || !all[name].is_array() || all[name].empty()) {
    ADD_FAILURE() << GOINSTR_SQLTEXT_VECTORS << ": no family \"" << name << "\"";
    return {};
  }
  std::vector<json> out;
  for (const json& v : all[name]) {
    for (const auto& key : required)
      EXPECT_TRUE(v.contains(key)) << name << " vector lacks \"" << key << "\": " << v.dump();
    for (const auto& [key, value] : v.items())
      EXPECT_TRUE(required.contains(key) || optional.contains(key) || key == "note")
          << name << " vector has unknown key \"" << key << "\": " << v.dump();
    out.push_back(v);
  }
  return out;
}

std::string str(const json& v, const char* key) {
  return v.value(key, std::string());
}

TEST(SqlTextVectors, FileHasExactlyTheKnownFamilies) {
  ASSERT_TRUE(vectors().is_object()) << "cannot read or parse " << GOINSTR_SQLTEXT_VECTORS;
  const std::set<std::string> known = {
      "_comment",      "summarize",         "span_name",   "db_system_for_package",
      "known_drivers", "endpoint_from_dsn", "dsn_secrets", "sanitize"};
  for (const auto& [key, value] : vectors().items())
    EXPECT_TRUE(known.contains(key)) << "family \"" << key << "\" is not run by this test";
}

TEST(SqlTextVectors, Summarize) {
  for (const json& v : family("summarize", {"sql", "operation", "collection"})) {
    SCOPED_TRACE(v.dump());
    QuerySummary s = summarize(str(v, "sql"));
    EXPECT_EQ(s.operation, str(v, "operation"));
    EXPECT_EQ(s.collection, str(v, "collection"));
  }
}

TEST(SqlTextVectors, SpanName) {
  for (const json& v :
       family("span_name", {"system", "want"}, {"operation", "collection", "sql"})) {
    SCOPED_TRACE(v.dump());
    // Either a summary given as operation + collection, or the summary of a query.
    EXPECT_NE(v.contains("sql"), v.contains("operation") || v.contains("collection"));
    QuerySummary s = v.contains("sql") ? summarize(str(v, "sql"))
                                       : QuerySummary{str(v, "operation"), str(v, "collection")};
    EXPECT_EQ(span_name(s, str(v, "system")), str(v, "want"));
  }
}

TEST(SqlTextVectors, DbSystemForPackage) {
  for (const json& v : family("db_system_for_package", {"package", "system"})) {
    SCOPED_TRACE(v.dump());
    EXPECT_EQ(db_system_for_package(str(v, "package")), str(v, "system"));
  }
}

TEST(SqlTextVectors, KnownDrivers) {
  std::vector<std::string> modules;
  for (const json& v : family("known_drivers", {"module", "system"})) {
    SCOPED_TRACE(v.dump());
    modules.push_back(str(v, "module"));
    EXPECT_EQ(db_system_for_package(modules.back()), str(v, "system"));
  }
  EXPECT_EQ(known_driver_packages(), modules);
}

TEST(SqlTextVectors, EndpointFromDsn) {
  for (const json& v :
       family("endpoint_from_dsn", {"system", "dsn"}, {"address", "port", "no_endpoint"})) {
    SCOPED_TRACE(v.dump());
    auto ep = endpoint_from_dsn(str(v, "system"), str(v, "dsn"));
    if (v.value("no_endpoint", false)) {
      EXPECT_FALSE(v.contains("address") || v.contains("port"));
      EXPECT_FALSE(ep) << "got " << ep->address << " port " << ep->port;
      continue;
    }
    ASSERT_TRUE(v.contains("address") && v.contains("port"));
    ASSERT_TRUE(ep);
    EXPECT_EQ(ep->address, str(v, "address"));
    EXPECT_EQ(ep->port, v["port"].get<int>());
  }
}

// DSNs built so that a careless split would take the host or port from the password.
TEST(SqlTextVectors, DsnSecrets) {
  for (const json& v : family("dsn_secrets", {"system", "dsn", "secrets"}, {"address", "port"})) {
    SCOPED_TRACE(v.dump());
    auto ep = endpoint_from_dsn(str(v, "system"), str(v, "dsn"));
    if (v.contains("address") || v.contains("port")) {
      ASSERT_TRUE(ep);
      EXPECT_EQ(ep->address, str(v, "address"));
      EXPECT_EQ(ep->port, v.value("port", -1));
    }
    if (!ep) continue;
    for (const json& secret : v["secrets"]) {
      std::string s = secret.get<std::string>();
      EXPECT_EQ(ep->address.find(s), std::string::npos) << "secret " << s << " leaked";
      EXPECT_EQ(std::to_string(ep->port).find(s), std::string::npos) << "secret " << s << " leaked";
    }
  }
}

// The sanitised query text of capture_queries, identical in both modes.
TEST(SqlTextVectors, Sanitize) {
  for (const json& v : family("sanitize", {"sql", "db_system", "expected"})) {
    SCOPED_TRACE(v.dump());
    EXPECT_EQ(sanitize(str(v, "sql"), str(v, "db_system")), str(v, "expected"));
  }
}

}  // namespace
}  // namespace goinstr::sqltext
