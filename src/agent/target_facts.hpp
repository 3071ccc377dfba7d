// SPDX-License-Identifier: Apache-2.0
// What the agent learns about one executable besides probe sites and offsets: the Go types behind
// error values (by itab address), which SQL drivers it links, and how to find a database's DSN.
// Gathered once per executable from its symbol table and DWARF.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/db_spans.hpp"
#include "obj/go_binary.hpp"

namespace goinstr::agent {

struct TargetFacts {
  // itab address -> concrete type, for every type used as `error` (non-PIE binaries: the
  // addresses are the ones the process sees).
  std::map<uint64_t, std::string> error_types;
  // itab -> offset of the message string, for the error types BPF may copy the message of.
  std::map<uint64_t, uint32_t> error_message_offsets;
  // Fixed messages of error types without a string field (context.deadlineExceededError).
  std::map<uint64_t, std::string> fixed_error_messages;
  // db.system.name when exactly one known driver is linked, else "other_sql".
  std::string db_system = "other_sql";
  std::vector<std::string> drivers;  // linked driver packages
  // sql.DB.connector, and the itab that says it is sql.Open's dsnConnector (DSN at offset 0).
  uint64_t db_connector_offset = 0;
  std::optional<uint64_t> dsn_connector_itab;
  std::optional<uint64_t> bufio_writer_itab;  // *bufio.Writer as io.Writer
  // *google.golang.org/grpc/internal/status.Error as error: a gRPC status finish() was handed.
  std::optional<uint64_t> grpc_status_error_itab;
};

TargetFacts gather_target_facts(const obj::GoBinary& binary, std::vector<std::string>* notes);

// The database a DSN names: driver system from the facts, server address and port from the DSN
// (the password never leaves this function).
DbTarget db_target_from_dsn(const TargetFacts& facts, std::string_view dsn);

}  // namespace goinstr::agent
