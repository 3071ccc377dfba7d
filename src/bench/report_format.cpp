// SPDX-License-Identifier: Apache-2.0
#include "bench/report_format.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>

namespace goinstr::bench {
namespace {

constexpr int kSignificantDigits = 3;

int decimal_magnitude(double value) {
  return static_cast<int>(std::floor(std::log10(value)));
}

}  // namespace

std::string format_number(double value) {
  if (!std::isfinite(value)) return std::string(kNoValue);
  if (value == 0) return "0";
  const double scale = std::pow(10.0, decimal_magnitude(std::fabs(value)) - kSignificantDigits + 1);
  const double rounded = std::round(value / scale) * scale;
  // Recomputed after rounding: 9.996 rounds to 10.0, which has one decimal less.
  const int decimals = std::max(0, kSignificantDigits - 1 - decimal_magnitude(std::fabs(rounded)));
  return fmt::format("{:.{}f}", rounded, decimals);
}

std::string format_count(double value) {
  if (std::isfinite(value) && value == std::round(value) && std::fabs(value) < 1e15)
    return fmt::format("{:.0f}", value);
  return format_number(value);
}

std::string format_estimate(const std::optional<Estimate>& estimate, NumberKind kind) {
  if (!estimate) return std::string(kNoValue);
  auto format = kind == NumberKind::kCount ? format_count : format_number;
  const std::string value = format(estimate->value);
  if (estimate->is_point()) return value;
  return value + " [" + format(estimate->low) + ", " + format(estimate->high) + "]";
}

std::string format_tick(double value, double step) {
  const int decimals = std::max(0, -decimal_magnitude(step));
  std::string text = fmt::format("{:.{}f}", value, decimals);
  return text == "-0" ? "0" : text;
}

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string escape_markdown(std::string_view text) {
  auto is_word = [&](size_t i) {
    return i < text.size() && std::isalnum(static_cast<unsigned char>(text[i]));
  };
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n' || c == '\r') {
      out += ' ';
      continue;
    }
    const bool inside_word = i > 0 && is_word(i - 1) && is_word(i + 1);
    if (std::string_view("\\`*<>|").find(c) != std::string_view::npos || (c == '_' && !inside_word))
      out += '\\';
    out += c;
  }
  return out;
}

}  // namespace goinstr::bench
