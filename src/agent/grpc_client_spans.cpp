// SPDX-License-Identifier: Apache-2.0
#include "agent/grpc_client_spans.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "agent/grpc_attributes.hpp"
#include "agent/http_attributes.hpp"
#include "model/semconv.hpp"

namespace goinstr::agent {
namespace {

constexpr int32_t kUnknown = 2;

std::string bounded(const char* data, uint16_t len, size_t cap) {
  return model::to_valid_utf8(std::string_view(data, std::min<size_t>(len, cap)));
}

std::string host_port(const goinstr_tcp_addr& addr) {
  std::string ip = tcp_addr_ip(addr);
  return ip.empty() ? ip : ip + ":" + std::to_string(addr.port);
}

}  // namespace

GrpcClientSpans::GrpcClientSpans(Emit emit, TraceLookup lookup, uint64_t max_duration_ns,
                                 size_t max_open)
    : emit_(std::move(emit)),
      lookup_(std::move(lookup)),
      rng_(std::random_device{}()),
      open_(max_duration_ns, max_open) {}

void GrpcClientSpans::on_start(const grpc_client_start& r) {
  OpenKey key{r.hdr.pid, r.client_stream};
  if (open_.find(key)) {
    ++stats_.retries;  // a new attempt of an open call: still one span
    return;
  }
  Pending p;
  p.start_ns = r.hdr.ts_ns;
  p.ids = child_ids(r.ctx, r.hdr.pid, lookup_, rng_);
  p.bpf_span_id = r.ctx.self.span_id;
  p.trace_id = p.ids.trace_id;
  p.path = bounded(r.method, r.method_len, GOINSTR_GRPC_METHOD_MAX);
  p.authority = bounded(r.host, r.host_len, GOINSTR_GRPC_HOST_MAX);
  spdlog::debug("pid {} goroutine {}: gRPC client span {}", r.hdr.pid, r.ctx.goid, p.ids.why);
  stats_.abandoned_starts += open_.open(key, std::move(p));
}

void GrpcClientSpans::index_local(const OpenKey& key, Pending& p, const goinstr_tcp_addr& local) {
  std::string addr = host_port(local);
  if (addr.empty() || addr == p.local) return;
  p.local = addr;
  auto& calls = by_local_[addr];
  if (calls.empty() || !(calls.back() == key)) calls.push_back(key);
}

void GrpcClientSpans::on_conn(const grpc_client_conn& r) {
  OpenKey key{r.hdr.pid, r.client_stream};
  if (Pending* p = open_.find(key)) {
    p->remote = r.remote;
    index_local(key, *p, r.local);
  }
}

std::optional<std::pair<model::TraceId, model::SpanId>> GrpcClientSpans::claim_caller(
    const std::string& ip, int64_t port, const std::string& path, uint64_t server_start_ns,
    uint32_t stream_id) {
  std::string addr = ip + ":" + std::to_string(port);
  auto it = by_local_.find(addr);
  if (it == by_local_.end()) return std::nullopt;
  auto& calls = it->second;
  std::optional<std::pair<model::TraceId, model::SpanId>> found;
  for (auto k = calls.begin(); k != calls.end();) {
    Pending* p = open_.find(*k);
    if (!p || p->local != addr) {  // ended, or moved to another connection (a retry)
      k = calls.erase(k);
      continue;
    }
    if (!found && p->linked_stream_id == 0 && p->path == path && p->start_ns <= server_start_ns) {
      p->linked_stream_id = stream_id ? stream_id : UINT32_MAX;
      found = std::pair{p->trace_id, p->ids.span_id};
    }
    ++k;
  }
  if (calls.empty()) by_local_.erase(it);
  return found;
}

void GrpcClientSpans::on_end(const grpc_client_end& r, const std::string& error_type) {
  OpenKey key{r.hdr.pid, r.client_stream};
  auto p = open_.close(key);
  if (!p) {
    // grpc calls finish() again when a stream's context ends: a no-op there, and here.
    if (!open_.recently_closed(key)) ++stats_.unmatched_ends;
    return;
  }
  if (p->linked_stream_id != 0 && p->linked_stream_id != UINT32_MAX && r.stream_id != 0 &&
      p->linked_stream_id != r.stream_id) {
    ++stats_.links_by_order_wrong;
    spdlog::debug("pid {}: gRPC call {} on stream {} was linked to the server span of stream {}",
                  r.hdr.pid, p->path, r.stream_id, p->linked_stream_id);
  }
  ++stats_.spans;
  model::Span span = build_span(*p, r, r.hdr.pid, error_type);
  if (span.has_parent()) ++stats_.with_parent;
  emit_(std::move(span));
}

model::Span GrpcClientSpans::build_span(const Pending& p, const grpc_client_end& end, uint32_t pid,
                                        const std::string& error_type) const {
  model::Span span = client_span(p.ids, pid, to_unix_(p.start_ns), to_unix_(end.hdr.ts_ns));
  int32_t code = 0;
  std::string_view message(end.message, std::min<size_t>(end.message_len, sizeof end.message));
  bool go_error = false;  // failed before any gRPC status existed
  if (end.status_source != GOINSTR_GRPC_STATUS_NONE) {
    code = end.code < 0 ? kUnknown : end.code;
  } else if (end.err_itab != 0) {
    code = kUnknown;
    go_error = true;
  }
  set_grpc_attributes(span, p.path, true, code, code != 0, message, p.remote);
  auto& a = span.attributes;
  if (go_error) {
    // semconv: the error's type when the call failed before a status code was returned.
    for (auto& attr : a)
      if (attr.key == semconv::kErrorType) attr.value = error_type.empty() ? "_OTHER" : error_type;
    if (span.status_message.empty()) span.status_message = error_type;
  }
  auto [host, port] = split_host_port(p.authority);
  if (!host.empty()) {
    a.push_back({semconv::kServerAddress, host});
    if (port) a.push_back({semconv::kServerPort, *port});
  }
  return span;
}

void GrpcClientSpans::expire(uint64_t now_ns) {
  stats_.abandoned_starts += open_.expire(now_ns);
  // Connections whose calls all ended without a traced server claiming them stay indexed until
  // this sweep: bounded by the open calls, not by how many connections the program ever made.
  if (by_local_.size() > open_.size() + 1024) {
    for (auto it = by_local_.begin(); it != by_local_.end();) {
      std::erase_if(it->second, [&](const OpenKey& k) {
        Pending* p = open_.find(k);
        return !p || p->local != it->first;
      });
      it = it->second.empty() ? by_local_.erase(it) : std::next(it);
    }
  }
}

void GrpcClientSpans::abandon_all() {
  stats_.abandoned_starts += open_.clear();
  by_local_.clear();
}

}  // namespace goinstr::agent
