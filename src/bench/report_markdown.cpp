// SPDX-License-Identifier: Apache-2.0
#include <algorithm>

#include "bench/report_format.hpp"
#include "bench/report_render.hpp"

namespace goinstr::bench {
namespace {

std::string table_row(const std::vector<std::string>& cells) {
  std::string line = "|";
  for (const std::string& cell : cells) line += " " + escape_markdown(cell) + " |";
  return line + "\n";
}

std::string render(const Heading& h) {
  return std::string(static_cast<size_t>(std::clamp(h.level, 1, 6)), '#') + " " +
         escape_markdown(h.text) + "\n";
}

std::string render(const Paragraph& p) {
  return escape_markdown(p.text) + "\n";
}

std::string render(const BulletList& list) {
  std::string out;
  for (const std::string& item : list.items) out += "- " + escape_markdown(item) + "\n";
  return out;
}

// A fence longer than any run of backticks in the text, so the text cannot close it.
std::string render(const CodeBlock& code) {
  size_t longest = 0, run = 0;
  for (char c : code.text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(std::max<size_t>(3, longest + 1), '`');
  return fence + "\n" + code.text + "\n" + fence + "\n";
}

std::string render(const Table& table) {
  std::string out = table_row(table.header);
  out += "|";
  for (size_t i = 0; i < table.header.size(); ++i)
    out += i < table.align.size() && table.align[i] == Align::kRight ? "---:|" : "---|";
  out += "\n";
  for (const auto& row : table.rows) out += table_row(row);
  return out;
}

std::string render(const Figure&) {
  return "";
}

}  // namespace

std::string render_markdown(const Document& doc) {
  std::string out;
  for (const Block& block : doc) {
    std::string text = visit_block(block, [](const auto& b) { return render(b); });
    if (text.empty()) continue;
    if (!out.empty()) out += "\n";
    out += text;
  }
  return out;
}

}  // namespace goinstr::bench
