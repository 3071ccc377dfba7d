// SPDX-License-Identifier: Apache-2.0
#include "agent/db_spans.hpp"

#include <spdlog/spdlog.h>

#include "model/semconv.hpp"
#include "sqltext/sql_summary.hpp"

namespace goinstr::agent {
namespace {

const char* op_name(uint8_t op) {
  switch (op) {
    case GOINSTR_DB_BEGIN:
      return "BEGIN";
    case GOINSTR_DB_COMMIT:
      return "COMMIT";
    case GOINSTR_DB_ROLLBACK:
      return "ROLLBACK";
    default:
      return "";
  }
}

}  // namespace

DbSpans::DbSpans(Emit emit, DbSpanOptions options, TraceLookup lookup)
    : emit_(std::move(emit)),
      options_(options),
      lookup_(std::move(lookup)),
      rng_(std::random_device{}()) {}

void DbSpans::on_start(const db_start& record, DbTarget target) {
  Pending p;
  p.start_ns = record.hdr.ts_ns;
  p.op = record.op;
  p.ids = child_ids(record.ctx, record.hdr.pid, lookup_, rng_);
  p.query = model::to_valid_utf8(
      std::string_view(record.query, std::min<size_t>(record.query_len, GOINSTR_QUERY_MAX)));
  p.target = std::move(target);
  spdlog::debug("pid {} goroutine {}: database span {}", record.hdr.pid, record.ctx.goid,
                p.ids.why);
  auto [it, inserted] =
      pending_.insert_or_assign(Key{record.hdr.pid, record.ctx.goid}, std::move(p));
  // database/sql left an operation without any of the release calls we probe (a failed prepare
  // of a statement): given up, counted.
  if (!inserted) {
    spdlog::debug("pid {} goroutine {}: database operation replaced before it ended",
                  record.hdr.pid, record.ctx.goid);
    ++stats_.abandoned_starts;
  }
}

void DbSpans::on_end(const db_end& record, const std::string& error_type,
                     const std::string& fixed_message) {
  auto it = pending_.find(Key{record.hdr.pid, record.goid});
  if (it == pending_.end()) {
    ++stats_.unmatched_ends;
    return;
  }
  model::Span span = build_span(it->second, record, record.hdr.pid, error_type, fixed_message);
  pending_.erase(it);
  ++stats_.spans;
  if (span.has_parent()) ++stats_.with_parent;
  emit_(std::move(span));
}

model::Span DbSpans::build_span(const Pending& p, const db_end& end, uint32_t pid,
                                const std::string& type, const std::string& fixed_message) const {
  model::Span span = client_span(p.ids, pid, to_unix_(p.start_ns), to_unix_(end.hdr.ts_ns));

  sqltext::QuerySummary summary;
  if (const char* fixed = op_name(p.op); *fixed) {
    summary.operation = fixed;
  } else {
    summary = sqltext::summarize(p.query);
  }
  span.name = sqltext::span_name(summary, p.target.system);
  auto& a = span.attributes;
  a.push_back({semconv::kDbSystemName, p.target.system});
  if (!summary.operation.empty()) a.push_back({semconv::kDbOperationName, summary.operation});
  if (!summary.collection.empty()) a.push_back({semconv::kDbCollectionName, summary.collection});
  if (options_.capture_queries && !p.query.empty()) {
    a.push_back({semconv::kDbQueryText,
                 options_.raw_queries ? p.query : sqltext::sanitize(p.query, p.target.system)});
  }
  if (!p.target.server_address.empty()) {
    a.push_back({semconv::kServerAddress, p.target.server_address});
    if (p.target.server_port > 0) a.push_back({semconv::kServerPort, p.target.server_port});
  }
  if (end.err_itab != 0) {
    set_go_error(span,
                 std::string_view(end.err_msg, std::min<size_t>(end.err_len, GOINSTR_ERROR_MAX)),
                 type, fixed_message);
  }
  return span;
}

void DbSpans::abandon_all() {
  for (const auto& [key, p] : pending_)
    spdlog::debug("pid {} goroutine {}: database operation {} '{}' never ended", key.pid, key.goid,
                  p.op, p.query.substr(0, 80));
  stats_.abandoned_starts += pending_.size();
  pending_.clear();
}

}  // namespace goinstr::agent
