// SPDX-License-Identifier: Apache-2.0
#include "sqltext/db_drivers.hpp"

#include <algorithm>
#include <string>

#include <gtest/gtest.h>

namespace goinstr::sqltext {
namespace {

// ---- db_system_for_package ----

TEST(DbSystem, KnownDrivers) {
  EXPECT_EQ(db_system_for_package("github.com/lib/pq"), "postgresql");
  EXPECT_EQ(db_system_for_package("github.com/jackc/pgx"), "postgresql");
  EXPECT_EQ(db_system_for_package("github.com/jackc/pgx/v4/stdlib"), "postgresql");
  EXPECT_EQ(db_system_for_package("github.com/jackc/pgx/v5"), "postgresql");
  EXPECT_EQ(db_system_for_package("github.com/jackc/pgx/v5/stdlib"), "postgresql");
  EXPECT_EQ(db_system_for_package("github.com/go-sql-driver/mysql"), "mysql");
  EXPECT_EQ(db_system_for_package("github.com/mattn/go-sqlite3"), "sqlite");
  EXPECT_EQ(db_system_for_package("modernc.org/sqlite"), "sqlite");
  EXPECT_EQ(db_system_for_package("modernc.org/sqlite/lib"), "sqlite");
  EXPECT_EQ(db_system_for_package("github.com/glebarez/go-sqlite"), "sqlite");
  EXPECT_EQ(db_system_for_package("github.com/ncruces/go-sqlite3/driver"), "sqlite");
  EXPECT_EQ(db_system_for_package("github.com/microsoft/go-mssqldb"), "microsoft.sql_server");
  EXPECT_EQ(db_system_for_package("github.com/denisenkom/go-mssqldb"), "microsoft.sql_server");
  EXPECT_EQ(db_system_for_package("github.com/sijms/go-ora/v2"), "oracle.db");
  EXPECT_EQ(db_system_for_package("github.com/godror/godror"), "oracle.db");
  EXPECT_EQ(db_system_for_package("github.com/ClickHouse/clickhouse-go/v2"), "clickhouse");
  EXPECT_EQ(db_system_for_package("github.com/snowflakedb/gosnowflake"), "snowflake");
}

TEST(DbSystem, MatchesWholePathSegmentsOnly) {
  EXPECT_EQ(db_system_for_package("github.com/lib/pqx"), "other_sql");
  EXPECT_EQ(db_system_for_package("github.com/jackc/pgxpool"), "other_sql");
  EXPECT_EQ(db_system_for_package("github.com/lib"), "other_sql");
  EXPECT_EQ(db_system_for_package("example.com/github.com/lib/pq"), "other_sql");
  EXPECT_EQ(db_system_for_package("github.com/clickhouse/clickhouse-go"), "other_sql");  // case
  EXPECT_EQ(db_system_for_package(""), "other_sql");
  EXPECT_EQ(db_system_for_package("database/sql"), "other_sql");
}

TEST(DbSystem, VendoredPaths) {
  EXPECT_EQ(db_system_for_package("example.com/app/vendor/github.com/lib/pq"), "postgresql");
  EXPECT_EQ(db_system_for_package("vendor/github.com/go-sql-driver/mysql"), "mysql");
}

TEST(DbSystem, KnownPackagesAllMapToASystem) {
  auto packages = known_driver_packages();
  EXPECT_EQ(packages.size(), 13u);
  for (const auto& p : packages) EXPECT_NE(db_system_for_package(p), "other_sql") << p;
  EXPECT_NE(std::find(packages.begin(), packages.end(), "github.com/jackc/pgx"), packages.end());
}

// ---- endpoint_from_dsn ----

void expect_endpoint(std::string_view system, std::string_view dsn, std::string_view address,
                     int port) {
  auto ep = endpoint_from_dsn(system, dsn);
  ASSERT_TRUE(ep) << dsn;
  EXPECT_EQ(ep->address, address) << dsn;
  EXPECT_EQ(ep->port, port) << dsn;
}

TEST(PostgresDsn, Url) {
  expect_endpoint("postgresql", "postgres://user:pw@db.example.com:6543/app?sslmode=disable",
                  "db.example.com", 6543);
  expect_endpoint("postgresql", "postgresql://db.example.com/app", "db.example.com", 5432);
  expect_endpoint("postgresql", "postgres://user@db:5433", "db", 5433);
  expect_endpoint("postgresql", "postgres://db:/app", "db", 5432);
  expect_endpoint("postgresql", "postgres://u:pw@[::1]:5433/app", "::1", 5433);
  expect_endpoint("postgresql", "postgres://u:pw@[fe80::1%25eth0]/app", "fe80::1%eth0", 5432);
  expect_endpoint("postgresql", "postgres://db#frag", "db", 5432);
}

TEST(PostgresDsn, UrlHostList) {
  expect_endpoint("postgresql", "postgres://u:pw@a.example:5433,b.example:5434/app", "a.example",
                  5433);
  expect_endpoint("postgresql", "postgres://a,b:5439/app", "a", 5439);  // pgx: one port for all
  expect_endpoint("postgresql", "postgres://[::1],[::2]:7/app", "::1", 7);
}

TEST(PostgresDsn, UrlQueryHostAndPort) {
  expect_endpoint("postgresql", "postgres:///app?host=/var/run/postgresql", "/var/run/postgresql",
                  0);
  expect_endpoint("postgresql", "postgres:///app?host=%2Ftmp&port=5433", "/tmp", 0);
  expect_endpoint("postgresql", "postgres:///app?sslmode=disable&host=db&port=6000", "db", 6000);
  expect_endpoint("postgresql", "postgres://db/app?host=db", "db", 5432);
  // lib/pq and pgx disagree on which one wins.
  EXPECT_FALSE(endpoint_from_dsn("postgresql", "postgres://a/app?host=b"));
  EXPECT_FALSE(endpoint_from_dsn("postgresql", "postgres://a:1/app?port=2"));
}

TEST(PostgresDsn, UrlWithoutUsableHost) {
  EXPECT_FALSE(endpoint_from_dsn("postgresql", "postgres:///app"));
  EXPECT_FALSE(endpoint_from_dsn("postgresql", "postgres://u:pw@/app"));
  EXPECT_FALSE(endpoint_from_dsn("postgresql", "postgres://:5432/app"));
  EXPECT_FALSE(endpoint_from_dsn("postgresql", "postgres://db:99999/app"));
  EXPECT_FALSE(endpoint_from_dsn("postgresql", "postgres://db:54x/app"));
  EXPECT_FALSE(endpoint_from_dsn("postgresql", "postgres://[::1/app"));
  EXPECT_FALSE(endpoint_from_dsn("postgresql", "postgres://db%zz/app"));
}

TEST(PostgresDsn, KeywordValue) {
  expect_endpoint("postgresql", "host=db.example.com port=6543 user=u password=pw dbname=app",
                  "db.example.com", 6543);
  expect_endpoint("postgresql", "user=u host=db dbname=app", "db", 5432);
  expect_endpoint("postgresql", "host = 'db' port= '5433'", "db", 5433);
  expect_endpoint("postgresql", "  host=a,b port=5433,5434  ", "a", 5433);
  expect_endpoint("postgresql", "host=::1 port=5433", "::1", 5433);
  expect_endpoint("postgresql", "password='a host=evil' host=good", "good", 5432);
  expect_endpoint("postgresql", "password=a\\ host=evil host=good", "good", 5432);
  expect_endpoint("postgresql", "host=first host=second", "second", 5432);
}

TEST(PostgresDsn, KeywordValueUnixSocket) {
  expect_endpoint("postgresql", "host=/var/run/postgresql dbname=app", "/var/run/postgresql", 0);
  expect_endpoint("postgresql", "host='/tmp/my dir' port=5433", "/tmp/my dir", 0);
}

TEST(PostgresDsn, KeywordValueMalformed) {
  EXPECT_FALSE(endpoint_from_dsn("postgresql", "dbname=app user=u"));  // no host: driver default
  EXPECT_FALSE(endpoint_from_dsn("postgresql", "host='db port=5432"));
  EXPECT_FALSE(endpoint_from_dsn("postgresql", "host"));
  EXPECT_FALSE(endpoint_from_dsn("postgresql", "=db"));
  EXPECT_FALSE(endpoint_from_dsn("postgresql", "host=db port=abc"));
  EXPECT_FALSE(endpoint_from_dsn("postgresql", "host=db port=0"));
  EXPECT_FALSE(endpoint_from_dsn("postgresql", "host=db\\"));
  EXPECT_FALSE(endpoint_from_dsn("postgresql", ""));
}

TEST(MysqlDsn, Forms) {
  expect_endpoint("mysql", "user:pw@tcp(db.example.com:3307)/app?parseTime=true", "db.example.com",
                  3307);
  expect_endpoint("mysql", "user:pw@tcp(db)/app", "db", 3306);
  expect_endpoint("mysql", "user:pw@/app", "127.0.0.1", 3306);
  expect_endpoint("mysql", "/app", "127.0.0.1", 3306);
  expect_endpoint("mysql", "user@tcp()/app", "127.0.0.1", 3306);
  expect_endpoint("mysql", "u:pw@tcp([::1]:3307)/app", "::1", 3307);
  expect_endpoint("mysql", "u:pw@tcp(::1)/app", "::1", 3306);
  expect_endpoint("mysql", "u:pw@tcp6([::1]:3307)/app", "::1", 3307);
  expect_endpoint("mysql", "u:pw@unix(/var/run/mysqld/mysqld.sock)/app",
                  "/var/run/mysqld/mysqld.sock", 0);
  expect_endpoint("mysql", "u:pw@unix/app", "/tmp/mysql.sock", 0);
  expect_endpoint("mariadb", "u:pw@tcp(maria:3306)/app", "maria", 3306);
}

TEST(MysqlDsn, Malformed) {
  EXPECT_FALSE(endpoint_from_dsn("mysql", "user:pw@tcp(db:3306)"));  // no slash
  EXPECT_FALSE(endpoint_from_dsn("mysql", "user:pw@tcp(db:3306/app"));
  EXPECT_FALSE(endpoint_from_dsn("mysql", "user:pw@tcp(db:x)/app"));
  EXPECT_FALSE(endpoint_from_dsn("mysql", "user:pw@tcp6(db)/app"));  // driver adds :3306 for tcp
  EXPECT_FALSE(endpoint_from_dsn("mysql", "user:pw@cloudsql(project:region:db)/app"));
  EXPECT_FALSE(endpoint_from_dsn("mysql", "user:pw@tcp6()/app"));
  EXPECT_FALSE(endpoint_from_dsn("mysql", "user:pw@tcp(db)/app?loc=Europe/Paris"));
}

TEST(OtherSystemsDsn, HaveNoEndpoint) {
  EXPECT_FALSE(endpoint_from_dsn("sqlite", "file:test.db?cache=shared"));
  EXPECT_FALSE(endpoint_from_dsn("sqlite", "/var/lib/app.db"));
  EXPECT_FALSE(endpoint_from_dsn("other_sql", "postgres://db/app"));
  EXPECT_FALSE(endpoint_from_dsn("microsoft.sql_server", "sqlserver://u:pw@host?database=x"));
  EXPECT_FALSE(endpoint_from_dsn("", "host=db"));
}

// Passwords built to land where a careless split would take the host or port from.
TEST(Dsn, PasswordNeverAppears) {
  const std::string pw = "Pa55wOrd", digits = "4321";
  struct Case {
    std::string_view system;
    std::string dsn;
  };
  const Case cases[] = {
      {"postgresql", "postgres://u:" + pw + "@db:5432/app"},
      {"postgresql", "postgres://u:p@" + pw + "@db/app"},
      {"postgresql", "postgres://" + pw + ":" + digits + "@db/app"},
      {"postgresql", "password='" + pw + " host=" + pw + "' host=db"},
      {"mysql", "u:" + pw + "@tcp(db:3306)/app"},
      {"mysql", "u:" + pw + "(x)@tcp(db)/app"},
      {"mysql", "u:" + pw + "@tcp(" + pw + ")x@tcp(db)/app"},
      // Malformed: nullopt, or at least nothing of the password.
      {"postgresql", "postgres://u:" + pw + "@/app"},
      {"postgresql", "postgres://u:" + pw + "/x@db/app"},
      {"postgresql", "postgres://u:" + digits + "/" + pw + "@db/app"},
      {"postgresql", "postgres://u:" + digits + "?" + pw + "@db/app"},
      {"postgresql", "postgres://u:" + pw + "#x@db/app"},
      {"postgresql", "postgresql://u:" + pw + "@[::1]:5432/app?password=" + pw},
      {"postgresql", "host=db password=" + pw},
      {"postgresql", "password=" + pw + " host=db"},
      {"postgresql", "password='" + pw + " host=" + pw},
      {"postgresql", "password=" + pw},
      {"postgresql", "password=" + digits + " port=" + digits},
      {"mysql", "u:" + pw + "@/app"},
      {"mysql", "u:p/" + pw + "@tcp(db)/app"},
      {"mysql", "u:" + pw + "@x/y@unix(/s)/app"},
      {"mysql", "u:a@b" + pw + "/app"},
      {"mysql", "u:" + digits + "@tcp(db:" + digits + "/app"},
  };
  for (const auto& c : cases) {
    auto ep = endpoint_from_dsn(c.system, c.dsn);
    if (!ep) continue;
    EXPECT_EQ(ep->address.find("Pa55"), std::string::npos) << c.dsn;
    EXPECT_NE(ep->port, 4321) << c.dsn;
  }
  // The well-formed ones still resolve.
  expect_endpoint("postgresql", cases[0].dsn, "db", 5432);
  expect_endpoint("postgresql", cases[1].dsn, "db", 5432);
  expect_endpoint("postgresql", cases[2].dsn, "db", 5432);
  expect_endpoint("postgresql", cases[3].dsn, "db", 5432);
  expect_endpoint("mysql", cases[4].dsn, "db", 3306);
  expect_endpoint("mysql", cases[5].dsn, "db", 3306);
  expect_endpoint("mysql", cases[6].dsn, "db", 3306);
}

}  // namespace
}  // namespace goinstr::sqltext
