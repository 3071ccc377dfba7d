// SPDX-License-Identifier: Apache-2.0
// The shared console vectors (data/console/vectors.json) against the console exporter. The Go
// runtime's renderer runs the same file (gort/internal/console/vectors_test.go), so a case added
// there is checked on both sides and the two cannot drift apart.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "export/exporter.hpp"

namespace goinstr::exporter {
namespace {

using json = nlohmann::ordered_json;  // keeps the file's key order in messages

const json& vectors() {
  static const json file = [] {
    std::ifstream in(GOINSTR_CONSOLE_VECTORS);
    if (!in) return json();
    return json::parse(in, nullptr, /*allow_exceptions=*/false);
  }();
  return file;
}

// Every key of `v` must be one of `known`: a misspelt key fails instead of being ignored.
void expect_only_keys(const json& v, const std::set<std::string>& known) {
  for (const auto& [key, value] : v.items())
    EXPECT_TRUE(known.contains(key)) << "unknown key \"" << key << "\": " << v.dump();
}

template <size_t N>
std::array<uint8_t, N> id_from_hex(const json& hex) {
  std::array<uint8_t, N> id{};
  const std::string s = hex.get<std::string>();
  EXPECT_EQ(s.size(), 2 * N) << "id " << s;
  for (size_t i = 0; i < N && 2 * i + 1 < s.size(); ++i)
    id[i] = static_cast<uint8_t>(std::stoul(s.substr(2 * i, 2), nullptr, 16));
  return id;
}

model::Attribute attribute(const json& a) {
  expect_only_keys(a, {"key", "string", "int", "bool", "double"});
  EXPECT_EQ(a.size(), 2u) << "an attribute has a key and one value: " << a.dump();
  model::Attribute out{a.at("key").get<std::string>(), std::string()};
  if (a.contains("string")) {
    out.value = a["string"].get<std::string>();
  } else if (a.contains("int")) {
    out.value = a["int"].get<int64_t>();
  } else if (a.contains("bool")) {
    out.value = a["bool"].get<bool>();
  } else if (a.contains("double")) {
    const json& d = a["double"];
    if (d.is_number()) {
      out.value = d.get<double>();
    } else {
      static const std::map<std::string, double> words = {
          {"nan", std::numeric_limits<double>::quiet_NaN()},
          {"inf", std::numeric_limits<double>::infinity()},
          {"-inf", -std::numeric_limits<double>::infinity()}};
      auto it = words.find(d.get<std::string>());
      EXPECT_NE(it, words.end()) << a.dump();
      out.value = it == words.end() ? 0.0 : it->second;
    }
  } else {
    ADD_FAILURE() << "attribute without a value: " << a.dump();
  }
  return out;
}

std::vector<model::Attribute> attributes(const json& list) {
  std::vector<model::Attribute> out;
  for (const json& a : list) out.push_back(attribute(a));
  return out;
}

model::Span span(const json& s) {
  expect_only_keys(s, {"trace_id", "span_id", "parent_span_id", "name", "kind", "start_ns",
                       "end_ns", "status", "status_message", "attributes"});
  static const std::map<std::string, model::SpanKind> kinds = {
      {"unspecified", model::SpanKind::kUnspecified}, {"internal", model::SpanKind::kInternal},
      {"server", model::SpanKind::kServer},           {"client", model::SpanKind::kClient},
      {"producer", model::SpanKind::kProducer},       {"consumer", model::SpanKind::kConsumer}};
  static const std::map<std::string, model::StatusCode> statuses = {
      {"unset", model::StatusCode::kUnset},
      {"ok", model::StatusCode::kOk},
      {"error", model::StatusCode::kError}};
  model::Span out;
  out.trace_id = id_from_hex<16>(s.at("trace_id"));
  out.span_id = id_from_hex<8>(s.at("span_id"));
  if (s.contains("parent_span_id")) out.parent_span_id = id_from_hex<8>(s["parent_span_id"]);
  out.name = s.at("name").get<std::string>();
  const auto kind = kinds.find(s.at("kind").get<std::string>());
  EXPECT_NE(kind, kinds.end()) << s.dump();
  if (kind != kinds.end()) out.kind = kind->second;
  out.start_unix_ns = s.at("start_ns").get<uint64_t>();
  out.end_unix_ns = s.at("end_ns").get<uint64_t>();
  const auto status = statuses.find(s.value("status", std::string("unset")));
  EXPECT_NE(status, statuses.end()) << s.dump();
  if (status != statuses.end()) out.status = status->second;
  out.status_message = s.value("status_message", std::string());
  if (s.contains("attributes")) out.attributes = attributes(s["attributes"]);
  return out;
}

// What the exporter writes for one batch, through a memory-backed FILE*.
std::string render(const model::Resource& resource, const std::vector<model::Span>& spans) {
  char* buffer = nullptr;
  size_t size = 0;
  FILE* file = open_memstream(&buffer, &size);
  auto exporter = make_console_exporter(file);
  const auto result = exporter->export_batch(resource, spans);
  EXPECT_TRUE(result) << result.error().message;
  std::fclose(file);
  std::string text(buffer, size);
  std::free(buffer);
  return text;
}

TEST(ConsoleVectors, FileHasTheKnownFamilies) {
  ASSERT_TRUE(vectors().is_object()) << "cannot read or parse " << GOINSTR_CONSOLE_VECTORS;
  expect_only_keys(vectors(), {"_comment", "render"});
  ASSERT_TRUE(vectors().contains("render") && vectors()["render"].is_array());
  EXPECT_FALSE(vectors()["render"].empty());
}

TEST(ConsoleVectors, Render) {
  ASSERT_TRUE(vectors().is_object()) << "cannot read or parse " << GOINSTR_CONSOLE_VECTORS;
  for (const json& v : vectors().value("render", json::array())) {
    SCOPED_TRACE(v.value("name", std::string("(unnamed vector)")));
    expect_only_keys(v, {"name", "note", "resource", "spans", "want"});
    ASSERT_TRUE(v.contains("want") && v.contains("spans") && v.contains("resource"));
    const model::Resource resource{attributes(v["resource"])};
    std::vector<model::Span> spans;
    for (const json& s : v["spans"]) spans.push_back(span(s));
    EXPECT_EQ(render(resource, spans), v["want"].get<std::string>());
  }
}

}  // namespace
}  // namespace goinstr::exporter
