// SPDX-License-Identifier: Apache-2.0
#include "agent/target_facts.hpp"

#include <cstring>

#include <fmt/format.h>

#include "sqltext/db_drivers.hpp"

namespace goinstr::agent {
namespace {

struct MessageField {
  std::string_view type;             // concrete type behind the pointer
  std::string_view field;            // its message string
  std::optional<uint32_t> fallback;  // offset when the binary has no DWARF (stable layouts only)
};

// Error types whose message is one string field. Offsets come from DWARF; the fallbacks are for
// layouts unchanged for years (errors.errorString{s}, fmt.wrapError{msg, err}, pq.Error's third
// string).
constexpr MessageField kMessageFields[] = {
    {"errors.errorString", "s", 0},
    {"fmt.wrapError", "msg", 0},
    {"fmt.wrapErrors", "msg", 0},
    {"github.com/lib/pq.Error", "Message", 32},
    {"github.com/jackc/pgx/v5/pgconn.PgError", "Message", std::nullopt},
    {"github.com/jackc/pgconn.PgError", "Message", std::nullopt},
    {"github.com/go-sql-driver/mysql.MySQLError", "Message", std::nullopt},
};

void gather_error_types(const obj::GoBinary& binary, TargetFacts& facts,
                        std::vector<std::string>* notes) {
  for (auto& [addr, type] : binary.itabs_for("error")) facts.error_types[addr] = type;
  for (auto& [addr, type] : facts.error_types) {
    if (type == "context.deadlineExceededError")
      facts.fixed_error_messages[addr] = "context deadline exceeded";
    if (!type.starts_with("*")) continue;
    std::string_view pointee = std::string_view(type).substr(1);
    for (const auto& m : kMessageFields) {
      if (pointee != m.type) continue;
      auto off = binary.field_offset(m.type, m.field);
      if (off) {
        facts.error_message_offsets[addr] = static_cast<uint32_t>(off->offset);
      } else if (m.fallback) {
        facts.error_message_offsets[addr] = *m.fallback;
      }
    }
  }
  if (notes)
    notes->push_back(fmt::format("error types: {} known, messages readable for {}",
                                 facts.error_types.size(), facts.error_message_offsets.size()));
}

void gather_drivers(const obj::GoBinary& binary, TargetFacts& facts,
                    std::vector<std::string>* notes) {
  facts.drivers = binary.linked_packages(sqltext::known_driver_packages());
  std::string system;
  for (const auto& pkg : facts.drivers) {
    std::string s(sqltext::db_system_for_package(pkg));
    if (system.empty()) system = s;
    if (s != system) system = "other_sql";  // drivers of different databases: cannot tell
  }
  if (!system.empty()) facts.db_system = system;
  if (auto off = binary.field_offset("database/sql.DB", "connector"))
    facts.db_connector_offset = off->offset;
  facts.dsn_connector_itab =
      binary.itab_address("database/sql.dsnConnector", "database/sql/driver.Connector");
  if (notes) {
    notes->push_back(fmt::format(
        "SQL drivers linked: {} -> db.system.name {}",
        facts.drivers.empty() ? "none known" : fmt::format("{}", fmt::join(facts.drivers, ", ")),
        facts.db_system));
  }
}

}  // namespace

TargetFacts gather_target_facts(const obj::GoBinary& binary, std::vector<std::string>* notes) {
  TargetFacts facts;
  if (binary.is_pie()) {
    // itab addresses are link-time addresses; a PIE process sees them moved by its load bias.
    if (notes) notes->push_back("PIE binary: error types and traceparent injection unavailable");
    gather_drivers(binary, facts, notes);
    facts.dsn_connector_itab.reset();
    return facts;
  }
  gather_error_types(binary, facts, notes);
  gather_drivers(binary, facts, notes);
  facts.bufio_writer_itab = binary.itab_address("*bufio.Writer", "io.Writer");
  facts.grpc_status_error_itab =
      binary.itab_address("*google.golang.org/grpc/internal/status.Error", "error");
  return facts;
}

DbTarget db_target_from_dsn(const TargetFacts& facts, std::string_view dsn) {
  DbTarget target;
  target.system = facts.db_system;
  if (auto ep = sqltext::endpoint_from_dsn(target.system, dsn)) {
    target.server_address = ep->address;
    target.server_port = ep->port;
  }
  return target;
}

}  // namespace goinstr::agent
