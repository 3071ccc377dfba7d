// SPDX-License-Identifier: Apache-2.0
// Maps byte offsets to 1-based line:column. Columns count bytes, as gc and go/token do, so an
// error position matches what `go build` prints for the same file.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "gosrc/token.hpp"

namespace goinstr::gosrc {

struct LineCol {
  uint32_t line = 0;    // 1-based
  uint32_t column = 0;  // 1-based, in bytes
};

class LineTable {
 public:
  LineTable() = default;
  explicit LineTable(std::string_view source);

  LineCol at(Pos offset) const;
  uint32_t line(Pos offset) const { return at(offset).line; }
  // line(offset), starting the search at *hint (a previous answer): the parser asks about
  // nearby offsets in increasing order, which this answers in O(1).
  uint32_t line(Pos offset, uint32_t& hint) const;
  // Offset of the first byte of 1-based `line`; kNoPos when out of range.
  Pos line_start(uint32_t line) const;
  size_t line_count() const { return starts_.size(); }

 private:
  std::vector<Pos> starts_;  // offset of each line's first byte; starts_[0] == 0
};

}  // namespace goinstr::gosrc
