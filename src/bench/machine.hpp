// SPDX-License-Identifier: Apache-2.0
// The machine a bench ran on, for the report's header: numbers only compare on the same one.
#pragma once

#include <filesystem>

#include "bench/results.hpp"

namespace goinstr::bench {

inline constexpr const char* kGoinstrVersion = "0.1.0";

// `go version` runs in `service_dir`, since its go.mod may select another toolchain.
Machine describe_machine(const std::filesystem::path& service_dir,
                         const std::filesystem::path& log_dir);

}  // namespace goinstr::bench
