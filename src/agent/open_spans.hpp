// SPDX-License-Identifier: Apache-2.0
// Server spans whose start record has arrived and whose end has not, for every server family
// (net/http, gRPC): keyed by (pid, the pointer both probes see), bounded in number and in age, and
// indexed by the span id BPF chose so that child spans find their trace. Arrival order is kept in
// a queue, so that expiry and the bound never scan the table.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <unordered_map>
#include <utility>

#include "model/span.hpp"

namespace goinstr::agent {

struct OpenKey {
  uint32_t pid;
  uint64_t ptr;
  bool operator==(const OpenKey&) const = default;
};
struct OpenKeyHash {
  size_t operator()(const OpenKey& k) const { return std::hash<uint64_t>()(k.ptr ^ k.pid); }
};

// Open needs `uint64_t start_ns`, `uint64_t bpf_span_id` and `model::TraceId trace_id`.
template <class Open>
class OpenSpans {
 public:
  OpenSpans(uint64_t max_age_ns, size_t max_open) : max_age_ns_(max_age_ns), max_open_(max_open) {}

  // Returns how many open spans were given up for it: one whose key it reuses (that request never
  // ended), and the oldest ones beyond the bound.
  uint64_t open(const OpenKey& key, Open span) {
    uint64_t given_up = 0;
    if (auto old = spans_.find(key); old != spans_.end()) {
      forget(key, old->second);
      spans_.erase(old);
      ++given_up;
    }
    trace_by_span_[OpenKey{key.pid, span.bpf_span_id}] = span.trace_id;
    closed_.erase(key);
    arrival_.emplace_back(key, span.start_ns);
    spans_.insert_or_assign(key, std::move(span));
    while (spans_.size() > max_open_) given_up += give_up_oldest();
    // Closed spans behind a long-open one stay queued until it leaves the front; compacting when
    // most entries are stale keeps the queue proportional to what is really open.
    if (arrival_.size() > 4 * spans_.size() + 4096) {
      std::erase_if(arrival_, [this](const auto& entry) { return !is_current(entry); });
    }
    return given_up;
  }

  std::optional<Open> close(const OpenKey& key) {
    auto it = spans_.find(key);
    if (it == spans_.end()) return std::nullopt;
    Open span = std::move(it->second);
    forget(key, span);
    spans_.erase(it);
    remember_closed(key);
    return span;
  }

  // Whether `key` was closed lately (among the last kRecentlyClosed closes): a second end for it is
  // a repeated end call of the library (grpc calls WriteStatus and finish() again, as no-ops), not
  // an end whose start was missed.
  bool recently_closed(const OpenKey& key) const { return closed_.contains(key); }

  // Gives up on spans open longer than the limit; now_ns is CLOCK_MONOTONIC. Returns how many.
  uint64_t expire(uint64_t now_ns) {
    uint64_t given_up = 0;
    while (!arrival_.empty()) {
      const auto& [key, start_ns] = arrival_.front();
      bool current = is_current(arrival_.front());
      if (current && (now_ns <= start_ns || now_ns - start_ns <= max_age_ns_)) break;
      if (current) {
        auto it = spans_.find(key);
        forget(key, it->second);
        spans_.erase(it);
        ++given_up;
      }
      arrival_.pop_front();
    }
    return given_up;
  }

  // Gives up on every open span (the traced process exited, or the agent stops).
  uint64_t clear() {
    uint64_t n = spans_.size();
    spans_.clear();
    arrival_.clear();
    trace_by_span_.clear();
    return n;
  }

  Open* find(const OpenKey& key) {
    auto it = spans_.find(key);
    return it == spans_.end() ? nullptr : &it->second;
  }

  std::optional<model::TraceId> trace_of(uint32_t pid, uint64_t bpf_span_id) const {
    auto it = trace_by_span_.find(OpenKey{pid, bpf_span_id});
    if (it == trace_by_span_.end()) return std::nullopt;
    return it->second;
  }
  size_t size() const { return spans_.size(); }

 private:
  bool is_current(const std::pair<OpenKey, uint64_t>& entry) const {
    auto it = spans_.find(entry.first);
    return it != spans_.end() && it->second.start_ns == entry.second;
  }
  uint64_t give_up_oldest() {
    while (!arrival_.empty()) {
      auto entry = arrival_.front();
      arrival_.pop_front();
      if (!is_current(entry)) continue;
      auto it = spans_.find(entry.first);
      forget(entry.first, it->second);
      spans_.erase(it);
      return 1;
    }
    return 0;
  }
  void forget(const OpenKey& key, const Open& span) {
    trace_by_span_.erase(OpenKey{key.pid, span.bpf_span_id});
  }
  // closed_ holds each key's last close by sequence number; a queue entry of an older close (the
  // key was reopened and closed again since) does not evict the newer one.
  void remember_closed(const OpenKey& key) {
    closed_[key] = ++closes_;
    closed_order_.emplace_back(key, closes_);
    while (closed_order_.size() > kRecentlyClosed) {
      auto [old, seq] = closed_order_.front();
      closed_order_.pop_front();
      if (auto it = closed_.find(old); it != closed_.end() && it->second == seq) closed_.erase(it);
    }
  }

  static constexpr size_t kRecentlyClosed = 4096;
  uint64_t max_age_ns_;
  size_t max_open_;
  std::deque<std::pair<OpenKey, uint64_t>> arrival_;
  std::unordered_map<OpenKey, Open, OpenKeyHash> spans_;
  // (pid, BPF span id) of open spans -> their trace id.
  std::unordered_map<OpenKey, model::TraceId, OpenKeyHash> trace_by_span_;
  std::unordered_map<OpenKey, uint64_t, OpenKeyHash> closed_;  // key -> sequence of its last close
  std::deque<std::pair<OpenKey, uint64_t>> closed_order_;      // closes in order, to bound closed_
  uint64_t closes_ = 0;
};

}  // namespace goinstr::agent
