// SPDX-License-Identifier: Apache-2.0
#include "export/otlp_json.hpp"

#include <google/protobuf/util/json_util.h>

#include <nlohmann/json.hpp>

#include "model/span.hpp"

namespace goinstr::exporter {
namespace {

namespace otlp_trace = opentelemetry::proto::trace::v1;
using nlohmann::json;

// Protobuf renders `bytes` as base64; OTLP/JSON wants hex for ids. The JSON arrays mirror the
// message's repeated fields index for index, so the hex comes straight from the message instead
// of decoding base64 back out of the JSON. Empty ids are omitted by protobuf and stay omitted.
void set_hex(json& object, const char* key, const std::string& bytes) {
  if (bytes.empty() || !object.contains(key)) return;
  object[key] = model::to_hex(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

void fix_span_ids(const otlp_trace::Span& span, json& out) {
  set_hex(out, "traceId", span.trace_id());
  set_hex(out, "spanId", span.span_id());
  set_hex(out, "parentSpanId", span.parent_span_id());
  if (!out.contains("links")) return;
  for (int l = 0; l < span.links_size(); ++l) {
    set_hex(out["links"][l], "traceId", span.links(l).trace_id());
    set_hex(out["links"][l], "spanId", span.links(l).span_id());
  }
}

}  // namespace

Result<std::string> to_otlp_json(
    const opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest& request) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_enums_as_ints = true;
  std::string text;
  const auto status = google::protobuf::util::MessageToJsonString(request, &text, options);
  if (!status.ok()) return fail("OTLP/JSON encoding: " + status.ToString());
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return fail("OTLP/JSON encoding: protobuf produced invalid JSON");
  for (int r = 0; r < request.resource_spans_size(); ++r) {
    const auto& resource_spans = request.resource_spans(r);
    for (int s = 0; s < resource_spans.scope_spans_size(); ++s) {
      const auto& scope_spans = resource_spans.scope_spans(s);
      for (int i = 0; i < scope_spans.spans_size(); ++i) {
        fix_span_ids(scope_spans.spans(i), doc["resourceSpans"][r]["scopeSpans"][s]["spans"][i]);
      }
    }
  }
  // replace: a span name with invalid UTF-8 must not cost the whole batch.
  return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace goinstr::exporter
