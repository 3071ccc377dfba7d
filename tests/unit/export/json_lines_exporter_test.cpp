// SPDX-License-Identifier: Apache-2.0
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "export/exporter.hpp"
#include "export/otlp_encode.hpp"
#include "export/otlp_json.hpp"
#include "test_spans.hpp"

namespace goinstr::exporter {
namespace {

using nlohmann::json;
using testing::child_span;
using testing::resource_for;
using testing::server_span;

class JsonLinesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("goinstr_json_lines_" + std::to_string(getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".jsonl");
    std::filesystem::remove(path_);
  }
  void TearDown() override { std::filesystem::remove(path_); }

  std::vector<std::string> lines() const {
    std::ifstream in(path_);
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  }

  std::filesystem::path path_;
};

std::string hex_to_base64(const std::string& hex) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string bytes;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  std::string out;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t n = static_cast<uint8_t>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<uint8_t>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) n |= static_cast<uint8_t>(bytes[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kAlphabet[n & 63] : '=';
  }
  return out;
}

TEST_F(JsonLinesTest, WritesOtlpJsonWithHexIdsAndIntegerEnums) {
  auto exporter = make_json_lines_exporter(path_.string());
  ASSERT_TRUE(exporter) << exporter.error().message;
  auto root = server_span();
  root.status = model::StatusCode::kError;
  const std::vector<model::Span> spans{root, child_span(root, 0x02, "SELECT users", 1000)};
  ASSERT_TRUE((*exporter)->export_batch(resource_for(4242), spans));
  ASSERT_TRUE((*exporter)->export_batch(resource_for(7), std::span(spans).first(1)));

  const auto got = lines();
  ASSERT_EQ(got.size(), 2u);
  const json doc = json::parse(got[0]);
  const json& rs = doc["resourceSpans"][0];
  EXPECT_EQ(rs["resource"]["attributes"][0]["key"], "service.name");
  EXPECT_EQ(rs["resource"]["attributes"][1]["value"]["intValue"], "4242");  // int64 is a string
  EXPECT_EQ(rs["scopeSpans"][0]["scope"]["name"], "goinstr");
  const json& s0 = rs["scopeSpans"][0]["spans"][0];
  EXPECT_EQ(s0["traceId"], "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(s0["spanId"], "00f067aa0ba902b7");
  EXPECT_FALSE(s0.contains("parentSpanId"));
  EXPECT_EQ(s0["kind"], 2);
  EXPECT_EQ(s0["status"]["code"], 2);
  EXPECT_EQ(s0["startTimeUnixNano"], "1700000000000000000");
  EXPECT_EQ(s0["attributes"][2],
            json::parse(R"({"key":"http.route","value":{"stringValue":"/hello"}})"));
  EXPECT_EQ(s0["attributes"][1]["value"]["intValue"], "200");
  const json& s1 = rs["scopeSpans"][0]["spans"][1];
  EXPECT_EQ(s1["parentSpanId"], "00f067aa0ba902b7");
  EXPECT_EQ(s1["spanId"], "00f067aa0ba90202");
  EXPECT_EQ(s1["kind"], 3);
  EXPECT_EQ(json::parse(got[1])["resourceSpans"][0]["scopeSpans"][0]["spans"].size(), 1u);
}

// protobuf's own JSON parser reads `bytes` as base64, and hex digits are valid base64, so a hex id
// would parse into the wrong bytes without an error. Converting the ids back first makes the line a
// plain protobuf-JSON document that must reproduce the original message exactly.
TEST_F(JsonLinesTest, ProtobufCanReadTheLineBackAfterIdConversion) {
  const auto root = server_span();
  const std::vector<model::Span> spans{root, child_span(root, 0x02, "SELECT", 1000)};
  const auto request = encode_request(resource_for(1), spans);
  auto line = to_otlp_json(request);
  ASSERT_TRUE(line) << line.error().message;

  json doc = json::parse(*line);
  for (auto& span : doc["resourceSpans"][0]["scopeSpans"][0]["spans"]) {
    for (const char* key : {"traceId", "spanId", "parentSpanId"})
      if (span.contains(key)) span[key] = hex_to_base64(span[key].get<std::string>());
  }
  otlp_collector::ExportTraceServiceRequest parsed;
  const auto status = google::protobuf::util::JsonStringToMessage(doc.dump(), &parsed);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(request, parsed));
}

// The ids are rewritten in protobuf's text; text that only looks like an id field, inside a span
// name or an attribute, must come through untouched.
TEST_F(JsonLinesTest, IdLookalikesInsideStringsAreLeftAlone) {
  auto span = server_span();
  span.name = "\"traceId\":\"AAAAAAAAAAAAAAAAAAAAAA==\"";
  span.attributes.push_back({"spanId", std::string("\"spanId\":\"AAAAAAAAAAA=\"")});
  const std::vector<model::Span> spans{span};
  auto line = to_otlp_json(encode_request(resource_for(1), spans));
  ASSERT_TRUE(line) << line.error().message;
  json out = json::parse(*line)["resourceSpans"][0]["scopeSpans"][0]["spans"][0];
  EXPECT_EQ(out["name"], span.name);
  EXPECT_EQ(out["attributes"].back()["value"]["stringValue"], "\"spanId\":\"AAAAAAAAAAA=\"");
  EXPECT_EQ(out["traceId"], model::to_hex(span.trace_id));
  EXPECT_FALSE(out.contains("parentSpanId"));
}

TEST_F(JsonLinesTest, AppendsToAnExistingFile) {
  { std::ofstream(path_) << "{\"earlier\":true}\n"; }
  auto exporter = make_json_lines_exporter(path_.string());
  ASSERT_TRUE(exporter);
  const std::vector<model::Span> spans{server_span()};
  ASSERT_TRUE((*exporter)->export_batch({}, spans));
  ASSERT_TRUE((*exporter)->shutdown());
  const auto got = lines();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0], "{\"earlier\":true}");
}

TEST(JsonLines, UnopenablePathIsAnErrorNamingPathAndReason) {
  const std::string path = "/nonexistent-goinstr-dir/spans.jsonl";
  auto exporter = make_json_lines_exporter(path);
  ASSERT_FALSE(exporter);
  EXPECT_EQ(exporter.error().code, ENOENT);
  EXPECT_NE(exporter.error().message.find(path), std::string::npos);
  EXPECT_NE(exporter.error().message.find(std::strerror(ENOENT)), std::string::npos);
}

}  // namespace
}  // namespace goinstr::exporter
