// SPDX-License-Identifier: Apache-2.0
// Logging goes to stderr through spdlog so that stdout stays free for spans (console exporter) and
// for `inspect --json`. GOINSTR_LOG_LEVEL=debug|info|warn|error selects the level.
#pragma once

#include <spdlog/spdlog.h>

namespace goinstr::log {

// Sets up the stderr logger once; safe to call more than once.
void init(const char* level_override = nullptr);

}  // namespace goinstr::log
