// SPDX-License-Identifier: Apache-2.0
// A whole file as a string, for golden and fixture comparisons. Header-only, so unit tests that
// link no test-support library can use it.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace goinstr::testing {

// The file's bytes; empty when it cannot be read (the comparison that follows then fails).
inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace goinstr::testing
