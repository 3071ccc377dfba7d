// SPDX-License-Identifier: Apache-2.0
// Parser core: the token window, comment grouping, error reporting, and the public entry points.
#include <fmt/format.h>

#include <fstream>

#include "gosrc/parser_impl.hpp"

namespace goinstr::gosrc {
namespace detail {

Parser::Parser(File& file) : file_(file), src_(file.source()), lex_(src_) {}

void Parser::next() {
  lead_comment_ = nullptr;
  line_comment_ = nullptr;
  const Pos prev_begin = tok_.kind == Tok::kIllegal ? kNoPos : tok_.begin;  // kNoPos: first token
  const size_t before = lex_.comments().size();
  tok_ = lex_.next();
  if (tok_.kind == Tok::kIllegal) error(lex_.error()->pos, lex_.error()->message);
  if (lex_.comments().size() != before) attach_comments(before, prev_begin);
}

// Groups the comments the lexer skipped before tok_ and classifies them as go/parser does:
//  - a group starting on the previous token's line is that line's trailing comment
//    (line_comment_) if tok_ is on another line;
//  - the last group is tok_'s doc comment (lead_comment_) if it ends on the line right before.
void Parser::attach_comments(size_t first, Pos prev_begin) {
  const auto& cs = lex_.comments();
  size_t i = first;
  const uint32_t tok_line = line(tok_.begin);
  if (prev_begin != kNoPos && line(cs[i].begin) == line(prev_begin)) {
    auto [group, end_line] = take_comment_group(i, 0);
    if (tok_line != end_line || tok_.kind == Tok::kSemicolon || tok_.kind == Tok::kEof) {
      line_comment_ = group;
    }
  }
  CommentGroup* last = nullptr;
  uint32_t last_end_line = 0;
  while (i < cs.size()) std::tie(last, last_end_line) = take_comment_group(i, 1);
  if (last != nullptr && last_end_line + 1 == tok_line) lead_comment_ = last;
}

// Takes comments from index i while each starts at most `max_gap` lines after the previous
// one ends (0: same line, 1: adjacent lines). Returns the group and the line it ends on.
std::pair<CommentGroup*, uint32_t> Parser::take_comment_group(size_t& i, uint32_t max_gap) {
  const auto& cs = lex_.comments();
  const size_t mark = comment_items_.mark();
  uint32_t end_line = line(cs[i].begin);
  while (i < cs.size() && line(cs[i].begin) <= end_line + max_gap) {
    const Token& t = cs[i++];
    auto* c = make<Comment>(t.begin, t.end);
    c->text = src_.substr(t.begin, t.end - t.begin);
    comment_items_.push(c);
    end_line = line(t.end - 1);
  }
  List<Comment> list = comment_items_.take(file_.arena, mark);
  auto* g = make<CommentGroup>(list.front()->begin, list.back()->end);
  g->list = list;
  comment_groups_.push(g);
  return {g, end_line};
}

void Parser::error(Pos pos, std::string message) const {
  throw ParseError{pos, std::move(message)};
}

std::string Parser::describe_token() const {
  if (tok_.implicit()) return "newline";
  if (is_literal(tok_.kind)) return std::string(token_text());  // as go/parser: 123, not 'INT'
  return fmt::format("'{}'", tok_string(tok_.kind));
}

void Parser::error_expected(std::string_view what) const {
  error(tok_.begin, fmt::format("expected {}, found {}", what, describe_token()));
}

Pos Parser::expect(Tok t) {
  if (tok_.kind != t) {
    error_expected(fmt::format("'{}'", tok_string(t)));
  }
  const Pos at = tok_.begin;
  next();
  return at;
}

// Like expect, with a better message for the common mistake of a list broken across lines
// without a trailing comma.
Pos Parser::expect_closing(Tok t, std::string_view context) {
  if (tok_.kind != t && tok_.implicit()) {
    error(tok_.begin, fmt::format("missing ',' before newline in {}", context));
  }
  return expect(t);
}

bool Parser::at_comma(std::string_view context, Tok follow) {
  if (tok_.kind == Tok::kComma) return true;
  if (tok_.kind != follow) {
    error(tok_.begin,
          fmt::format("missing ','{} in {}", tok_.implicit() ? " before newline" : "", context));
  }
  return false;
}

// Ends a statement or spec. The semicolon may be omitted before ')' or '}'. Returns the comment
// trailing the statement on its line, if any (which is why explicit and inserted semicolons differ:
// the comment follows an explicit ';' but precedes an inserted one).
CommentGroup* Parser::expect_semi() {
  if (tok_.kind == Tok::kRparen || tok_.kind == Tok::kRbrace) return nullptr;
  if (tok_.kind != Tok::kSemicolon) error_expected("';'");
  if (tok_.implicit()) {
    CommentGroup* c = line_comment_;
    next();
    return c;
  }
  next();
  return line_comment_;
}

Expr* unparen(Expr* x) {
  while (auto* p = dyn_cast<ParenExpr>(x)) x = p->x;
  return x;
}

}  // namespace detail

std::string File::location(Pos offset) const {
  LineCol lc = position(offset);
  return fmt::format("{}:{}:{}", filename, lc.line, lc.column);
}

Result<File> parse_source(std::string filename, std::string source) {
  if (source.size() >= kNoPos) return fail(filename + ": file too large");
  File f;
  f.filename = std::move(filename);
  f.source_text = std::make_unique<const std::string>(std::move(source));
  f.lines = LineTable(f.source());
  try {
    detail::Parser(f).parse_file();
  } catch (const detail::ParseError& e) {
    return fail(fmt::format("{}: {}", f.location(e.pos), e.message));
  }
  return f;
}

Result<File> parse_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    if (ec) return fail("open " + path.string() + ": " + ec.message());
    return fail("open " + path.string() + ": not a regular file");
  }
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return fail_errno("open " + path.string());
  std::string data(static_cast<size_t>(in.tellg()), '\0');
  in.seekg(0);
  if (!in.read(data.data(), static_cast<std::streamsize>(data.size()))) {
    return fail_errno("read " + path.string());
  }
  return parse_source(path.string(), std::move(data));
}

}  // namespace goinstr::gosrc
