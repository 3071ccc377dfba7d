// SPDX-License-Identifier: Apache-2.0
#include "export/otlp_json.hpp"

#include <google/protobuf/stubs/strutil.h>
#include <google/protobuf/util/json_util.h>

#include <array>
#include <string_view>

#include "model/span.hpp"

namespace goinstr::exporter {
namespace {

// Protobuf renders `bytes` as base64; OTLP/JSON wants lowercase hex for trace and span ids. The
// ids are rewritten in the text protobuf produced, in one pass: re-parsing the whole document into
// a DOM to change three fields cost ~28 us of agent CPU per span (docs/benchmarks.md). Writing
// the whole document with nlohmann::json instead of protobuf's printer was slower still (~36 us).
// The patterns cannot match inside a string value: a quote there is escaped (\"), and attribute
// keys are rendered as {"key":"traceId",...}, never as "traceId":"...".
constexpr std::array<std::string_view, 3> kIdKeys = {"\"traceId\":\"", "\"spanId\":\"",
                                                     "\"parentSpanId\":\""};

std::string hex_ids(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  // Next occurrence of each key; searched again only once passed, so the scan stays linear.
  std::array<size_t, kIdKeys.size()> next{};
  for (size_t k = 0; k < kIdKeys.size(); ++k) next[k] = text.find(kIdKeys[k]);
  while (pos < text.size()) {
    size_t best = std::string::npos, key_len = 0;
    for (size_t k = 0; k < kIdKeys.size(); ++k) {
      if (next[k] != std::string::npos && next[k] < pos) next[k] = text.find(kIdKeys[k], pos);
      if (next[k] < best) best = next[k], key_len = kIdKeys[k].size();
    }
    if (best == std::string::npos) break;
    size_t value_start = best + key_len;
    size_t value_end = text.find('"', value_start);
    if (value_end == std::string::npos) break;
    out.append(text, pos, value_start - pos);
    std::string bytes;
    std::string_view b64(text.data() + value_start, value_end - value_start);
    if (google::protobuf::Base64Unescape(google::protobuf::StringPiece(b64.data(), b64.size()),
                                         &bytes)) {
      out += model::to_hex(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    } else {
      out.append(b64);
    }
    pos = value_end;
  }
  out.append(text, pos);
  return out;
}

}  // namespace

Result<std::string> to_otlp_json(
    const opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest& request) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_enums_as_ints = true;
  std::string text;
  const auto status = google::protobuf::util::MessageToJsonString(request, &text, options);
  if (!status.ok()) return fail("OTLP/JSON encoding: " + status.ToString());
  return hex_ids(text);
}

}  // namespace goinstr::exporter
