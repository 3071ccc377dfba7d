// SPDX-License-Identifier: Apache-2.0
#include "sqltext/sql_summary.hpp"

#include <initializer_list>
#include <utility>
#include <vector>

namespace goinstr::sqltext {
namespace {

// ---- characters (ASCII only: the C locale functions would depend on the process locale) ----

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
// Bytes >= 0x80 belong to identifiers: every dialect accepts UTF-8 letters there.
bool is_ident_start(char c) {
  return is_alpha(c) || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}
bool is_ident_char(char c) {
  return is_ident_start(c) || is_digit(c) || c == '$';
}
char to_upper(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (to_upper(a[i]) != to_upper(b[i])) return false;
  return true;
}

bool iequals_any(std::string_view a, std::initializer_list<std::string_view> set) {
  for (auto b : set)
    if (iequals(a, b)) return true;
  return false;
}

// ---- dialects ----

// How a backslash inside '...' behaves. kAmbiguous: the server setting decides
// (standard_conforming_strings, NO_BACKSLASH_ESCAPES), so a quote after an odd run of backslashes
// ends the string for one setting and not for the other.
enum class Backslash { kNever, kAlways, kAmbiguous };

// The lexical rules that decide where a literal or comment ends.
struct Dialect {
  bool double_quote_is_string = false;
  bool bracket_identifiers = false;  // [name]; elsewhere '[' is an array subscript
  bool dollar_quotes = true;         // $$...$$, $tag$...$tag$
  bool hash_comments = false;        // MySQL "# ..."
  bool slash_comments = false;       // Snowflake "// ..."
  bool q_quotes = false;             // Oracle q'[...]'
  bool numeric_colon_binds = false;  // Oracle :1
  Backslash backslash = Backslash::kAmbiguous;
};

// Unknown system: the union of the risky rules, so no dialect's literal is emitted. Brackets stay
// punctuation because in PostgreSQL ARRAY['x'] the quote inside must still start a string.
constexpr Dialect kUnknownDialect{
    .double_quote_is_string = true, .hash_comments = true, .q_quotes = true};

Dialect dialect_for(std::string_view db_system) {
  if (db_system == "postgresql" || db_system == "cockroachdb") return Dialect{};
  if (db_system == "mysql" || db_system == "mariadb")
    return {.double_quote_is_string = true, .dollar_quotes = false, .hash_comments = true};
  // SQLite reads "x" as a string when no column x exists, so it is masked.
  if (db_system == "sqlite")
    return {.double_quote_is_string = true,
            .bracket_identifiers = true,
            .dollar_quotes = false,
            .backslash = Backslash::kNever};
  if (db_system == "microsoft.sql_server")
    return {.bracket_identifiers = true, .dollar_quotes = false, .backslash = Backslash::kNever};
  if (db_system == "oracle.db")
    return {.dollar_quotes = false,
            .q_quotes = true,
            .numeric_colon_binds = true,
            .backslash = Backslash::kNever};
  if (db_system == "clickhouse") return {.hash_comments = true, .backslash = Backslash::kAlways};
  if (db_system == "snowflake") return {.slash_comments = true, .backslash = Backslash::kAlways};
  return kUnknownDialect;
}

// summarize() only needs names, never masks: "x" and [x] are identifiers there.
constexpr Dialect kSummaryDialect{.bracket_identifiers = true, .q_quotes = true};

// ---- lexer ----

enum class Kind {
  kSpace,        // whitespace or comment
  kWord,         // keyword or unquoted identifier
  kQuotedIdent,  // "x", `x`, [x]
  kLiteral,      // string, number; also everything after an ambiguity
  kPlaceholder,  // $1, ?, ?1, :name, @p1
  kPunct,        // one byte, or "::"
};

struct Token {
  Kind kind;
  std::string_view text;
};

// Splits SQL into tokens. Every call consumes at least one byte and no byte is looked at more
// than a bounded number of times, so a whole pass is linear in the input.
class Lexer {
 public:
  Lexer(std::string_view sql, const Dialect& dialect) : s_(sql), d_(dialect) {}
  bool done() const { return i_ >= s_.size(); }
  Token next();

 private:
  // Longer tags are not worth finding: treating them as unterminated bounds the search cost.
  static constexpr size_t kMaxDollarTag = 64;

  char at(size_t k) const { return k < s_.size() ? s_[k] : '\0'; }
  Token make(Kind kind, size_t start) const { return {kind, s_.substr(start, i_ - start)}; }
  Token rest_as_literal(size_t start) {
    i_ = s_.size();
    return make(Kind::kLiteral, start);
  }
  bool starts_comment() const;
  Token comment(size_t start);
  Token quoted_string(size_t start, size_t open, Backslash mode);
  Token quoted_ident(size_t start, char close);
  Token q_quoted(size_t start);
  Token dollar(size_t start);
  Token dollar_quoted(size_t start, size_t tag_end);
  size_t dollar_tag_end() const;
  Token question(size_t start);
  Token colon(size_t start);
  Token at_sign(size_t start);
  Token number(size_t start);
  Token word(size_t start);
  bool dot_starts_number() const;
  void skip_ident_chars() {
    while (i_ < s_.size() && (is_ident_start(s_[i_]) || is_digit(s_[i_]))) ++i_;
  }

  std::string_view s_;
  Dialect d_;
  size_t i_ = 0;
};

Token Lexer::next() {
  size_t start = i_;
  char c = s_[i_];
  if (is_space(c)) {
    while (i_ < s_.size() && is_space(s_[i_])) ++i_;
    return make(Kind::kSpace, start);
  }
  if (starts_comment()) return comment(start);
  switch (c) {
    case '\'':
      return quoted_string(start, i_, d_.backslash);
    case '"':
      return d_.double_quote_is_string ? quoted_string(start, i_, d_.backslash)
                                       : quoted_ident(start, '"');
    case '`':
      return quoted_ident(start, '`');
    case '[':
      if (d_.bracket_identifiers) return quoted_ident(start, ']');
      break;
    case '$':
      return dollar(start);
    case '?':
      return question(start);
    case ':':
      return colon(start);
    case '@':
      return at_sign(start);
    default:
      break;
  }
  if (is_digit(c) || (c == '.' && dot_starts_number())) return number(start);
  if (is_ident_start(c)) return word(start);
  ++i_;
  return make(Kind::kPunct, start);
}

bool Lexer::starts_comment() const {
  char c = s_[i_], n = at(i_ + 1);
  return (c == '-' && n == '-') || (c == '/' && n == '*') || (c == '#' && d_.hash_comments) ||
         (c == '/' && n == '/' && d_.slash_comments);
}

// Block comments nest (PostgreSQL); for dialects where they do not, nesting only makes the
// comment longer, which drops more text but never emits any.
Token Lexer::comment(size_t start) {
  if (s_[i_] == '/' && at(i_ + 1) == '*') {
    size_t depth = 0;
    while (i_ < s_.size()) {
      if (s_[i_] == '/' && at(i_ + 1) == '*') {
        ++depth, i_ += 2;
      } else if (s_[i_] == '*' && at(i_ + 1) == '/') {
        i_ += 2;
        if (--depth == 0) break;
      } else {
        ++i_;
      }
    }
  } else {
    while (i_ < s_.size() && s_[i_] != '\n') ++i_;
  }
  return make(Kind::kSpace, start);
}

// A string opened at `open` (its quote byte); `start` may be earlier to include a prefix (N'..').
Token Lexer::quoted_string(size_t start, size_t open, Backslash mode) {
  const char quote = s_[open];
  bool odd_backslashes = false;
  for (i_ = open + 1; i_ < s_.size(); ++i_) {
    char c = s_[i_];
    if (c == '\\') {
      if (mode == Backslash::kAlways) ++i_;  // skips the escaped byte
      if (mode == Backslash::kAmbiguous) odd_backslashes = !odd_backslashes;
      continue;
    }
    if (c != quote) {
      odd_backslashes = false;
      continue;
    }
    if (odd_backslashes) break;  // ends here or not, depending on the server: mask the rest
    if (at(i_ + 1) == quote) {   // '' escape
      ++i_;
      continue;
    }
    ++i_;
    return make(Kind::kLiteral, start);
  }
  return rest_as_literal(start);
}

Token Lexer::quoted_ident(size_t start, char close) {
  for (i_ = start + 1; i_ < s_.size(); ++i_) {
    if (s_[i_] != close) continue;
    if (at(i_ + 1) == close) {  // "" escape
      ++i_;
      continue;
    }
    ++i_;
    return make(Kind::kQuotedIdent, start);
  }
  // Unterminated: what follows may well be a literal, so none of it is emitted.
  return rest_as_literal(start);
}

// Oracle q'<open>...<close>'; i_ is at the quote.
Token Lexer::q_quoted(size_t start) {
  char open = at(i_ + 1);
  char close = open == '[' ? ']' : open == '{' ? '}' : open == '(' ? ')' : open == '<' ? '>' : open;
  for (size_t j = i_ + 2; j + 1 < s_.size(); ++j) {
    if (s_[j] == close && s_[j + 1] == '\'') {
      i_ = j + 2;
      return make(Kind::kLiteral, start);
    }
  }
  return rest_as_literal(start);
}

Token Lexer::dollar(size_t start) {
  char n = at(i_ + 1);
  if (is_digit(n)) {  // $1
    ++i_;
    while (i_ < s_.size() && is_digit(s_[i_])) ++i_;
    return make(Kind::kPlaceholder, start);
  }
  if (d_.dollar_quotes) {
    size_t tag_end = dollar_tag_end();
    if (tag_end != std::string_view::npos) return dollar_quoted(start, tag_end);
  }
  ++i_;
  if (!is_ident_start(n)) return make(Kind::kPunct, start);
  skip_ident_chars();  // SQLite $name
  return make(Kind::kPlaceholder, start);
}

// One past the closing '$' of a "$$" or "$tag$" at i_; npos when there is none.
size_t Lexer::dollar_tag_end() const {
  size_t j = i_ + 1;
  if (at(j) != '$' && !is_ident_start(at(j))) return std::string_view::npos;
  while (j < s_.size() && (is_ident_start(s_[j]) || is_digit(s_[j]))) ++j;
  return at(j) == '$' ? j + 1 : std::string_view::npos;
}

Token Lexer::dollar_quoted(size_t start, size_t tag_end) {
  std::string_view tag = s_.substr(start, tag_end - start);
  if (tag.size() > kMaxDollarTag) return rest_as_literal(start);
  // find() costs at most |tag| per byte, and |tag| is bounded.
  size_t close = s_.find(tag, tag_end);
  if (close == std::string_view::npos) return rest_as_literal(start);
  i_ = close + tag.size();
  return make(Kind::kLiteral, start);
}

Token Lexer::question(size_t start) {
  ++i_;
  while (i_ < s_.size() && is_digit(s_[i_])) ++i_;  // SQLite ?NNN
  return make(Kind::kPlaceholder, start);
}

Token Lexer::colon(size_t start) {
  char n = at(i_ + 1);
  if (n == ':') {  // PostgreSQL cast
    i_ += 2;
    return make(Kind::kPunct, start);
  }
  ++i_;
  // ":2" elsewhere is an array slice bound (arr[1:2]), a literal.
  if (is_ident_start(n) || (d_.numeric_colon_binds && is_digit(n))) {
    skip_ident_chars();
    return make(Kind::kPlaceholder, start);
  }
  return make(Kind::kPunct, start);
}

// @p1, @name (SQL Server, MySQL user variables), @@version. "@5" is PostgreSQL's abs() of a
// literal.
Token Lexer::at_sign(size_t start) {
  size_t j = i_;
  while (at(j) == '@') ++j;
  if (!is_ident_start(at(j))) {
    ++i_;
    return make(Kind::kPunct, start);
  }
  i_ = j;
  skip_ident_chars();
  return make(Kind::kPlaceholder, start);
}

// Everything glued to a leading digit is one literal: 42, 3.14, 1e-5, 0xFF, 1_000, and MySQL's
// digit-led names (masked too: a name lost is better than a number kept).
Token Lexer::number(size_t start) {
  const bool hex = s_[i_] == '0' && (at(i_ + 1) == 'x' || at(i_ + 1) == 'X');
  ++i_;
  while (i_ < s_.size()) {
    char c = s_[i_], prev = s_[i_ - 1];
    bool exponent_sign = (c == '+' || c == '-') && !hex && (prev == 'e' || prev == 'E');
    if (!is_ident_char(c) && c != '.' && !exponent_sign) break;
    ++i_;
  }
  return make(Kind::kLiteral, start);
}

// ".5" is a number, "t.5" and "\"t\".x" are qualified names.
bool Lexer::dot_starts_number() const {
  if (!is_digit(at(i_ + 1))) return false;
  if (i_ == 0) return true;
  char prev = s_[i_ - 1];
  return !(is_ident_char(prev) || prev == '"' || prev == '`' || prev == ']' || prev == ')');
}

// String prefixes glued to a quote: N'' national, X'' hex, B'' bit, E'' escape (PostgreSQL),
// _utf8mb4'' charset introducer (MySQL).
Token Lexer::word(size_t start) {
  while (i_ < s_.size() && is_ident_char(s_[i_])) ++i_;
  std::string_view w = s_.substr(start, i_ - start);
  if (at(i_) != '\'') return make(Kind::kWord, start);
  if (d_.q_quotes && iequals_any(w, {"q", "nq"})) return q_quoted(start);
  if (iequals(w, "e")) return quoted_string(start, i_, Backslash::kAlways);
  if (iequals_any(w, {"n", "x", "b"}) || w.front() == '_')
    return quoted_string(start, i_, d_.backslash);
  return make(Kind::kWord, start);
}

// ---- summary parser ----

std::vector<Token> first_statement_tokens(std::string_view sql) {
  std::vector<Token> out;
  Lexer lex(sql, kSummaryDialect);
  while (!lex.done()) {
    Token t = lex.next();
    if (t.kind == Kind::kSpace) continue;
    if (t.kind == Kind::kPunct && t.text == ";") break;
    out.push_back(t);
  }
  return out;
}

std::string unquote(std::string_view quoted) {
  char close = quoted.front() == '[' ? ']' : quoted.front();
  std::string out;
  for (size_t i = 1; i + 1 < quoted.size(); ++i) {
    out += quoted[i];
    if (quoted[i] == close) ++i;  // doubled quote
  }
  return out;
}

// Words that cannot start a table name where one is expected: seeing one means the statement has
// a shape this parser does not follow (subquery, table function, Oracle's DUAL pseudo-table).
bool is_reserved_name(std::string_view w) {
  return iequals_any(w, {"SELECT", "VALUES", "LATERAL", "FUNCTION", "DUAL", "WHERE", "SET", "WITH",
                         "TABLE", "ONLY", "FROM"});
}

// Recursive-descent over the first statement's tokens. Each extractor returns an empty string
// whenever the text leaves the shapes it knows: a missing collection is fine, a wrong one is not.
class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : t_(std::move(tokens)) {}
  QuerySummary run();

 private:
  const Token* peek(size_t ahead = 0) const {
    return p_ + ahead < t_.size() ? &t_[p_ + ahead] : nullptr;
  }
  bool kw_at(size_t k, std::string_view kw) const {
    return k < t_.size() && t_[k].kind == Kind::kWord && iequals(t_[k].text, kw);
  }
  bool punct_at(size_t k, char c) const {
    return k < t_.size() && t_[k].kind == Kind::kPunct && t_[k].text.size() == 1 &&
           t_[k].text[0] == c;
  }
  bool is_kw(std::string_view kw) const { return kw_at(p_, kw); }
  bool is_punct(char c) const { return punct_at(p_, c); }
  bool accept_kw(std::string_view kw) { return is_kw(kw) ? (++p_, true) : false; }
  bool accept_any(std::initializer_list<std::string_view> kws);
  bool accept_punct(char c) { return is_punct(c) ? (++p_, true) : false; }
  bool at_end() const { return p_ >= t_.size(); }

  std::string keyword() const;
  void skip_group();
  void skip_top();
  bool skip_if_exists();
  std::string name_part();
  std::string qualified_name();
  size_t find_top_level_from(size_t from) const;
  bool reappears_after_from(const std::string& name) const;

  std::string collection_for(std::string_view op);
  std::string select_target();
  std::string insert_target();
  std::string update_target();
  std::string delete_target();
  std::string merge_target();
  std::string create_target();
  std::string drop_target();
  std::string truncate_target();
  std::string alter_target();
  QuerySummary with_statement();

  std::vector<Token> t_;
  size_t p_ = 0;
};

bool Parser::accept_any(std::initializer_list<std::string_view> kws) {
  for (auto kw : kws)
    if (accept_kw(kw)) return true;
  return false;
}

// The upper-cased keyword at p_, or empty when the token is not a plain keyword.
std::string Parser::keyword() const {
  const Token* tok = peek();
  if (!tok || tok->kind != Kind::kWord) return {};
  std::string out;
  for (char c : tok->text) {
    if (!is_alpha(c)) return {};
    out += to_upper(c);
  }
  return out;
}

// p_ at '(' -> just past the matching ')', or the end.
void Parser::skip_group() {
  size_t depth = 0;
  do {
    if (is_punct('(')) ++depth;
    if (is_punct(')')) --depth;
    ++p_;
  } while (depth > 0 && !at_end());
}

// SQL Server's TOP (n) [PERCENT] between the verb and the table.
void Parser::skip_top() {
  if (!accept_kw("TOP")) return;
  if (is_punct('('))
    skip_group();
  else if (peek() && peek()->kind == Kind::kLiteral)
    ++p_;
  accept_kw("PERCENT");
}

// IF [NOT] EXISTS; false when IF is not followed by a well-formed clause.
bool Parser::skip_if_exists() {
  if (!accept_kw("IF")) return true;
  accept_kw("NOT");
  return accept_kw("EXISTS");
}

std::string Parser::name_part() {
  const Token* tok = peek();
  if (!tok) return {};
  if (tok->kind == Kind::kQuotedIdent) {
    ++p_;
    return unquote(tok->text);
  }
  if (tok->kind != Kind::kWord || is_reserved_name(tok->text)) return {};
  ++p_;
  return std::string(tok->text);
}

// schema.table as written, each part unquoted; empty on anything else (db..table, t.*).
std::string Parser::qualified_name() {
  std::string name = name_part();
  while (!name.empty() && accept_punct('.')) {
    std::string part = name_part();
    if (part.empty()) return {};
    name += '.';
    name += part;
  }
  return name;
}

// Index of the first FROM at parenthesis depth 0 from `from` on, npos when the enclosing group
// closes first. "IS [NOT] DISTINCT FROM" is an operator, not a FROM clause.
size_t Parser::find_top_level_from(size_t from) const {
  int depth = 0;
  for (size_t k = from; k < t_.size(); ++k) {
    if (punct_at(k, '(')) ++depth;
    if (punct_at(k, ')') && --depth < 0) return std::string_view::npos;
    if (depth == 0 && kw_at(k, "FROM") && !(k > 0 && kw_at(k - 1, "DISTINCT"))) return k;
  }
  return std::string_view::npos;
}

// SQL Server's "UPDATE a SET ... FROM t a" names an alias first, so a target that shows up again
// as a bare name in a later FROM clause may not be a table at all. Qualified uses (t.id, as in
// PostgreSQL's UPDATE ... FROM) do not count.
bool Parser::reappears_after_from(const std::string& name) const {
  if (name.find('.') != std::string::npos) return false;
  size_t from = find_top_level_from(p_);
  if (from == std::string_view::npos) return false;
  for (size_t k = from + 1; k < t_.size(); ++k) {
    bool named = (t_[k].kind == Kind::kWord && iequals(t_[k].text, name)) ||
                 (t_[k].kind == Kind::kQuotedIdent && iequals(unquote(t_[k].text), name));
    if (named && !punct_at(k - 1, '.') && !punct_at(k + 1, '.')) return true;
  }
  return false;
}

QuerySummary Parser::run() {
  while (accept_punct('(')) {
  }
  std::string op = keyword();
  if (op.empty()) return {};
  ++p_;
  if (op == "WITH") return with_statement();
  std::string collection = collection_for(op);
  return {std::move(op), std::move(collection)};
}

std::string Parser::collection_for(std::string_view op) {
  if (op == "SELECT") return select_target();
  if (op == "INSERT" || op == "REPLACE" || op == "UPSERT") return insert_target();
  if (op == "UPDATE") return update_target();
  if (op == "DELETE") return delete_target();
  if (op == "MERGE") return merge_target();
  if (op == "CREATE") return create_target();
  if (op == "DROP") return drop_target();
  if (op == "TRUNCATE") return truncate_target();
  if (op == "ALTER") return alter_target();
  return {};
}

std::string Parser::select_target() {
  p_ = find_top_level_from(p_);
  if (p_ == std::string_view::npos) return {};
  ++p_;
  accept_kw("ONLY");
  std::string name = qualified_name();
  if (is_punct('(')) return {};  // table function: generate_series(1, 10)
  return name;
}

std::string Parser::insert_target() {
  while (accept_any({"LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY", "IGNORE"})) {
  }
  if (accept_kw("OR")) ++p_;  // SQLite: INSERT OR REPLACE
  skip_top();
  bool into = accept_kw("INTO");
  if (into) accept_kw("TABLE");  // ClickHouse
  std::string name = qualified_name();
  // Without INTO (MySQL, SQL Server) the name must be followed by the row source; this keeps
  // Oracle's "INSERT ALL INTO ..." from naming a table "ALL".
  bool row_source = is_punct('(') || is_kw("VALUES") || is_kw("VALUE") || is_kw("SELECT") ||
                    is_kw("SET") || is_kw("DEFAULT");
  return into || row_source ? name : std::string();
}

std::string Parser::update_target() {
  while (accept_any({"LOW_PRIORITY", "IGNORE"})) {
  }
  if (accept_kw("OR")) ++p_;  // SQLite: UPDATE OR REPLACE
  skip_top();
  accept_kw("ONLY");
  std::string name = qualified_name();
  return reappears_after_from(name) ? std::string() : name;
}

std::string Parser::delete_target() {
  while (accept_any({"LOW_PRIORITY", "QUICK", "IGNORE"})) {
  }
  skip_top();
  if (accept_kw("FROM")) {
    accept_kw("ONLY");
    std::string name = qualified_name();
    return reappears_after_from(name) ? std::string() : name;
  }
  // SQL Server's "DELETE t WHERE ..."; MySQL's "DELETE t1 FROM t1 JOIN ..." names aliases.
  std::string name = qualified_name();
  return at_end() || is_kw("WHERE") || is_kw("OUTPUT") ? name : std::string();
}

std::string Parser::merge_target() {
  skip_top();
  accept_kw("INTO");
  return qualified_name();
}

std::string Parser::create_target() {
  while (accept_any({"OR", "REPLACE", "GLOBAL", "LOCAL", "TEMPORARY", "TEMP", "UNLOGGED",
                     "TRANSIENT", "VOLATILE"})) {
  }
  if (!accept_kw("TABLE") || !skip_if_exists()) return {};
  return qualified_name();
}

std::string Parser::drop_target() {
  accept_kw("TEMPORARY");
  if (!accept_kw("TABLE") || !skip_if_exists()) return {};
  std::string name = qualified_name();
  return is_punct(',') ? std::string() : name;  // several tables, none of them the main one
}

std::string Parser::truncate_target() {
  accept_kw("TABLE");
  accept_kw("ONLY");
  std::string name = qualified_name();
  return is_punct(',') ? std::string() : name;
}

std::string Parser::alter_target() {
  while (accept_any({"ONLINE", "IGNORE"})) {
  }
  if (!accept_kw("TABLE") || !skip_if_exists()) return {};
  accept_kw("ONLY");
  return qualified_name();
}

// WITH [RECURSIVE] name [(cols)] AS [[NOT] MATERIALIZED] (...) [, ...] <statement>
QuerySummary Parser::with_statement() {
  const QuerySummary unknown{"WITH", {}};
  std::vector<std::string> ctes;
  accept_kw("RECURSIVE");
  do {
    std::string name = name_part();
    if (name.empty()) return unknown;
    ctes.push_back(std::move(name));
    if (is_punct('(')) skip_group();
    if (!accept_kw("AS")) return unknown;
    accept_kw("NOT");
    accept_kw("MATERIALIZED");
    if (!is_punct('(')) return unknown;
    skip_group();
  } while (accept_punct(','));
  std::string op = keyword();
  if (op.empty() || op == "WITH") return unknown;
  ++p_;
  std::string collection = collection_for(op);
  for (const auto& cte : ctes)
    if (iequals(cte, collection)) collection.clear();  // not a table
  return {std::move(op), std::move(collection)};
}

}  // namespace

QuerySummary summarize(std::string_view sql) {
  return Parser(first_statement_tokens(sql)).run();
}

std::string sanitize(std::string_view sql, std::string_view db_system) {
  std::string out;
  out.reserve(sql.size());
  Lexer lex(sql, dialect_for(db_system));
  bool space = false;
  while (!lex.done()) {
    Token t = lex.next();
    if (t.kind == Kind::kSpace) {  // comments become a space too: a/**/b is not ab
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    if (t.kind == Kind::kLiteral)
      out += '?';
    else
      out += t.text;
  }
  return out;
}

std::string sanitize(std::string_view sql) {
  return sanitize(sql, {});
}

std::string span_name(const QuerySummary& s, std::string_view db_system) {
  if (!s.operation.empty() && !s.collection.empty()) return s.operation + ' ' + s.collection;
  if (!s.operation.empty()) return s.operation;
  if (!s.collection.empty()) return s.collection;
  return db_system.empty() ? std::string("other_sql") : std::string(db_system);
}

}  // namespace goinstr::sqltext
