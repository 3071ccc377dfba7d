// SPDX-License-Identifier: Apache-2.0
// Span ids and trace ids as BPF chose them, and where a child span's trace comes from. Server span
// ids are chosen in BPF so that database and client probes can name them as parent before user
// space has seen the server's record; user space then finds the trace id by that span id.
#pragma once

#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "bpf_intf/trace_context.h"
#include "model/span.hpp"

namespace goinstr::agent {

// BPF writes a span id as a u64 in memory order; its bytes are the id (and the hex it injects).
inline model::SpanId span_id_from_u64(uint64_t v) {
  model::SpanId id{};
  std::memcpy(id.data(), &v, sizeof v);
  return id;
}

inline model::TraceId trace_id_from_bytes(const uint8_t (&bytes)[16]) {
  model::TraceId id{};
  std::memcpy(id.data(), bytes, id.size());
  return id;
}

// The trace a live server span belongs to, by (pid, its BPF span id).
using TraceLookup = std::function<std::optional<model::TraceId>(uint32_t pid, uint64_t span_id)>;

// A child span's trace, parent and own id from its record; random trace when it has no parent.
struct ChildIds {
  model::TraceId trace_id{};
  model::SpanId span_id{};
  model::SpanId parent_span_id{};
  std::string why;  // how the parent was decided, for the debug log
};

ChildIds child_ids(const goinstr_child_ctx& ctx, uint32_t pid, const TraceLookup& lookup,
                   std::mt19937_64& rng);

// A random, non-zero trace id.
model::TraceId random_trace_id(std::mt19937_64& rng);

// Child operations (database, outgoing HTTP) are paired by the goroutine that ran them.
struct GoroutineKey {
  uint32_t pid;
  uint64_t goid;
  bool operator==(const GoroutineKey&) const = default;
};
struct GoroutineKeyHash {
  size_t operator()(const GoroutineKey& k) const {
    return std::hash<uint64_t>()(k.goid * 31 + k.pid);
  }
};

// A CLIENT span with the child's ids and times (start/end: CLOCK_MONOTONIC, converted).
model::Span client_span(const ChildIds& ids, uint32_t pid, uint64_t start_unix_ns,
                        uint64_t end_unix_ns);

// Marks the span failed by a returned Go error: status Error with the message the probe copied
// (else the type's fixed message, else the type), and error.type (the Go type, else _OTHER).
void set_go_error(model::Span& span, std::string_view copied_message, const std::string& type,
                  const std::string& fixed_message);

}  // namespace goinstr::agent
