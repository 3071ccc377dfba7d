// SPDX-License-Identifier: Apache-2.0
// The progress line of `goinstr bench` on stderr:
//   [ 7/24] compile-time / insert / round 2  ▕████▌   ▏ 42%  ETA 3m10s  last: 11234 rps p99 4.1 ms
// redrawn in place on a terminal, one line per finished run otherwise.
#pragma once

#include <optional>
#include <string>

namespace goinstr::bench {

struct ProgressState {
  int run = 0;    // 1-based number of the current (or just finished) run
  int total = 0;  // runs planned
  std::string label;
  double fraction = 0;  // of the whole bench, 0-1
  std::optional<double> eta_s;
  std::optional<double> last_rps;  // the last finished run
  std::optional<double> last_p99_ms;
};

// `cells` wide between ▕ and ▏, in eighths of a cell.
std::string progress_bar(double fraction, int cells);
// "45s", "3m10s", "1h02m".
std::string format_eta(double seconds);
std::string format_progress(const ProgressState& state);

// Estimates the time left from the runs finished so far (their mean wall time, setup and
// teardown included), or from the load profile's length before the first one finishes.
class EtaEstimator {
 public:
  explicit EtaEstimator(double planned_run_s) : planned_run_s_(planned_run_s) {}
  void finished_run(double wall_s);
  // Seconds left with `remaining` runs to go after the current one, which has run `current_s`.
  double eta(int remaining, double current_s) const;
  double per_run() const;

 private:
  double planned_run_s_;
  double finished_s_ = 0;
  int finished_ = 0;
};

}  // namespace goinstr::bench
