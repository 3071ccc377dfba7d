// SPDX-License-Identifier: Apache-2.0
// Two chart kinds as self-contained inline SVG (no scripts, no fonts to fetch): a line chart over
// time and a grouped bar chart with confidence-interval whiskers. Both start their value axis at
// 0, so bar heights and line heights compare honestly, and escape every label they draw.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "bench/stats.hpp"

namespace goinstr::bench {

struct LegendEntry {
  std::string label;
  std::string color;
  bool dashed = false;
};

struct LinePoint {
  double x = 0;
  double y = 0;
};

struct LineSeries {
  std::string label;  // tooltip
  std::string color;
  bool dashed = false;
  std::vector<LinePoint> points;
};

struct LineChart {
  std::string title;
  std::string x_label;
  std::string y_label;
  std::vector<LineSeries> series;
  std::vector<LegendEntry> legend;
};

struct BarSeries {
  std::string label;
  std::string color;
  std::vector<std::optional<Estimate>> values;  // one per group; nullopt draws no bar
};

struct BarChart {
  std::string title;
  std::string y_label;
  std::vector<std::string> groups;  // along the x axis
  std::vector<BarSeries> series;    // side by side within each group, one legend entry each
};

std::string render_line_chart(const LineChart& chart);
std::string render_bar_chart(const BarChart& chart);

// An axis from 0 to a round maximum >= max_value, in steps of 1, 2 or 5 times a power of ten.
struct Axis {
  double max = 1;
  double step = 1;
};
Axis nice_axis(double max_value, int target_ticks = 5);

}  // namespace goinstr::bench
