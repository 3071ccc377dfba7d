// SPDX-License-Identifier: Apache-2.0
// The shared test vectors (data/metrics/vectors.json) against the C++ implementation. The Go port
// (gort/internal/metrics/vectors_test.go) runs the same file, so the woven runtime's histograms and
// Prometheus text cannot drift from the agent's. "record" runs measure() (the instrument, the
// sorted attribute set, the seconds) and bucket_index(), then the aggregator over all vectors for
// the series count; "prometheus" builds HistogramPoints of one pid and runs render_prometheus().
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "metrics/aggregator.hpp"
#include "metrics/instruments.hpp"
#include "metrics/prometheus_text.hpp"

namespace goinstr::metrics {
namespace {

using json = nlohmann::ordered_json;  // keeps the file's key order in messages

constexpr uint64_t kStart = 1'700'000'000'000'000'000ULL;

const json& vectors() {
  static const json file = [] {
    std::ifstream in(GOINSTR_METRICS_VECTORS);
    if (!in) return json();
    return json::parse(in, nullptr, /*allow_exceptions=*/false);
  }();
  return file;
}

// Fails on a key outside `required` + `optional` + "note", so a misspelt key is not ignored.
void check_keys(const json& v, const std::set<std::string>& required,
                const std::set<std::string>& optional = {}) {
  ASSERT_TRUE(v.is_object()) << v.dump();
  for (const auto& key : required) EXPECT_TRUE(v.contains(key)) << "lacks \"" << key << "\"";
  for (const auto& [key, value] : v.items())
    EXPECT_TRUE(required.contains(key) || optional.contains(key) || key == "note")
        << "unknown key \"" << key << "\" in " << v.dump();
}

std::vector<json> family(const std::string& name) {
  const json& all = vectors();
  if (!all.is_object() || !all.contains(name) || !all[name].is_array() || all[name].empty()) {
    ADD_FAILURE() << GOINSTR_METRICS_VECTORS << ": no family \"" << name << "\"";
    return {};
  }
  return std::vector<json>(all[name].begin(), all[name].end());
}

model::Attribute attribute(const json& a) {
  check_keys(a, {"key"}, {"string", "int", "bool", "double"});
  EXPECT_EQ(a.size(), 2u) << "one value per attribute: " << a.dump();
  const std::string key = a.value("key", "");
  if (a.contains("int")) return {key, a["int"].get<int64_t>()};
  if (a.contains("bool")) return {key, a["bool"].get<bool>()};
  if (a.contains("double")) return {key, a["double"].get<double>()};
  return {key, a.value("string", "")};
}

std::vector<model::Attribute> attributes(const json& list) {
  std::vector<model::Attribute> out;
  for (const json& a : list) out.push_back(attribute(a));
  return out;
}

// Attributes as typed text, so a whole set compares in one EXPECT_EQ with a readable diff.
std::vector<std::string> describe(const std::vector<model::Attribute>& list) {
  static constexpr const char* kTypes[] = {"string", "int", "double", "bool"};
  std::vector<std::string> out;
  for (const auto& a : list)
    out.push_back(a.key + " " + kTypes[a.value.index()] + " " + model::to_text(a.value));
  return out;
}

std::optional<Instrument> instrument_named(const std::string& name) {
  for (size_t i = 0; i < kInstrumentCount; ++i)
    if (info(static_cast<Instrument>(i)).name == name) return static_cast<Instrument>(i);
  return std::nullopt;
}

model::Span span_of(const json& s) {
  check_keys(s, {"kind", "duration_ns", "attributes"}, {"status"});
  static const std::vector<std::string> kKinds = {"unspecified", "internal", "server",
                                                  "client",      "producer", "consumer"};
  static const std::vector<std::string> kStatuses = {"unset", "ok", "error"};
  model::Span span;
  const std::string kind = s.value("kind", ""), status = s.value("status", "unset");
  auto k = std::find(kKinds.begin(), kKinds.end(), kind);
  auto st = std::find(kStatuses.begin(), kStatuses.end(), status);
  EXPECT_NE(k, kKinds.end()) << "kind " << kind;
  EXPECT_NE(st, kStatuses.end()) << "status " << status;
  span.kind = static_cast<model::SpanKind>(k - kKinds.begin());
  span.status = static_cast<model::StatusCode>(st - kStatuses.begin());
  span.start_unix_ns = kStart;
  span.end_unix_ns = kStart + static_cast<uint64_t>(s.value("duration_ns", int64_t{0}));
  span.attributes = attributes(s.value("attributes", json::array()));
  return span;
}

TEST(MetricsVectors, FileHasExactlyTheKnownFamilies) {
  ASSERT_TRUE(vectors().is_object()) << "cannot read or parse " << GOINSTR_METRICS_VECTORS;
  for (const auto& [key, value] : vectors().items())
    EXPECT_TRUE(key == "_comment" || key == "record" || key == "prometheus")
        << "family \"" << key << "\" is not run by this test";
}

TEST(MetricsVectors, Record) {
  MetricsAggregator all;
  std::set<std::pair<std::string, std::vector<std::string>>> distinct;
  for (const json& v : family("record")) {
    SCOPED_TRACE(v.dump());
    check_keys(v, {"span", "want"});
    const model::Span span = span_of(v["span"]);
    all.record(span);
    auto m = measure(span);
    const json& want = v["want"];
    if (want.is_null()) {
      EXPECT_FALSE(m) << "measured into " << info(m->instrument).name;
      continue;
    }
    check_keys(want, {"histogram", "seconds", "bucket", "attributes"});
    ASSERT_TRUE(m) << "not measured";
    EXPECT_EQ(info(m->instrument).name, want.value("histogram", ""));
    const auto want_attributes = describe(attributes(want["attributes"]));
    EXPECT_EQ(describe(m->attributes), want_attributes);
    EXPECT_EQ(m->seconds, want.value("seconds", -1.0));
    EXPECT_EQ(bucket_index(m->seconds), want.value("bucket", size_t{99}));
    distinct.emplace(want.value("histogram", ""), want_attributes);
  }
  EXPECT_EQ(all.stats().series, distinct.size());
}

HistogramPoint point_of(Instrument instrument, int32_t pid, const json& p) {
  check_keys(p, {"attributes", "count", "sum", "bucket_counts"});
  HistogramPoint point{
      .instrument = instrument, .pid = pid, .attributes = attributes(p["attributes"])};
  point.count = p.value("count", uint64_t{0});
  point.sum = p.value("sum", 0.0);
  const auto counts = p.value("bucket_counts", std::vector<uint64_t>{});
  EXPECT_EQ(counts.size(), kBucketCount);
  for (size_t i = 0; i < counts.size() && i < kBucketCount; ++i) point.bucket_counts[i] = counts[i];
  return point;
}

TEST(MetricsVectors, Prometheus) {
  for (const json& v : family("prometheus")) {
    SCOPED_TRACE(v.dump());
    check_keys(v, {"pid", "resource", "histograms", "want"});
    const int32_t pid = v.value("pid", 0);
    const model::Resource resource{attributes(v["resource"])};
    std::vector<HistogramPoint> points;
    std::optional<Instrument> previous;
    for (const json& h : v["histograms"]) {
      check_keys(h, {"name", "points"});
      auto instrument = instrument_named(h.value("name", ""));
      ASSERT_TRUE(instrument) << "no instrument " << h.value("name", "");
      // The Go side renders in the order given; the agent groups by instrument.
      EXPECT_TRUE(!previous || *previous < *instrument) << "histograms out of instrument order";
      previous = instrument;
      for (const json& p : h["points"]) points.push_back(point_of(*instrument, pid, p));
    }
    std::string want;
    for (const json& line : v["want"]) want += line.get<std::string>() + "\n";
    auto resource_for = [&](int32_t p) {
      EXPECT_EQ(p, pid);
      return resource;
    };
    EXPECT_EQ(render_prometheus(points, resource_for), want);
  }
}

}  // namespace
}  // namespace goinstr::metrics
