// SPDX-License-Identifier: Apache-2.0
// Files compiled into the goinstr binary by cmake/EmbedFiles.cmake.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

namespace goinstr {

struct EmbeddedFile {
  std::string_view path;  // relative to the directory it was embedded from
  std::string_view text;
};

}  // namespace goinstr
