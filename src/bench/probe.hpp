// SPDX-License-Identifier: Apache-2.0
// Is it up? A TCP connect for the database (the bench does not speak its protocol), and one HTTP
// request for the service: a server that has bound its port may still not answer, and an
// attached agent may still be stopping the world.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace goinstr::bench {

struct HostPort {
  std::string host;
  uint16_t port = 0;
};

struct Dsn {
  HostPort address{"localhost", 5432};
  std::string user = "postgres";
  std::string database;  // the user's name when not given
  bool tls = false;      // sslmode other than disable/allow/prefer
};

// A Postgres DSN in URL ("postgres://user@host:port/db?sslmode=disable") or key/value
// ("host=... port=... user=... dbname=...") form.
Result<Dsn> parse_dsn(std::string_view dsn);

// Fails with the reason ("connect 127.0.0.1:55432: Connection refused") when nothing accepts.
// A port that accepts is not yet a database that works: this opens a session (protocol 3.0
// startup message) and fails with the server's own error ("FATAL: database "demo" does not
// exist") when it refuses one. A server that asks for a password, or a DSN that needs TLS, counts
// as answering: the bench does not log in, the service will.
Result<> postgres_check(const Dsn& dsn, std::chrono::milliseconds timeout);

// Sends `GET path` until any HTTP response comes back (its status), the deadline passes, or
// still_worth_trying() says no (the service exited: waiting on would only hide why).
Result<int> wait_for_http(
    const HostPort& address, std::string_view path, std::chrono::milliseconds timeout,
    const std::function<bool()>& still_worth_trying = [] { return true; });

}  // namespace goinstr::bench
