// SPDX-License-Identifier: Apache-2.0
#include "agent/http_client_spans.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "agent/http_attributes.hpp"
#include "model/semconv.hpp"

namespace goinstr::agent {
namespace {

std::string bounded(const char* data, uint16_t len, size_t cap) {
  return model::to_valid_utf8(std::string_view(data, std::min<size_t>(len, cap)));
}

// A runaway program (a goroutine stuck in retries) cannot grow this without bound.
constexpr size_t kMaxDepth = 16;

}  // namespace

HttpClientSpans::HttpClientSpans(Emit emit, TraceLookup lookup)
    : emit_(std::move(emit)), lookup_(std::move(lookup)), rng_(std::random_device{}()) {}

void HttpClientSpans::on_start(const http_client_start& r) {
  Pending p;
  p.start_ns = r.hdr.ts_ns;
  p.ids = child_ids(r.ctx, r.hdr.pid, lookup_, rng_);
  p.method = bounded(r.method, r.method_len, GOINSTR_CLIENT_METHOD_MAX);
  p.scheme = bounded(r.scheme, r.scheme_len, GOINSTR_CLIENT_SCHEME_MAX);
  p.host = bounded(r.host, r.host_len, GOINSTR_CLIENT_HOST_MAX);
  p.path = bounded(r.path, r.path_len, GOINSTR_CLIENT_PATH_MAX);
  p.query = bounded(r.query, r.query_len, GOINSTR_CLIENT_QUERY_MAX);
  spdlog::debug("pid {} goroutine {}: client span {}", r.hdr.pid, r.ctx.goid, p.ids.why);
  auto& stack = pending_[Key{r.hdr.pid, r.ctx.goid}];
  if (stack.size() >= kMaxDepth) {
    forget_local(stack.front().local, Key{r.hdr.pid, r.ctx.goid});
    stack.erase(stack.begin());
    ++stats_.abandoned_starts;
  }
  stack.push_back(std::move(p));
}

void HttpClientSpans::on_conn(const http_client_conn& r) {
  auto it = pending_.find(Key{r.hdr.pid, r.goid});
  if (it == pending_.end() || it->second.empty()) return;
  std::string ip = format_ip(r.ip, std::min<size_t>(r.ip_len, sizeof r.ip));
  if (ip.empty() || r.local_port <= 0) return;
  Pending& p = it->second.back();
  std::string local = ip + ":" + std::to_string(r.local_port);
  if (local == p.local) return;
  forget_local(p.local, it->first);
  p.local = std::move(local);
  by_local_[p.local].push_back(it->first);
}

// Only the owner's entry: the same address can be in use by another process (another network
// namespace) at the same time.
void HttpClientSpans::forget_local(const std::string& local, const Key& owner) {
  if (local.empty()) return;
  auto it = by_local_.find(local);
  if (it == by_local_.end()) return;
  auto& owners = it->second;
  if (auto at = std::find(owners.begin(), owners.end(), owner); at != owners.end())
    owners.erase(at);
  if (owners.empty()) by_local_.erase(it);
}

std::optional<HttpClientSpans::Peer> HttpClientSpans::claim_by_local_address(
    const std::string& ip, int64_t port, const std::string& path) {
  auto found = by_local_.find(ip + ":" + std::to_string(port));
  if (found == by_local_.end()) return std::nullopt;
  Pending* by_path = nullptr;
  Pending* only = nullptr;
  size_t open = 0;
  for (const Key& owner : found->second) {
    auto it = pending_.find(owner);
    if (it == pending_.end()) continue;
    for (Pending& p : it->second) {
      if (p.local != found->first || p.claimed) continue;
      ++open;
      only = &p;
      if (!by_path && p.path == path) by_path = &p;
    }
  }
  Pending* chosen = by_path ? by_path : (open == 1 ? only : nullptr);
  if (!chosen) return std::nullopt;
  chosen->claimed = true;
  return Peer{chosen->ids.trace_id, chosen->ids.span_id};
}

void HttpClientSpans::on_end(const http_client_end& r, const std::string& error_type,
                             const std::string& fixed_message) {
  auto it = pending_.find(Key{r.hdr.pid, r.goid});
  if (it == pending_.end() || it->second.empty()) {
    ++stats_.unmatched_ends;
    return;
  }
  model::Span span = build_span(it->second.back(), r, r.hdr.pid, error_type, fixed_message);
  forget_local(it->second.back().local, it->first);
  it->second.pop_back();
  if (it->second.empty()) pending_.erase(it);
  ++stats_.spans;
  if (span.has_parent()) ++stats_.with_parent;
  emit_(std::move(span));
}

model::Span HttpClientSpans::build_span(const Pending& p, const http_client_end& end, uint32_t pid,
                                        const std::string& type,
                                        const std::string& fixed_message) const {
  model::Span span = client_span(p.ids, pid, to_unix_(p.start_ns), to_unix_(end.hdr.ts_ns));
  std::string_view method = normalize_method(p.method.empty() ? "GET" : p.method);
  span.name = std::string(method);  // semconv: {method}, no URL (high cardinality)

  auto& a = span.attributes;
  a.push_back({semconv::kHttpRequestMethod, std::string(method)});
  if (method == "_OTHER") a.push_back({"http.request.method_original", p.method});
  std::string scheme = p.scheme.empty() ? "http" : p.scheme;
  std::string full = scheme + "://" + p.host + p.path;
  if (!p.query.empty()) full += "?" + p.query;
  a.push_back({semconv::kUrlFull, full});
  auto [host, port] = split_host_port(p.host);
  if (!host.empty()) a.push_back({semconv::kServerAddress, host});
  int64_t default_port = scheme == "https" ? 443 : 80;
  a.push_back({semconv::kServerPort, port.value_or(default_port)});
  if (end.status > 0) a.push_back({semconv::kHttpResponseStatusCode, end.status});
  if (end.proto_major > 0)
    a.push_back(
        {semconv::kNetworkProtocolVersion, protocol_version(end.proto_major, end.proto_minor)});
  if (end.err_itab != 0) {
    set_go_error(span,
                 std::string_view(end.err_msg, std::min<size_t>(end.err_len, sizeof(end.err_msg))),
                 type, fixed_message);
  } else if (end.status >= 400) {  // semconv: 4xx and 5xx are errors for client spans
    span.status = model::StatusCode::kError;
    a.push_back({semconv::kErrorType, std::to_string(end.status)});
  }
  return span;
}

void HttpClientSpans::abandon_all() {
  for (auto& [key, stack] : pending_) stats_.abandoned_starts += stack.size();
  pending_.clear();
  by_local_.clear();
}

}  // namespace goinstr::agent
