// SPDX-License-Identifier: Apache-2.0
#include "sqltext/db_drivers.hpp"

#include <array>
#include <charconv>

namespace goinstr::sqltext {
namespace {

struct Driver {
  std::string_view module;     // module path without a major-version suffix
  std::string_view db_system;  // db.system.name
};

// db.system.name values from the semantic-conventions registry (model/db/registry.yaml).
// "snowflake" is not in the registry; the attribute accepts custom values and "other_sql" would
// hide a well-known product.
constexpr std::array<Driver, 13> kDrivers = {{
    {"github.com/lib/pq", "postgresql"},
    {"github.com/jackc/pgx", "postgresql"},
    {"github.com/go-sql-driver/mysql", "mysql"},
    {"github.com/mattn/go-sqlite3", "sqlite"},
    {"modernc.org/sqlite", "sqlite"},
    {"github.com/glebarez/go-sqlite", "sqlite"},
    {"github.com/ncruces/go-sqlite3", "sqlite"},
    {"github.com/microsoft/go-mssqldb", "microsoft.sql_server"},
    {"github.com/denisenkom/go-mssqldb", "microsoft.sql_server"},
    {"github.com/sijms/go-ora", "oracle.db"},
    {"github.com/godror/godror", "oracle.db"},
    {"github.com/ClickHouse/clickhouse-go", "clickhouse"},
    {"github.com/snowflakedb/gosnowflake", "snowflake"},
}};

constexpr int kPostgresPort = 5432;
constexpr int kMysqlPort = 3306;

// GOPATH-era vendoring compiled github.com/lib/pq as "<app>/vendor/github.com/lib/pq".
std::string_view strip_vendor(std::string_view path) {
  if (path.starts_with("vendor/")) path.remove_prefix(7);
  size_t v = path.rfind("/vendor/");
  return v == std::string_view::npos ? path : path.substr(v + 8);
}

// Prefix match on whole path segments: pgx/v5/stdlib is pgx, lib/pqx is not lib/pq.
bool in_module(std::string_view path, std::string_view module) {
  return path.starts_with(module) && (path.size() == module.size() || path[module.size()] == '/');
}

// ---- host and port ----

std::optional<int> parse_port(std::string_view s) {
  int port = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), port);
  if (ec != std::errc() || end != s.data() + s.size() || port < 1 || port > 65535)
    return std::nullopt;
  return port;
}

struct HostPort {
  std::string_view host;
  std::optional<std::string_view> port;  // absent when the text has no ":port"
};

// "host", "host:port", "[v6]", "[v6]:port", or a bare IPv6 address (no port then).
std::optional<HostPort> split_host_port(std::string_view s) {
  if (s.starts_with('[')) {
    size_t close = s.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    std::string_view rest = s.substr(close + 1);
    if (rest.empty()) return HostPort{s.substr(1, close - 1), std::nullopt};
    if (rest.front() != ':') return std::nullopt;
    return HostPort{s.substr(1, close - 1), rest.substr(1)};
  }
  size_t colon = s.find(':');
  if (colon == std::string_view::npos || s.find(':', colon + 1) != std::string_view::npos)
    return HostPort{s, std::nullopt};
  return HostPort{s.substr(0, colon), s.substr(colon + 1)};
}

std::string_view first_of_list(std::string_view csv) {
  return csv.substr(0, csv.find(','));
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+' && plus_is_space) {
      out += ' ';
    } else if (s[i] != '%') {
      out += s[i];
    } else {
      if (i + 2 >= s.size()) return std::nullopt;
      int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    }
  }
  return out;
}

// ---- PostgreSQL ----

// The settings both drivers (lib/pq, pgx) resolve the server from; the password is never stored.
struct PgSettings {
  std::optional<std::string> host;
  std::optional<std::string> port;
};

// A host starting with '/' is the directory of a unix socket; the socket's port is then no
// server.port.
std::optional<ServerEndpoint> pg_endpoint(const PgSettings& s) {
  if (!s.host) return std::nullopt;  // default is per driver (socket or localhost): unknown
  std::string host(first_of_list(*s.host));
  if (host.empty()) return std::nullopt;
  if (host.front() == '/') return ServerEndpoint{std::move(host), 0};
  int port = kPostgresPort;
  if (s.port) {
    auto p = parse_port(first_of_list(*s.port));
    if (!p) return std::nullopt;
    port = *p;
  }
  return ServerEndpoint{std::move(host), port};
}

// libpq key=value: values may be 'quoted', backslash escapes \' and \\ anywhere.
std::optional<std::string> kv_value(std::string_view dsn, size_t& i) {
  std::string value;
  const bool quoted = i < dsn.size() && dsn[i] == '\'';
  if (quoted) ++i;
  for (; i < dsn.size(); ++i) {
    char c = dsn[i];
    if (quoted && c == '\'') {
      ++i;
      return value;
    }
    if (!quoted && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) return value;
    if (c == '\\' && ++i >= dsn.size()) return std::nullopt;
    value += dsn[i];
  }
  if (quoted) return std::nullopt;  // unterminated: the parse cannot be trusted
  return value;
}

void skip_blanks(std::string_view s, size_t& i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
}

std::optional<ServerEndpoint> pg_keyword_value(std::string_view dsn) {
  PgSettings settings;
  size_t i = 0;
  for (skip_blanks(dsn, i); i < dsn.size(); skip_blanks(dsn, i)) {
    size_t key_start = i;
    while (i < dsn.size() && dsn[i] != '=' && dsn[i] != ' ' && dsn[i] != '\t') ++i;
    std::string_view key = dsn.substr(key_start, i - key_start);
    skip_blanks(dsn, i);
    if (key.empty() || i >= dsn.size() || dsn[i] != '=') return std::nullopt;
    ++i;
    skip_blanks(dsn, i);
    auto value = kv_value(dsn, i);
    if (!value) return std::nullopt;
    if (key == "host") settings.host = std::move(*value);
    if (key == "port") settings.port = std::move(*value);
  }
  return pg_endpoint(settings);
}

// Sets a URL setting; false when the authority and the query disagree, because lib/pq and pgx
// resolve that conflict differently.
bool set_once(std::optional<std::string>& slot, std::string value) {
  if (slot && *slot != value) return false;
  slot = std::move(value);
  return true;
}

// The hosts of "h1:p1,h2,[v6]:p3": the first host, and the first port given (pgx applies a single
// port to every host).
bool pg_url_hosts(std::string_view hosts, PgSettings& settings) {
  std::optional<std::string> first_host, first_port;
  while (!hosts.empty()) {
    size_t comma = hosts.find(',');
    auto hp = split_host_port(hosts.substr(0, comma));
    if (!hp) return false;
    auto host = percent_decode(hp->host, false);
    if (!host) return false;
    if (!first_host && !host->empty()) first_host = std::move(*host);
    if (!first_port && hp->port && !hp->port->empty()) first_port = std::string(*hp->port);
    hosts = comma == std::string_view::npos ? std::string_view() : hosts.substr(comma + 1);
  }
  settings.host = std::move(first_host);
  settings.port = std::move(first_port);
  return true;
}

// ?host=/var/run/postgresql&port=5433 (pgx and lib/pq both read host and port from the query).
bool pg_url_query(std::string_view query, PgSettings& settings) {
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    size_t eq = pair.find('=');
    std::string_view key = pair.substr(0, eq);
    if (eq == std::string_view::npos || (key != "host" && key != "port")) continue;
    auto value = percent_decode(pair.substr(eq + 1), true);
    if (!value || !set_once(key == "host" ? settings.host : settings.port, std::move(*value)))
      return false;
  }
  return true;
}

// postgres://[user[:password]@]hosts[/db][?query]; `rest` is what follows "://".
std::optional<ServerEndpoint> pg_url(std::string_view rest) {
  size_t authority_end = rest.find_first_of("/?#");
  // An '@' after the authority means the password may hold a raw '/', '?' or '#', and then the
  // text taken for the host could be part of the password.
  if (authority_end != std::string_view::npos && rest.find('@', authority_end) != rest.npos)
    return std::nullopt;
  std::string_view authority = rest.substr(0, authority_end);
  size_t at = authority.rfind('@');
  std::string_view hosts = at == std::string_view::npos ? authority : authority.substr(at + 1);
  PgSettings settings;
  if (!pg_url_hosts(hosts, settings)) return std::nullopt;
  size_t q = rest.find('?');
  if (q != std::string_view::npos) {
    std::string_view query = rest.substr(q + 1);
    if (!pg_url_query(query.substr(0, query.find('#')), settings)) return std::nullopt;
  }
  return pg_endpoint(settings);
}

std::optional<ServerEndpoint> postgres_endpoint(std::string_view dsn) {
  // The scheme test is case-sensitive in both drivers.
  for (std::string_view scheme : {"postgres://", "postgresql://"})
    if (dsn.starts_with(scheme)) return pg_url(dsn.substr(scheme.size()));
  return pg_keyword_value(dsn);
}

// ---- MySQL ----

// go-sql-driver/mysql: [user[:password]@][net[(addr)]]/dbname[?params], split like its ParseDSN:
// at the last '/', then the last '@' before it, so the address never includes the password.
std::optional<ServerEndpoint> mysql_endpoint(std::string_view dsn) {
  size_t slash = dsn.rfind('/');
  if (slash == std::string_view::npos) return std::nullopt;
  std::string_view left = dsn.substr(0, slash);
  size_t at = left.rfind('@');
  std::string_view net = at == std::string_view::npos ? left : left.substr(at + 1);
  std::string_view addr;
  size_t paren = net.find('(');
  if (paren != std::string_view::npos) {
    if (!net.ends_with(')')) return std::nullopt;
    addr = net.substr(paren + 1, net.size() - paren - 2);
    net = net.substr(0, paren);
  }
  if (net.empty()) net = "tcp";
  if (net == "unix") return ServerEndpoint{addr.empty() ? "/tmp/mysql.sock" : std::string(addr), 0};
  if (net != "tcp" && net != "tcp4" && net != "tcp6") return std::nullopt;  // custom dialers
  if (addr.empty()) {
    if (net != "tcp") return std::nullopt;
    return ServerEndpoint{"127.0.0.1", kMysqlPort};
  }
  auto hp = split_host_port(addr);
  if (!hp || hp->host.empty()) return std::nullopt;
  if (!hp->port) {
    // The driver adds :3306 for "tcp" only.
    if (net != "tcp") return std::nullopt;
    return ServerEndpoint{std::string(hp->host), kMysqlPort};
  }
  auto port = parse_port(*hp->port);
  if (!port) return std::nullopt;
  return ServerEndpoint{std::string(hp->host), *port};
}

}  // namespace

std::string_view db_system_for_package(std::string_view go_package_path) {
  std::string_view path = strip_vendor(go_package_path);
  for (const auto& d : kDrivers)
    if (in_module(path, d.module)) return d.db_system;
  return "other_sql";
}

std::vector<std::string> known_driver_packages() {
  std::vector<std::string> out;
  out.reserve(kDrivers.size());
  for (const auto& d : kDrivers) out.emplace_back(d.module);
  return out;
}

std::optional<ServerEndpoint> endpoint_from_dsn(std::string_view db_system, std::string_view dsn) {
  if (dsn.empty()) return std::nullopt;
  if (db_system == "postgresql") return postgres_endpoint(dsn);
  if (db_system == "mysql" || db_system == "mariadb") return mysql_endpoint(dsn);
  return std::nullopt;
}

}  // namespace goinstr::sqltext
