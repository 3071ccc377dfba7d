// SPDX-License-Identifier: Apache-2.0
#include "common/log.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>

#include <cstdlib>
#include <mutex>

namespace goinstr::log {

void init(const char* level_override) {
  static std::once_flag once;
  std::call_once(once, [] {
    auto logger = spdlog::stderr_color_mt("goinstr");
    logger->set_pattern("goinstr: %^%l%$: %v");
    spdlog::set_default_logger(logger);
  });
  const char* level = level_override ? level_override : std::getenv("GOINSTR_LOG_LEVEL");
  spdlog::set_level(level ? spdlog::level::from_str(level) : spdlog::level::info);
}

}  // namespace goinstr::log
