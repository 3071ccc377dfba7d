// SPDX-License-Identifier: Apache-2.0
// Where `goinstr bench` talks while it runs (stderr): notes (builds, skips) and the progress
// line, redrawn in place on a terminal and printed once per finished run into a file or pipe.
#pragma once

#include <string>

#include "bench/progress.hpp"

namespace goinstr::bench {

class Console {
 public:
  Console();
  // A line that stays.
  void note(const std::string& line);
  // The live progress line: drawn on a terminal only.
  void status(const ProgressState& state);
  // A run finished: redrawn on a terminal, printed as a line otherwise.
  void finished(const ProgressState& state);
  // Leaves the progress line behind before the summary.
  void end();

 private:
  void draw(const std::string& line);
  bool tty_;
  bool drawn_ = false;
};

}  // namespace goinstr::bench
