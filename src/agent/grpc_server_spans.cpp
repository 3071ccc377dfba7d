// SPDX-License-Identifier: Apache-2.0
#include "agent/grpc_server_spans.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "agent/grpc_attributes.hpp"
#include "agent/span_ids.hpp"
#include "model/semconv.hpp"

namespace goinstr::agent {
namespace {

constexpr int32_t kUnimplemented = 12;

// grpc-go answers a method it does not serve with UNIMPLEMENTED "unknown service X" or "unknown
// method M for service X" (or "malformed method name"): such a method is not recognised, and the
// conventions then want rpc.method _OTHER.
bool recognized(int32_t code, std::string_view message) {
  if (code != kUnimplemented) return true;
  return !(message.starts_with("unknown service ") || message.starts_with("unknown method ") ||
           message.starts_with("malformed method name"));
}

}  // namespace

GrpcServerSpans::GrpcServerSpans(Emit emit, uint64_t max_duration_ns, size_t max_in_flight)
    : emit_(std::move(emit)), rng_(std::random_device{}()), open_(max_duration_ns, max_in_flight) {}

// The trace, first match wins: the traceparent in the request metadata (parsed in BPF), the
// client span of a traced caller at the other end of the connection, the trace id BPF chose
// (propagation on), a new one.
void GrpcServerSpans::assign_ids(Pending& p, const grpc_server_start& r) {
  p.bpf_span_id = r.ctx.span_id;
  p.span_id = span_id_from_u64(r.ctx.span_id);
  bool bpf_has_trace = r.ctx.flags & GOINSTR_CTX_HAS_TRACE_ID;
  if (bpf_has_trace && (r.ctx.flags & GOINSTR_CTX_CONTINUED)) {
    p.trace_id = trace_id_from_bytes(r.ctx.trace_id);
    std::memcpy(p.parent_span_id.data(), r.ctx.parent_span_id, p.parent_span_id.size());
    ++stats_.continued_traces;
    return;
  }
  if (std::string ip = tcp_addr_ip(p.remote); caller_ && !ip.empty()) {
    if (auto caller = caller_(ip, p.remote.port, p.path, p.start_ns, r.stream_id)) {
      p.trace_id = caller->first;
      p.parent_span_id = caller->second;
      ++stats_.linked_to_caller;
      return;
    }
  }
  p.trace_id = bpf_has_trace ? trace_id_from_bytes(r.ctx.trace_id) : random_trace_id(rng_);
}

void GrpcServerSpans::on_start(const grpc_server_start& r) {
  Pending p;
  p.start_ns = r.hdr.ts_ns;
  p.path = model::to_valid_utf8(
      std::string_view(r.method, std::min<size_t>(r.method_len, GOINSTR_GRPC_METHOD_MAX)));
  p.remote = r.remote;
  p.local = r.local;
  assign_ids(p, r);
  stats_.abandoned_starts += open_.open(OpenKey{r.hdr.pid, r.stream_ptr}, std::move(p));
}

void GrpcServerSpans::on_end(const grpc_server_end& r) {
  auto p = open_.close(OpenKey{r.hdr.pid, r.stream_ptr});
  if (!p) {
    // WriteStatus runs once more after a failed send (a no-op in grpc): nothing to end then.
    if (!open_.recently_closed(OpenKey{r.hdr.pid, r.stream_ptr})) ++stats_.unmatched_ends;
    return;
  }
  if (r.via == GOINSTR_GRPC_END_NET_HTTP) {
    ++stats_.via_net_http;
    return;
  }
  ++stats_.spans;
  emit_(build_span(*p, r, r.hdr.pid));
}

model::Span GrpcServerSpans::build_span(const Pending& p, const grpc_server_end& end,
                                        uint32_t pid) const {
  model::Span span;
  span.trace_id = p.trace_id;
  span.span_id = p.span_id;
  span.parent_span_id = p.parent_span_id;
  span.kind = model::SpanKind::kServer;
  span.pid = static_cast<int32_t>(pid);
  span.start_unix_ns = to_unix_(p.start_ns);
  span.end_unix_ns = to_unix_(std::max<uint64_t>(end.hdr.ts_ns, p.start_ns));
  int32_t code = end.code < 0 ? 2 : end.code;  // unreadable status: UNKNOWN (the read is counted)
  std::string_view message(end.message, std::min<size_t>(end.message_len, sizeof end.message));
  set_grpc_attributes(span, p.path, recognized(code, message), code, grpc_server_error(code),
                      message, p.remote);
  auto& a = span.attributes;
  if (std::string ip = tcp_addr_ip(p.local); !ip.empty()) {
    a.push_back({semconv::kServerAddress, ip});
    a.push_back({semconv::kServerPort, static_cast<int64_t>(p.local.port)});
  }
  if (std::string ip = tcp_addr_ip(p.remote); !ip.empty()) {
    a.push_back({semconv::kClientAddress, ip});
    a.push_back({semconv::kClientPort, static_cast<int64_t>(p.remote.port)});
  }
  return span;
}

void GrpcServerSpans::expire(uint64_t now_ns) {
  stats_.abandoned_starts += open_.expire(now_ns);
}

void GrpcServerSpans::abandon_all() {
  stats_.abandoned_starts += open_.clear();
}

std::optional<model::TraceId> GrpcServerSpans::trace_of(uint32_t pid, uint64_t span_id) const {
  return open_.trace_of(pid, span_id);
}

}  // namespace goinstr::agent
