// SPDX-License-Identifier: Apache-2.0
#include "agent/http_server_spans.hpp"

#include <spdlog/spdlog.h>

#include <cstring>

#include "agent/http_attributes.hpp"
#include "agent/span_ids.hpp"
#include "agent/trace_context.hpp"
#include "model/semconv.hpp"

namespace goinstr::agent {
namespace {

std::string bounded(const char* data, uint16_t len, size_t cap) {
  return model::to_valid_utf8(std::string_view(data, std::min<size_t>(len, cap)));
}

template <size_t N>
void fill_random(std::array<uint8_t, N>& id, std::mt19937_64& rng) {
  do {
    for (size_t i = 0; i < N; i += 8) {
      uint64_t r = rng();
      std::memcpy(id.data() + i, &r, std::min<size_t>(8, N - i));
    }
  } while (model::is_zero(id.data(), N));
}

}  // namespace

HttpServerSpans::HttpServerSpans(Emit emit, uint64_t max_request_duration_ns, size_t max_in_flight)
    : emit_(std::move(emit)),
      rng_(std::random_device{}()),
      open_(max_request_duration_ns, max_in_flight) {}

// Where a server span's trace comes from, first match wins: the incoming traceparent (parsed in
// BPF with propagation on, else here), the client span of a traced caller at the other end of the
// connection, the trace id BPF chose, a new random one.
void HttpServerSpans::assign_ids(Pending& p, const goinstr_trace_ctx& ctx, std::string_view headers,
                                 uint32_t pid) {
  p.bpf_span_id = ctx.span_id;
  p.span_id = span_id_from_u64(ctx.span_id);
  if (model::is_zero(p.span_id.data(), p.span_id.size())) fill_random(p.span_id, rng_);
  bool bpf_has_trace = ctx.flags & GOINSTR_CTX_HAS_TRACE_ID;
  if (bpf_has_trace && (ctx.flags & GOINSTR_CTX_CONTINUED)) {
    p.trace_id = trace_id_from_bytes(ctx.trace_id);
    std::memcpy(p.parent_span_id.data(), ctx.parent_span_id, p.parent_span_id.size());
    ++stats_.continued_traces;
    return;
  }
  if (!bpf_has_trace) {
    if (auto value = header_value(headers, "traceparent")) {
      if (auto tp = parse_traceparent(*value)) {
        p.trace_id = tp->trace_id;
        p.parent_span_id = tp->parent_span_id;
        ++stats_.continued_traces;
        return;
      }
      ++stats_.invalid_traceparent;
      spdlog::debug("pid {}: ignoring malformed traceparent '{}'", pid,
                    model::to_valid_utf8(*value));
    }
  }
  if (link_to_caller(p)) return;
  if (bpf_has_trace) {
    p.trace_id = trace_id_from_bytes(ctx.trace_id);
    return;
  }
  fill_random(p.trace_id, rng_);
}

bool HttpServerSpans::link_to_caller(Pending& p) {
  if (!peer_ || p.remote.empty()) return false;
  auto [addr, port] = split_host_port(p.remote);
  if (!port) return false;
  auto caller = peer_(addr, *port, p.path);
  if (!caller) return false;
  p.trace_id = caller->first;
  p.parent_span_id = caller->second;
  ++stats_.linked_to_caller;
  return true;
}

void HttpServerSpans::on_start(const http_server_start& record) {
  Pending p;
  p.start_ns = record.hdr.ts_ns;
  p.method = bounded(record.method, record.method_len, GOINSTR_METHOD_MAX);
  p.path = bounded(record.path, record.path_len, GOINSTR_PATH_MAX);
  p.host = bounded(record.host, record.host_len, GOINSTR_HOST_MAX);
  p.remote = bounded(record.remote, record.remote_len, GOINSTR_REMOTE_MAX);
  p.proto_major = record.proto_major;
  p.proto_minor = record.proto_minor;
  std::string_view window(record.header_window,
                          std::min<size_t>(record.header_len, GOINSTR_HEADER_WINDOW));
  // The window is scanned once per request: the header block, then each header in it.
  std::string_view headers = request_header_block(window, p.method).value_or("");
  if (auto ua = header_value(headers, "user-agent")) p.user_agent = model::to_valid_utf8(*ua);
  assign_ids(p, record.ctx, headers, record.hdr.pid);
  stats_.abandoned_starts += open_.open(OpenKey{record.hdr.pid, record.response_ptr}, std::move(p));
}

void HttpServerSpans::on_end(const http_server_end& record) {
  auto p = open_.close(OpenKey{record.hdr.pid, record.response_ptr});
  if (!p) {
    ++stats_.unmatched_ends;
    return;
  }
  ++stats_.spans;
  emit_(build_span(*p, record, record.hdr.pid));
}

model::Span HttpServerSpans::build_span(const Pending& p, const http_server_end& end,
                                        uint32_t pid) const {
  using model::Attribute;
  model::Span span;
  span.trace_id = p.trace_id;
  span.span_id = p.span_id;
  span.parent_span_id = p.parent_span_id;
  span.kind = model::SpanKind::kServer;
  span.pid = static_cast<int32_t>(pid);
  span.start_unix_ns = to_unix_(p.start_ns);
  span.end_unix_ns = to_unix_(std::max<uint64_t>(end.hdr.ts_ns, p.start_ns));

  std::string_view method = normalize_method(p.method);
  int64_t status = end.status == 0 ? 200 : end.status;  // nothing written: Go answers 200
  std::string route =
      route_from_pattern(bounded(end.pattern, end.pattern_len, GOINSTR_PATTERN_MAX));
  span.name = route.empty() ? std::string(method) : std::string(method) + " " + route;

  auto& a = span.attributes;
  a.push_back({semconv::kHttpRequestMethod, std::string(method)});
  if (method == "_OTHER") a.push_back({"http.request.method_original", p.method});
  a.push_back({semconv::kUrlPath, p.path});
  if (!route.empty()) a.push_back({semconv::kHttpRoute, route});
  a.push_back({semconv::kHttpResponseStatusCode, status});
  a.push_back({semconv::kNetworkProtocolVersion, protocol_version(p.proto_major, p.proto_minor)});
  if (!p.host.empty()) {
    auto [host, port] = split_host_port(p.host);
    a.push_back({semconv::kServerAddress, host});
    if (port) a.push_back({semconv::kServerPort, *port});
  }
  if (!p.remote.empty()) {
    auto [addr, port] = split_host_port(p.remote);
    a.push_back({semconv::kClientAddress, addr});
    if (port) a.push_back({semconv::kClientPort, *port});
  }
  if (!p.user_agent.empty()) a.push_back({"user_agent.original", p.user_agent});
  if (status >= 500) {  // semconv: for server spans only 5xx is an error
    span.status = model::StatusCode::kError;
    a.push_back({semconv::kErrorType, std::to_string(status)});
  }
  return span;
}

void HttpServerSpans::expire(uint64_t now_ns) {
  stats_.abandoned_starts += open_.expire(now_ns);
}

void HttpServerSpans::abandon_all() {
  stats_.abandoned_starts += open_.clear();
}

std::optional<model::TraceId> HttpServerSpans::trace_of(uint32_t pid, uint64_t span_id) const {
  return open_.trace_of(pid, span_id);
}

}  // namespace goinstr::agent
