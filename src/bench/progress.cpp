// SPDX-License-Identifier: Apache-2.0
#include "bench/progress.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace goinstr::bench {
namespace {

// U+2588 FULL BLOCK down to U+258F LEFT ONE EIGHTH BLOCK, indexed by eighths.
constexpr const char* kEighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"};

}  // namespace

std::string progress_bar(double fraction, int cells) {
  fraction = std::clamp(fraction, 0.0, 1.0);
  int eighths = static_cast<int>(std::lround(fraction * cells * 8));
  std::string bar = "▕";
  for (int cell = 0; cell < cells; ++cell) {
    int filled = std::clamp(eighths - cell * 8, 0, 8);
    bar += filled == 0 ? " " : kEighths[filled];
  }
  return bar + "▏";
}

std::string format_eta(double seconds) {
  auto s = static_cast<long>(std::lround(std::max(0.0, seconds)));
  if (s < 60) return fmt::format("{}s", s);
  if (s < 3600) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}h{:02}m", s / 3600, s / 60 % 60);
}

std::string format_progress(const ProgressState& state) {
  int width = static_cast<int>(std::to_string(state.total).size());
  std::string line = fmt::format("[{:>{}}/{}] {}  {} {:>3.0f}%", state.run, width, state.total,
                                 state.label, progress_bar(state.fraction, 10),
                                 std::floor(std::clamp(state.fraction, 0.0, 1.0) * 100));
  if (state.eta_s) line += "  ETA " + format_eta(*state.eta_s);
  if (state.last_rps) line += fmt::format("  last: {:.0f} rps", *state.last_rps);
  if (state.last_p99_ms) line += fmt::format(" p99 {:.1f} ms", *state.last_p99_ms);
  return line;
}

void EtaEstimator::finished_run(double wall_s) {
  finished_s_ += wall_s;
  ++finished_;
}

double EtaEstimator::per_run() const {
  return finished_ > 0 ? finished_s_ / finished_ : planned_run_s_;
}

double EtaEstimator::eta(int remaining, double current_s) const {
  return std::max(0.0, per_run() - current_s) + remaining * per_run();
}

}  // namespace goinstr::bench
