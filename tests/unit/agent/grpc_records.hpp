// SPDX-License-Identifier: Apache-2.0
// What the gRPC span-assembly tests share: filling fixed-size record fields, connection ends as
// BPF writes them, and the emitted span's attributes as a map.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>

#include "bpf_intf/grpc.h"
#include "model/span.hpp"

namespace goinstr::agent::testing {

template <size_t N>
inline uint16_t put(char (&dst)[N], std::string_view s) {
  size_t n = std::min(N, s.size());
  std::memcpy(dst, s.data(), n);
  return static_cast<uint16_t>(n);
}

// An IPv4 address the way Go's net.TCPAddr usually holds it: 16 bytes, IPv4-mapped.
inline goinstr_tcp_addr mapped(uint8_t a, uint8_t b, uint8_t c, uint8_t d, uint16_t port) {
  goinstr_tcp_addr t{};
  const uint8_t ip[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, a, b, c, d};
  std::memcpy(t.ip, ip, sizeof ip);
  t.ip_len = 16;
  t.port = port;
  return t;
}

inline goinstr_tcp_addr v6(const std::array<uint8_t, 16>& ip, uint16_t port) {
  goinstr_tcp_addr t{};
  std::memcpy(t.ip, ip.data(), ip.size());
  t.ip_len = 16;
  t.port = port;
  return t;
}

inline goinstr_tcp_addr tcp(std::initializer_list<uint8_t> ip, uint16_t port) {
  goinstr_tcp_addr a{};
  a.ip_len = static_cast<uint16_t>(ip.size());
  std::copy(ip.begin(), ip.begin() + std::min<size_t>(ip.size(), sizeof a.ip), a.ip);
  a.port = port;
  return a;
}

inline std::map<std::string, model::AttributeValue> attrs(const model::Span& s) {
  std::map<std::string, model::AttributeValue> m;
  for (const auto& a : s.attributes) {
    EXPECT_FALSE(m.contains(a.key)) << "duplicate attribute " << a.key;
    m[a.key] = a.value;
  }
  return m;
}

inline std::string str(const std::map<std::string, model::AttributeValue>& m,
                       const std::string& key) {
  auto it = m.find(key);
  if (it == m.end()) return "<absent>";
  const auto* s = std::get_if<std::string>(&it->second);
  return s ? *s : "<not a string>";
}

inline int64_t num(const std::map<std::string, model::AttributeValue>& m, const std::string& key) {
  auto it = m.find(key);
  if (it == m.end()) return -1;
  const auto* v = std::get_if<int64_t>(&it->second);
  return v ? *v : -2;
}

inline model::TraceId filled_trace(uint8_t b) {
  model::TraceId t{};
  t.fill(b);
  return t;
}

inline model::SpanId filled_span(uint8_t b) {
  model::SpanId s{};
  s.fill(b);
  return s;
}

inline bool zero(const model::TraceId& t) {
  return model::is_zero(t.data(), t.size());
}

}  // namespace goinstr::agent::testing
