// SPDX-License-Identifier: Apache-2.0
#include "bench/report_svg.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "bench/report_format.hpp"

namespace goinstr::bench {
namespace {

constexpr double kWidth = 760;
constexpr double kLegendX = 600;
constexpr double kCharWidth = 7;  // a rough width of one 12px sans-serif character

// The drawing area inside the SVG, and the mapping of data into it.
struct Frame {
  double height = 0;
  double left = 64, top = 40, right = 580, bottom = 0;
  Axis x, y;

  double px(double value) const { return left + std::clamp(value / x.max, 0.0, 1.0) * width(); }
  // Values outside [0, max] are clamped: nothing the report measures is negative, and a corrupt
  // number must not draw over the legend.
  double py(double value) const {
    return bottom - std::clamp(value / y.max, 0.0, 1.0) * (bottom - top);
  }
  double width() const { return right - left; }
};

std::string num(double v) {
  return fmt::format("{:.1f}", v);
}

std::string open_svg(const Frame& f, const std::string& title) {
  const std::string t = escape_html(title);
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} "
      "{1}\" role=\"img\" aria-label=\"{2}\" font-family=\"sans-serif\" font-size=\"12\">\n"
      "<title>{2}</title>\n"
      "<rect width=\"{0}\" height=\"{1}\" fill=\"#ffffff\"/>\n"
      "<text x=\"{3}\" y=\"22\" font-size=\"14\" font-weight=\"bold\">{2}</text>\n",
      num(kWidth), num(f.height), t, num(f.left));
}

std::string horizontal_grid(const Frame& f, const std::string& y_label) {
  std::string out;
  const int ticks = static_cast<int>(std::lround(f.y.max / f.y.step));
  for (int i = 0; i <= ticks; ++i) {
    const double value = i * f.y.step;
    const double y = f.py(value);
    out += fmt::format(
        "<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#dddddd\"/>"
        "<text x=\"{3}\" y=\"{4}\" text-anchor=\"end\">{5}</text>\n",
        num(f.left), num(y), num(f.right), num(f.left - 6), num(y + 4),
        format_tick(value, f.y.step));
  }
  const double middle = (f.top + f.bottom) / 2;
  out += fmt::format(
      "<text x=\"16\" y=\"{0}\" text-anchor=\"middle\" transform=\"rotate(-90 16 {0})\">{1}"
      "</text>\n",
      num(middle), escape_html(y_label));
  out += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#333333\"/>\n",
                     num(f.left), num(f.top), num(f.bottom));
  return out;
}

std::string x_axis_line(const Frame& f) {
  return fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#333333\"/>\n",
                     num(f.left), num(f.bottom), num(f.right));
}

std::string numeric_x_axis(const Frame& f, const std::string& x_label) {
  std::string out = x_axis_line(f);
  const int ticks = static_cast<int>(std::lround(f.x.max / f.x.step));
  for (int i = 0; i <= ticks; ++i) {
    const double value = i * f.x.step;
    const double x = f.px(value);
    out += fmt::format(
        "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#333333\"/>"
        "<text x=\"{0}\" y=\"{3}\" text-anchor=\"middle\">{4}</text>\n",
        num(x), num(f.bottom), num(f.bottom + 5), num(f.bottom + 18), format_tick(value, f.x.step));
  }
  out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
                     num((f.left + f.right) / 2), num(f.bottom + 38), escape_html(x_label));
  return out;
}

std::string legend(const std::vector<LegendEntry>& entries, bool swatches_are_bars) {
  std::string out;
  double y = 48;
  for (const LegendEntry& e : entries) {
    if (swatches_are_bars)
      out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"14\" height=\"10\" fill=\"{}\"/>",
                         num(kLegendX), num(y - 9), e.color);
    else
      out += fmt::format(
          "<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"{3}\" "
          "stroke-width=\"2\"{4}/>",
          num(kLegendX), num(y - 4), num(kLegendX + 24), e.color,
          e.dashed ? " stroke-dasharray=\"5 3\"" : "");
    out += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>\n", num(kLegendX + 30), num(y),
                       escape_html(e.label));
    y += 18;
  }
  return out;
}

std::string polyline(const Frame& f, const LineSeries& s) {
  std::string points;
  for (const LinePoint& p : s.points) {
    if (!points.empty()) points += ' ';
    points += num(f.px(p.x)) + "," + num(f.py(p.y));
  }
  const std::string label = escape_html(s.label);
  // One point draws no line: mark it so a one-second run still shows.
  if (s.points.size() == 1)
    return fmt::format(
        "<circle cx=\"{}\" cy=\"{}\" r=\"3\" fill=\"{}\"><title>{}</title></circle>\n",
        num(f.px(s.points[0].x)), num(f.py(s.points[0].y)), s.color, label);
  return fmt::format(
      "<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"{}\"{} points=\"{}\"><title>{}"
      "</title></polyline>\n",
      s.color, s.dashed ? "1.5" : "2", s.dashed ? " stroke-dasharray=\"5 3\"" : "", points, label);
}

double largest_line_value(const LineChart& chart, bool x) {
  double largest = 0;
  for (const LineSeries& s : chart.series)
    for (const LinePoint& p : s.points) largest = std::max(largest, x ? p.x : p.y);
  return largest;
}

double largest_bar_value(const BarChart& chart) {
  double largest = 0;
  for (const BarSeries& s : chart.series)
    for (const auto& v : s.values)
      if (v) largest = std::max({largest, v->value, v->high});
  return largest;
}

std::string whisker(const Frame& f, double x, double half_cap, const Estimate& e) {
  if (e.is_point()) return "";
  const double low = f.py(e.low), high = f.py(e.high);
  return fmt::format(
      "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#222222\"/>"
      "<line x1=\"{3}\" y1=\"{1}\" x2=\"{4}\" y2=\"{1}\" stroke=\"#222222\"/>"
      "<line x1=\"{3}\" y1=\"{2}\" x2=\"{4}\" y2=\"{2}\" stroke=\"#222222\"/>\n",
      num(x), num(low), num(high), num(x - half_cap), num(x + half_cap));
}

std::string bars(const Frame& f, const BarChart& chart) {
  std::string out;
  const double group_width = f.width() / static_cast<double>(chart.groups.size());
  const double bar_width = group_width * 0.7 / static_cast<double>(chart.series.size());
  for (size_t g = 0; g < chart.groups.size(); ++g) {
    const double group_left = f.left + group_width * (static_cast<double>(g) + 0.15);
    for (size_t s = 0; s < chart.series.size(); ++s) {
      const auto& value =
          g < chart.series[s].values.size() ? chart.series[s].values[g] : std::optional<Estimate>{};
      if (!value) continue;
      const double x = group_left + bar_width * static_cast<double>(s);
      const double top = f.py(value->value);
      out += fmt::format(
          "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{}</title>"
          "</rect>\n",
          num(x), num(top), num(bar_width), num(f.bottom - top), chart.series[s].color,
          escape_html(chart.groups[g] + ", " + chart.series[s].label + ": " +
                      format_estimate(value)));
      out += whisker(f, x + bar_width / 2, bar_width * 0.2, *value);
    }
  }
  return out;
}

std::string group_labels(const Frame& f, const std::vector<std::string>& groups) {
  std::string out = x_axis_line(f);
  const double group_width = f.width() / static_cast<double>(groups.size());
  size_t longest = 0;
  for (const std::string& g : groups) longest = std::max(longest, g.size());
  // Long names would overlap their neighbours: slant them all.
  const bool slant = static_cast<double>(longest) * kCharWidth > group_width;
  for (size_t g = 0; g < groups.size(); ++g) {
    const double x = f.left + group_width * (static_cast<double>(g) + 0.5);
    const double y = f.bottom + 18;
    const std::string transform =
        slant ? fmt::format(" transform=\"rotate(-30 {} {})\"", num(x), num(y)) : "";
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"{}\"{}>{}</text>\n", num(x), num(y),
                       slant ? "end" : "middle", transform, escape_html(groups[g]));
  }
  return out;
}

}  // namespace

Axis nice_axis(double max_value, int target_ticks) {
  if (!(max_value > 0) || !std::isfinite(max_value)) return Axis{1, 0.2};
  const double raw = max_value / target_ticks;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double normalized = raw / magnitude;
  const double unit = normalized <= 1 ? 1 : normalized <= 2 ? 2 : normalized <= 5 ? 5 : 10;
  const double step = unit * magnitude;
  // The small slack keeps 10.000000001 (a floating-point sum) from adding a whole empty step.
  return Axis{std::ceil(max_value / step - 1e-9) * step, step};
}

std::string render_line_chart(const LineChart& chart) {
  Frame f;
  f.height = 360;
  f.bottom = f.height - 50;
  f.x = nice_axis(largest_line_value(chart, true), 8);
  f.y = nice_axis(largest_line_value(chart, false));
  std::string out = open_svg(f, chart.title);
  out += horizontal_grid(f, chart.y_label);
  out += numeric_x_axis(f, chart.x_label);
  for (const LineSeries& s : chart.series) out += polyline(f, s);
  out += legend(chart.legend, false);
  return out + "</svg>";
}

std::string render_bar_chart(const BarChart& chart) {
  Frame f;
  f.height = 380;
  f.bottom = f.height - 90;
  f.y = nice_axis(largest_bar_value(chart));
  std::string out = open_svg(f, chart.title);
  out += horizontal_grid(f, chart.y_label);
  if (!chart.groups.empty()) {
    if (!chart.series.empty()) out += bars(f, chart);
    out += group_labels(f, chart.groups);
  }
  std::vector<LegendEntry> entries;
  for (const BarSeries& s : chart.series) entries.push_back({s.label, s.color, false});
  out += legend(entries, true);
  return out + "</svg>";
}

}  // namespace goinstr::bench
