// SPDX-License-Identifier: Apache-2.0
// Spans read back from Jaeger as a tree (by span id, children of each), and the Postgres the
// e2e tests share: used by the runtime agent's and the compile-time mode's e2e tests alike.
#pragma once

#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/jaeger.hpp"

namespace goinstr::e2e {

inline std::string postgres_dsn() {
  const char* env = std::getenv("GOINSTR_TEST_POSTGRES_DSN");
  return env ? env : "postgres://postgres@127.0.0.1:55432/demo?sslmode=disable";
}

struct Tree {
  std::map<std::string, nlohmann::json> by_id;
  std::multimap<std::string, std::string> children;  // parent id -> child id
  explicit Tree(const std::vector<nlohmann::json>& spans) {
    for (const auto& s : spans) {
      by_id[s["spanID"]] = s;
      if (auto p = testing::parent_span_id(s)) children.emplace(*p, s["spanID"]);
    }
  }
  std::vector<nlohmann::json> children_of(const nlohmann::json& span) const {
    std::vector<nlohmann::json> out;
    auto [lo, hi] = children.equal_range(span["spanID"]);
    for (auto it = lo; it != hi; ++it) out.push_back(by_id.at(it->second));
    return out;
  }
  std::vector<nlohmann::json> named(const std::string& name) const {
    std::vector<nlohmann::json> out;
    for (const auto& [id, s] : by_id)
      if (s["operationName"] == name) out.push_back(s);
    return out;
  }
};

inline void expect_postgres_span(const nlohmann::json& s, const std::string& operation,
                                 const std::string& table) {
  using testing::span_tag_string;
  EXPECT_EQ(span_tag_string(s, "span.kind"), "client") << s.dump();
  EXPECT_EQ(span_tag_string(s, "db.system.name"), "postgresql") << s.dump();
  EXPECT_EQ(span_tag_string(s, "db.operation.name"), operation) << s.dump();
  if (!table.empty()) {
    EXPECT_EQ(span_tag_string(s, "db.collection.name"), table) << s.dump();
  }
  EXPECT_EQ(span_tag_string(s, "server.address"), "127.0.0.1") << s.dump();
  EXPECT_EQ(span_tag_string(s, "server.port"), "55432") << s.dump();
}

}  // namespace goinstr::e2e
