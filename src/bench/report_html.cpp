// SPDX-License-Identifier: Apache-2.0
#include <algorithm>

#include "bench/report_format.hpp"
#include "bench/report_render.hpp"

namespace goinstr::bench {
namespace {

constexpr const char* kStyle = R"(
body { font: 15px/1.45 system-ui, sans-serif; color: #1a1a1a; margin: 0; background: #fafafa; }
main { max-width: 1200px; margin: 0 auto; padding: 1em 2em 3em; background: #ffffff; }
h1 { font-size: 1.7em; } h2 { margin-top: 1.8em; border-bottom: 1px solid #ddd; }
h3 { margin-top: 1.5em; } h4 { margin-bottom: 0.3em; color: #444; }
table { border-collapse: collapse; margin: 0.5em 0 1em; font-size: 0.9em; }
th, td { border: 1px solid #d0d0d0; padding: 0.25em 0.6em; vertical-align: top; }
th { background: #f0f0f0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tbody tr:nth-child(even) { background: #f8f8f8; }
pre { background: #f3f3f3; padding: 0.6em; overflow-x: auto; }
figure { margin: 1em 0; } svg { max-width: 100%; height: auto; border: 1px solid #e5e5e5; }
)";

std::string element(const char* tag, const std::string& text) {
  return std::string("<") + tag + ">" + escape_html(text) + "</" + tag + ">\n";
}

std::string render(const Heading& h) {
  const std::string tag = "h" + std::to_string(std::clamp(h.level, 1, 6));
  return element(tag.c_str(), h.text);
}

std::string render(const Paragraph& p) {
  return element("p", p.text);
}

std::string render(const BulletList& list) {
  std::string out = "<ul>\n";
  for (const std::string& item : list.items) out += element("li", item);
  return out + "</ul>\n";
}

std::string render(const CodeBlock& code) {
  return "<pre><code>" + escape_html(code.text) + "</code></pre>\n";
}

std::string render(const Table& table) {
  std::string out = "<table>\n<thead><tr>";
  for (const std::string& h : table.header) out += "<th>" + escape_html(h) + "</th>";
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& row : table.rows) {
    out += "<tr>";
    for (size_t i = 0; i < row.size(); ++i) {
      const bool right = i < table.align.size() && table.align[i] == Align::kRight;
      out += (right ? "<td class=\"num\">" : "<td>") + escape_html(row[i]) + "</td>";
    }
    out += "</tr>\n";
  }
  return out + "</tbody>\n</table>\n";
}

// The SVG was built with every label escaped: it goes in as markup.
std::string render(const Figure& figure) {
  return "<figure>\n" + figure.svg + "\n</figure>\n";
}

std::string page_title(const Document& doc) {
  for (const Block& block : doc)
    if (block.kind == Block::Kind::kHeading) return block.heading.text;
  return "report";
}

}  // namespace

std::string render_html(const Document& doc) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
      escape_html(page_title(doc)) + "</title>\n<style>" + kStyle +
      "</style>\n</head>\n<body>\n<main>\n";
  for (const Block& block : doc) out += visit_block(block, [](const auto& b) { return render(b); });
  return out + "</main>\n</body>\n</html>\n";
}

}  // namespace goinstr::bench
