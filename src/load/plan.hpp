// SPDX-License-Identifier: Apache-2.0
// What a load run does: the request, and either a closed model (virtual users ramped through
// stages, each one connection doing request -> response -> next request) or an open model
// (requests arriving at a constant rate whatever the server does).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "common/result.hpp"

namespace goinstr::load {

using Nanos = std::chrono::nanoseconds;

// Ramp linearly from the previous stage's target (0 before the first) to `target` over
// `duration`, as k6's stages do. A zero duration jumps.
struct Stage {
  Nanos duration{0};
  uint32_t target = 0;
};

struct ClosedModel {
  std::vector<Stage> stages;
};

struct OpenModel {
  double rate = 0;  // requests per second
  Nanos duration{0};
  uint32_t connections = 100;  // at most this many sockets, opened as arrivals need them
  // Arrivals waiting for a free connection; beyond this they are dropped (and counted).
  uint32_t max_queue = 10000;
};

struct Plan {
  std::string url;  // http://host[:port][/path][?query]; https is not supported
  std::string method = "GET";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::variant<ClosedModel, OpenModel> model;
  Nanos timeout = std::chrono::seconds(10);  // per request, from its latency origin
  unsigned threads = 1;
};

// "1h2m3.5s", "250ms", "10us"/"10µs", "500ns"; a bare number means seconds.
Result<Nanos> parse_duration(std::string_view text);
// "15s:100,30s:100,15s:0": comma-separated DURATION:TARGET.
Result<std::vector<Stage>> parse_stages(std::string_view text);
// Named stage presets; "talk" is the profile the goinstr talk measures.
Result<std::vector<Stage>> profile_stages(std::string_view name);

Nanos total_duration(const std::vector<Stage>& stages);
// The VU target at `elapsed` (fractional: the caller rounds); the last target after the end.
double target_at(const std::vector<Stage>& stages, Nanos elapsed);
// How many VUs run at `elapsed`: target_at rounded to nearest.
uint32_t vus_at(const std::vector<Stage>& stages, Nanos elapsed);
uint32_t max_vus(const std::vector<Stage>& stages);

// Checks a plan before anything connects: model parameters, method, threads.
Result<void> validate(const Plan& plan);

// "1m30s", "250ms": for summaries.
std::string format_duration(Nanos d);

}  // namespace goinstr::load
