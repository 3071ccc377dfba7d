// SPDX-License-Identifier: Apache-2.0
#include "bench/console.hpp"

#include <unistd.h>

#include <cstdio>

namespace goinstr::bench {

Console::Console() : tty_(isatty(STDERR_FILENO) != 0) {}

void Console::draw(const std::string& line) {
  std::fprintf(stderr, "\r\033[K%s", line.c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void Console::note(const std::string& line) {
  if (tty_ && drawn_) std::fputs("\r\033[K", stderr);
  drawn_ = false;
  std::fprintf(stderr, "%s\n", line.c_str());
  std::fflush(stderr);
}

void Console::status(const ProgressState& state) {
  if (tty_) draw(format_progress(state));
}

void Console::finished(const ProgressState& state) {
  if (tty_) {
    draw(format_progress(state));
  } else {
    std::fprintf(stderr, "%s\n", format_progress(state).c_str());
    std::fflush(stderr);
  }
}

void Console::end() {
  if (tty_ && drawn_) std::fputc('\n', stderr);
  drawn_ = false;
}

}  // namespace goinstr::bench
