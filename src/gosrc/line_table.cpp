// SPDX-License-Identifier: Apache-2.0
#include "gosrc/line_table.hpp"

#include <algorithm>
#include <cstring>

namespace goinstr::gosrc {

LineTable::LineTable(std::string_view source) {
  starts_.reserve(source.size() / 32 + 1);  // Go source averages ~30 bytes a line
  starts_.push_back(0);
  const char* base = source.data();
  const char* p = base;
  const char* end = base + source.size();
  while (p < end) {
    const void* nl = std::memchr(p, '\n', static_cast<size_t>(end - p));
    if (nl == nullptr) break;
    p = static_cast<const char*>(nl) + 1;
    // As in go/token, a final newline does not start a line: end of file after it is reported
    // at the end of the last line (where gofmt and go vet put "expected '}', found 'EOF'").
    if (p < end) starts_.push_back(static_cast<Pos>(p - base));
  }
}

LineCol LineTable::at(Pos offset) const {
  if (starts_.empty()) return {1, offset + 1};
  auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  auto line = static_cast<uint32_t>(it - starts_.begin());  // it > begin since starts_[0] == 0
  return {line, offset - *std::prev(it) + 1};
}

uint32_t LineTable::line(Pos offset, uint32_t& hint) const {
  // hint is 1-based; line n spans [starts_[n-1], starts_[n]).
  for (int step = 0; step < 4 && hint >= 1 && hint <= starts_.size(); ++step) {
    if (offset < starts_[hint - 1]) break;
    if (hint == starts_.size() || offset < starts_[hint]) return hint;
    ++hint;
  }
  hint = line(offset);
  return hint;
}

Pos LineTable::line_start(uint32_t line) const {
  if (line == 0 || line > starts_.size()) return kNoPos;
  return starts_[line - 1];
}

}  // namespace goinstr::gosrc
