// SPDX-License-Identifier: Apache-2.0
#include "load/plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

namespace goinstr::load {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Nanoseconds per unit, longest unit names first so "ms" is not read as "m".
constexpr std::pair<std::string_view, double> kUnits[] = {
    {"ns", 1}, {"us", 1e3}, {"\xC2\xB5s", 1e3}, {"ms", 1e6}, {"s", 1e9}, {"m", 60e9}, {"h", 3600e9},
};

}  // namespace

Result<Nanos> parse_duration(std::string_view text) {
  std::string_view s = trim(text);
  if (s.empty()) return fail("empty duration");
  double total = 0;
  bool bare = true;
  while (!s.empty()) {
    double v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || v < 0 || !std::isfinite(v)) {
      return fail(fmt::format("bad duration '{}'", text));
    }
    s.remove_prefix(static_cast<size_t>(end - s.data()));
    if (s.empty() && bare) return Nanos(static_cast<int64_t>(std::llround(v * 1e9)));
    bare = false;
    const std::pair<std::string_view, double>* unit = nullptr;
    for (const auto& u : kUnits) {
      if (s.starts_with(u.first) && (!unit || u.first.size() > unit->first.size())) unit = &u;
    }
    if (!unit) return fail(fmt::format("bad duration '{}': unknown unit", text));
    total += v * unit->second;
    s.remove_prefix(unit->first.size());
  }
  return Nanos(static_cast<int64_t>(std::llround(total)));
}

Result<std::vector<Stage>> parse_stages(std::string_view text) {
  std::vector<Stage> stages;
  std::string_view rest = trim(text);
  if (rest.empty()) return fail("no stages");
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string_view item = trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    if (comma != std::string_view::npos && trim(rest).empty()) return fail("empty stage after ','");
    size_t colon = item.rfind(':');
    if (colon == std::string_view::npos) {
      return fail(fmt::format("stage '{}' is not DURATION:TARGET", item));
    }
    ASSIGN_OR_RETURN(Nanos d, parse_duration(item.substr(0, colon)));
    std::string_view target = trim(item.substr(colon + 1));
    uint32_t n = 0;
    auto [end, ec] = std::from_chars(target.data(), target.data() + target.size(), n);
    if (target.empty() || ec != std::errc{} || end != target.data() + target.size()) {
      return fail(fmt::format("stage '{}': bad target", item));
    }
    stages.push_back({d, n});
  }
  return stages;
}

Result<std::vector<Stage>> profile_stages(std::string_view name) {
  // The talk's profile: a steady 100 VUs for 30 s between ramps, then a 1000-VU spike.
  if (name == "talk") return parse_stages("15s:100,30s:100,15s:0,2s:1000,2s:0");
  return fail(fmt::format("unknown profile '{}' (known: talk)", name));
}

Nanos total_duration(const std::vector<Stage>& stages) {
  Nanos total{0};
  for (const auto& s : stages) total += s.duration;
  return total;
}

double target_at(const std::vector<Stage>& stages, Nanos elapsed) {
  double from = 0;
  Nanos start{0};
  for (const auto& s : stages) {
    Nanos end = start + s.duration;
    if (elapsed < end) {
      double frac =
          static_cast<double>((elapsed - start).count()) / static_cast<double>(s.duration.count());
      return from + (static_cast<double>(s.target) - from) * frac;
    }
    from = s.target;
    start = end;
  }
  return from;
}

uint32_t vus_at(const std::vector<Stage>& stages, Nanos elapsed) {
  return static_cast<uint32_t>(std::llround(std::max(0.0, target_at(stages, elapsed))));
}

uint32_t max_vus(const std::vector<Stage>& stages) {
  uint32_t m = 0;
  for (const auto& s : stages) m = std::max(m, s.target);
  return m;
}

Result<void> validate(const Plan& plan) {
  if (plan.method.empty() || plan.method.find_first_of(" \t\r\n") != std::string::npos) {
    return fail(fmt::format("bad method '{}'", plan.method));
  }
  for (const auto& [k, v] : plan.headers) {
    if (k.empty() || k.find_first_of(": \t\r\n") != std::string::npos ||
        v.find_first_of("\r\n") != std::string::npos) {
      return fail(fmt::format("bad header '{}'", k));
    }
  }
  if (plan.threads < 1 || plan.threads > 256) return fail("--threads must be 1..256");
  if (plan.timeout <= Nanos{0}) return fail("--timeout must be positive");
  if (const auto* closed = std::get_if<ClosedModel>(&plan.model)) {
    if (closed->stages.empty()) return fail("no stages");
    if (total_duration(closed->stages) <= Nanos{0}) return fail("stages last no time");
    if (max_vus(closed->stages) == 0) return fail("stages never start a virtual user");
    if (max_vus(closed->stages) > 100000) return fail("more than 100000 virtual users");
    return {};
  }
  const auto& open = std::get<OpenModel>(plan.model);
  if (!(open.rate > 0) || !std::isfinite(open.rate)) return fail("--rate must be positive");
  if (open.duration <= Nanos{0}) return fail("--duration must be positive");
  if (open.connections < 1 || open.connections > 100000) {
    return fail("--connections must be 1..100000");
  }
  return {};
}

std::string format_duration(Nanos d) {
  double s = static_cast<double>(d.count()) / 1e9;
  if (d.count() == 0) return "0s";
  if (s < 1e-3) return fmt::format("{:.0f}us", s * 1e6);
  if (s < 1) return fmt::format("{:.0f}ms", s * 1e3);
  if (s < 60) return fmt::format("{:g}s", std::round(s * 1000) / 1000);
  auto whole = static_cast<int64_t>(std::llround(s));
  if (whole < 3600) return fmt::format("{}m{}s", whole / 60, whole % 60);
  return fmt::format("{}h{}m{}s", whole / 3600, whole / 60 % 60, whole % 60);
}

}  // namespace goinstr::load
