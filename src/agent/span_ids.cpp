// SPDX-License-Identifier: Apache-2.0
#include "agent/span_ids.hpp"

#include <algorithm>

#include "model/semconv.hpp"

namespace goinstr::agent {

model::TraceId random_trace_id(std::mt19937_64& rng) {
  model::TraceId id{};
  do {
    uint64_t a = rng(), b = rng();
    std::memcpy(id.data(), &a, 8);
    std::memcpy(id.data() + 8, &b, 8);
  } while (model::is_zero(id.data(), id.size()));
  return id;
}

ChildIds child_ids(const goinstr_child_ctx& ctx, uint32_t pid, const TraceLookup& lookup,
                   std::mt19937_64& rng) {
  ChildIds ids;
  ids.span_id = span_id_from_u64(ctx.self.span_id);
  if (ctx.parent_span_id != 0) {
    if (auto trace = lookup ? lookup(pid, ctx.parent_span_id) : std::nullopt) {
      ids.trace_id = *trace;
      ids.parent_span_id = span_id_from_u64(ctx.parent_span_id);
      ids.why = ctx.parent_via == GOINSTR_PARENT_INHERITED
                    ? "parent: the request of the goroutine that started this one"
                    : "parent: the request this goroutine serves";
      return ids;
    }
    ids.why =
        "no parent: its request had ended, or its record was not seen (dropped, or tracing began "
        "later)";
  } else {
    switch (ctx.parent_via) {
      case GOINSTR_PARENT_ENDED:
        ids.why = "no parent: started from a request that had already ended";
        break;
      default:
        ids.why = "no parent: the goroutine serves no traced request";
    }
  }
  ids.trace_id = (ctx.self.flags & GOINSTR_CTX_HAS_TRACE_ID)
                     ? trace_id_from_bytes(ctx.self.trace_id)
                     : random_trace_id(rng);
  return ids;
}

model::Span client_span(const ChildIds& ids, uint32_t pid, uint64_t start_unix_ns,
                        uint64_t end_unix_ns) {
  model::Span span;
  span.trace_id = ids.trace_id;
  span.span_id = ids.span_id;
  span.parent_span_id = ids.parent_span_id;
  span.kind = model::SpanKind::kClient;
  span.pid = static_cast<int32_t>(pid);
  span.start_unix_ns = start_unix_ns;
  span.end_unix_ns = std::max(end_unix_ns, start_unix_ns);
  return span;
}

void set_go_error(model::Span& span, std::string_view copied_message, const std::string& type,
                  const std::string& fixed_message) {
  span.status = model::StatusCode::kError;
  std::string message = model::to_valid_utf8(copied_message);
  if (message.empty()) message = fixed_message;
  span.status_message = !message.empty() ? message : (type.empty() ? "error" : type);
  span.attributes.push_back({semconv::kErrorType, type.empty() ? std::string("_OTHER") : type});
}

}  // namespace goinstr::agent
