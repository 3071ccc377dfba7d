// SPDX-License-Identifier: Apache-2.0
// How the report writes numbers and text: three significant digits, `median [low, high]`, and
// the escaping that keeps names from results.json (config-chosen, so anything) inert in Markdown
// and HTML.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "bench/stats.hpp"

namespace goinstr::bench {

// What the report prints where there is no number (no run, no agent, no baseline).
inline constexpr std::string_view kNoValue = "—";

// Three significant digits: 12345 -> "12300", 1.5 -> "1.50", 0.000123 -> "0.000123", 0 -> "0".
// Not finite -> kNoValue.
std::string format_number(double value);

// Counts (errors) are whole numbers: 2 -> "2", not "2.00"; a median between two counts keeps
// three significant digits (2.5 -> "2.50").
std::string format_count(double value);

enum class NumberKind { kMeasure, kCount };

// "median [low, high]"; just "median" when the interval is a point (n == 1 or identical runs);
// kNoValue for nullopt.
std::string format_estimate(const std::optional<Estimate>& estimate,
                            NumberKind kind = NumberKind::kMeasure);

// Axis tick labels: as many decimals as the tick step needs (step 0.5 -> "1.5", step 20 -> "40").
std::string format_tick(double value, double step);

// & < > " ' as entities: safe in HTML text, attributes and SVG.
std::string escape_html(std::string_view text);

// Backslash before the characters that would turn plain text into Markdown or HTML markup
// (\ ` * < > |, the last so table cells stay cells, and _ except inside a word, where CommonMark
// never reads it as emphasis: CAP_BPF stays readable); line breaks become spaces.
std::string escape_markdown(std::string_view text);

}  // namespace goinstr::bench
