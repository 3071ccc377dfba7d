// SPDX-License-Identifier: Apache-2.0
// The report as a list of blocks, built once from the results and rendered twice (Markdown and
// HTML), so the two files always say the same thing. All text is plain: each renderer escapes it
// for its format. Figures are SVG markup, already escaped, and only the HTML shows them.
//
// Block is a tagged struct rather than a std::variant: GCC 12 reports a false
// -Wmaybe-uninitialized when a vector of such variants moves a Table, and -Werror is on.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace goinstr::bench {

struct Heading {
  int level = 1;
  std::string text;
};

struct Paragraph {
  std::string text;
};

struct BulletList {
  std::vector<std::string> items;
};

// Preformatted text (the command line).
struct CodeBlock {
  std::string text;
};

enum class Align { kLeft, kRight };

struct Table {
  std::vector<std::string> header;
  std::vector<Align> align;  // one per column; missing columns are left-aligned
  std::vector<std::vector<std::string>> rows;
};

struct Figure {
  std::string svg;
};

struct Block {
  enum class Kind { kHeading, kParagraph, kBulletList, kCodeBlock, kTable, kFigure };

  // Implicit, like a variant's: doc.push_back(Paragraph{"..."}).
  Block(Heading h) : kind(Kind::kHeading), heading(std::move(h)) {}
  Block(Paragraph p) : kind(Kind::kParagraph), paragraph(std::move(p)) {}
  Block(BulletList l) : kind(Kind::kBulletList), list(std::move(l)) {}
  Block(CodeBlock c) : kind(Kind::kCodeBlock), code(std::move(c)) {}
  Block(Table t) : kind(Kind::kTable), table(std::move(t)) {}
  Block(Figure f) : kind(Kind::kFigure), figure(std::move(f)) {}

  Kind kind;
  Heading heading;  // only the member named by `kind` is set
  Paragraph paragraph;
  BulletList list;
  CodeBlock code;
  Table table;
  Figure figure;
};

// Calls f with the block's content (as std::visit would).
template <typename F>
decltype(auto) visit_block(const Block& b, F&& f) {
  switch (b.kind) {
    case Block::Kind::kHeading:
      return f(b.heading);
    case Block::Kind::kParagraph:
      return f(b.paragraph);
    case Block::Kind::kBulletList:
      return f(b.list);
    case Block::Kind::kCodeBlock:
      return f(b.code);
    case Block::Kind::kTable:
      return f(b.table);
    case Block::Kind::kFigure:
      break;
  }
  return f(b.figure);
}

using Document = std::vector<Block>;

}  // namespace goinstr::bench
