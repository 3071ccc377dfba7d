// SPDX-License-Identifier: Apache-2.0
// Text logic for database/sql client spans: what a query does (operation, main table), the query
// text with its literals masked, and the span name semantic conventions derive from both.
// Pure functions over bytes: no I/O, time linear in the input.
#pragma once

#include <string>
#include <string_view>

namespace goinstr::sqltext {

struct QuerySummary {
  std::string operation;   // first keyword upper-cased ("SELECT"); empty when there is none
  std::string collection;  // main table as written, quotes stripped ("public.visits"); empty when
                           // not known for sure
};

// Operation and main table of the first statement in `sql`. For WITH, the operation and table of
// the statement after the CTEs (a table that is one of the CTEs is left empty); "WITH" when the
// CTE list cannot be followed. Leading whitespace and comments are skipped.
QuerySummary summarize(std::string_view sql);

// `sql` with every literal (strings, dollar-quoted strings, numbers) replaced by '?', comments
// removed and whitespace runs collapsed to one space. Keywords, identifiers, TRUE/FALSE/NULL and
// placeholders ($1, ?, :name, @p1) are kept. Where dialects disagree on where a literal ends (a
// backslash before a quote, an unterminated quote), everything from the literal on becomes one '?'
// rather than risk emitting part of it.
//
// db_system is the db.system.name value; it selects the dialect rules (MySQL and SQLite take
// "..." as a string, SQL Server and SQLite take [...] as an identifier, Oracle has q'[...]' and
// :1 binds, ...). Unknown or empty: a conservative union that masks "..." as well.
std::string sanitize(std::string_view sql, std::string_view db_system);
std::string sanitize(std::string_view sql);

// Span name per the database semantic conventions: "{operation} {collection}", "{operation}",
// "{collection}", else db_system ("other_sql" when that is empty too).
std::string span_name(const QuerySummary& s, std::string_view db_system);

}  // namespace goinstr::sqltext
