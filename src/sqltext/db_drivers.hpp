// SPDX-License-Identifier: Apache-2.0
// Which database a Go database/sql driver talks to, and where: driver package -> db.system.name,
// DSN -> server.address / server.port. The DSN's credentials are never read into any result.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace goinstr::sqltext {

// db.system.name for a Go package path of a known driver: the driver's module path, any major
// version suffix (/v5) or subpackage (/stdlib) of it, also under a GOPATH-era ".../vendor/".
// "other_sql" for anything else.
std::string_view db_system_for_package(std::string_view go_package_path);

// Module paths of the known drivers (without version suffixes), for matching a binary's symbols.
std::vector<std::string> known_driver_packages();

struct ServerEndpoint {
  std::string address;  // host name, IP (IPv6 without brackets) or unix socket path
  int port = 0;         // 0 for unix sockets: server.port is then omitted
};

// Server endpoint named by a DSN, for db_system "postgresql" (URL or key=value form, default port
// 5432) and "mysql"/"mariadb" (go-sql-driver form, default 127.0.0.1:3306). nullopt for other
// systems (sqlite has no server), for DSNs the driver would reject, and whenever credentials could
// be mistaken for the host.
std::optional<ServerEndpoint> endpoint_from_dsn(std::string_view db_system, std::string_view dsn);

}  // namespace goinstr::sqltext
