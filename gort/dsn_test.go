// SPDX-License-Identifier: Apache-2.0

// DSN parser and driver-package tests, the same cases as the eBPF agent's
// tests/unit/sqltext/db_drivers_test.cpp.

package rt

import (
	"strings"
	"testing"
)

func TestDBSystemForPackage(t *testing.T) {
	cases := map[string]string{
		"github.com/lib/pq":                        "postgresql",
		"github.com/jackc/pgx":                     "postgresql",
		"github.com/jackc/pgx/v4/stdlib":           "postgresql",
		"github.com/jackc/pgx/v5":                  "postgresql",
		"github.com/jackc/pgx/v5/stdlib":           "postgresql",
		"github.com/go-sql-driver/mysql":           "mysql",
		"github.com/mattn/go-sqlite3":              "sqlite",
		"modernc.org/sqlite":                       "sqlite",
		"modernc.org/sqlite/lib":                   "sqlite",
		"github.com/glebarez/go-sqlite":            "sqlite",
		"github.com/ncruces/go-sqlite3/driver":     "sqlite",
		"github.com/microsoft/go-mssqldb":          "microsoft.sql_server",
		"github.com/denisenkom/go-mssqldb":         "microsoft.sql_server",
		"github.com/sijms/go-ora/v2":               "oracle.db",
		"github.com/godror/godror":                 "oracle.db",
		"github.com/ClickHouse/clickhouse-go/v2":   "clickhouse",
		"github.com/snowflakedb/gosnowflake":       "snowflake",
		"example.com/app/vendor/github.com/lib/pq": "postgresql",
		"vendor/github.com/go-sql-driver/mysql":    "mysql",
		// whole path segments only
		"github.com/lib/pqx":                  "other_sql",
		"github.com/jackc/pgxpool":            "other_sql",
		"github.com/lib":                      "other_sql",
		"example.com/github.com/lib/pq":       "other_sql",
		"github.com/clickhouse/clickhouse-go": "other_sql",
		"":                                    "other_sql",
		"database/sql":                        "other_sql",
	}
	for pkg, want := range cases {
		if got := dbSystemForPackage(pkg); got != want {
			t.Errorf("dbSystemForPackage(%q) = %q, want %q", pkg, got, want)
		}
	}
	for _, d := range knownDrivers {
		if dbSystemForPackage(d.module) == dbSystemOther {
			t.Errorf("%s maps to nothing", d.module)
		}
	}
}

type valueDriver struct{}
type pointerDriver struct{}

func TestDBSystemForDriver(t *testing.T) {
	// This package is no known driver; what matters is that values, pointers
	// and nil are all handled.
	for _, d := range []any{valueDriver{}, &pointerDriver{}, nil} {
		if got := dbSystemForDriver(d); got != "other_sql" {
			t.Errorf("%T: %q", d, got)
		}
	}
}

func wantEndpoint(t *testing.T, system, dsn, address string, port int) {
	t.Helper()
	ep, ok := endpointFromDSN(system, dsn)
	if !ok {
		t.Errorf("%s %q: no endpoint, want %s:%d", system, dsn, address, port)
		return
	}
	if ep.address != address || ep.port != port {
		t.Errorf("%s %q: %q:%d, want %q:%d", system, dsn, ep.address, ep.port, address, port)
	}
}

func wantNoEndpoint(t *testing.T, system, dsn string) {
	t.Helper()
	if ep, ok := endpointFromDSN(system, dsn); ok {
		t.Errorf("%s %q: endpoint %+v, want none", system, dsn, ep)
	}
}

func TestPostgresDSN(t *testing.T) {
	// URL form
	wantEndpoint(t, "postgresql", "postgres://user:pw@db.example.com:6543/app?sslmode=disable", "db.example.com", 6543)
	wantEndpoint(t, "postgresql", "postgresql://db.example.com/app", "db.example.com", 5432)
	wantEndpoint(t, "postgresql", "postgres://user@db:5433", "db", 5433)
	wantEndpoint(t, "postgresql", "postgres://db:/app", "db", 5432)
	wantEndpoint(t, "postgresql", "postgres://u:pw@[::1]:5433/app", "::1", 5433)
	wantEndpoint(t, "postgresql", "postgres://u:pw@[fe80::1%25eth0]/app", "fe80::1%eth0", 5432)
	wantEndpoint(t, "postgresql", "postgres://db#frag", "db", 5432)
	// host lists
	wantEndpoint(t, "postgresql", "postgres://u:pw@a.example:5433,b.example:5434/app", "a.example", 5433)
	wantEndpoint(t, "postgresql", "postgres://a,b:5439/app", "a", 5439)
	wantEndpoint(t, "postgresql", "postgres://[::1],[::2]:7/app", "::1", 7)
	// host and port in the query
	wantEndpoint(t, "postgresql", "postgres:///app?host=/var/run/postgresql", "/var/run/postgresql", 0)
	wantEndpoint(t, "postgresql", "postgres:///app?host=%2Ftmp&port=5433", "/tmp", 0)
	wantEndpoint(t, "postgresql", "postgres:///app?sslmode=disable&host=db&port=6000", "db", 6000)
	wantEndpoint(t, "postgresql", "postgres://db/app?host=db", "db", 5432)
	wantNoEndpoint(t, "postgresql", "postgres://a/app?host=b") // lib/pq and pgx disagree
	wantNoEndpoint(t, "postgresql", "postgres://a:1/app?port=2")
	// no usable host
	for _, dsn := range []string{
		"postgres:///app", "postgres://u:pw@/app", "postgres://:5432/app", "postgres://db:99999/app",
		"postgres://db:54x/app", "postgres://[::1/app", "postgres://db%zz/app",
	} {
		wantNoEndpoint(t, "postgresql", dsn)
	}
	// key=value form
	wantEndpoint(t, "postgresql", "host=db.example.com port=6543 user=u password=pw dbname=app", "db.example.com", 6543)
	wantEndpoint(t, "postgresql", "user=u host=db dbname=app", "db", 5432)
	wantEndpoint(t, "postgresql", "host = 'db' port= '5433'", "db", 5433)
	wantEndpoint(t, "postgresql", "  host=a,b port=5433,5434  ", "a", 5433)
	wantEndpoint(t, "postgresql", "host=::1 port=5433", "::1", 5433)
	wantEndpoint(t, "postgresql", "password='a host=evil' host=good", "good", 5432)
	wantEndpoint(t, "postgresql", "password=a\\ host=evil host=good", "good", 5432)
	wantEndpoint(t, "postgresql", "host=first host=second", "second", 5432)
	// unix sockets: the directory is the address, no port
	wantEndpoint(t, "postgresql", "host=/var/run/postgresql dbname=app", "/var/run/postgresql", 0)
	wantEndpoint(t, "postgresql", "host='/tmp/my dir' port=5433", "/tmp/my dir", 0)
	// malformed
	for _, dsn := range []string{
		"dbname=app user=u", "host='db port=5432", "host", "=db", "host=db port=abc",
		"host=db port=0", "host=db\\", "", "host=db port=+5432",
	} {
		wantNoEndpoint(t, "postgresql", dsn)
	}
}

func TestMySQLDSN(t *testing.T) {
	wantEndpoint(t, "mysql", "user:pw@tcp(db.example.com:3307)/app?parseTime=true", "db.example.com", 3307)
	wantEndpoint(t, "mysql", "user:pw@tcp(db)/app", "db", 3306)
	wantEndpoint(t, "mysql", "user:pw@/app", "127.0.0.1", 3306)
	wantEndpoint(t, "mysql", "/app", "127.0.0.1", 3306)
	wantEndpoint(t, "mysql", "user@tcp()/app", "127.0.0.1", 3306)
	wantEndpoint(t, "mysql", "u:pw@tcp([::1]:3307)/app", "::1", 3307)
	wantEndpoint(t, "mysql", "u:pw@tcp(::1)/app", "::1", 3306)
	wantEndpoint(t, "mysql", "u:pw@tcp6([::1]:3307)/app", "::1", 3307)
	wantEndpoint(t, "mysql", "u:pw@unix(/var/run/mysqld/mysqld.sock)/app", "/var/run/mysqld/mysqld.sock", 0)
	wantEndpoint(t, "mysql", "u:pw@unix/app", "/tmp/mysql.sock", 0)
	wantEndpoint(t, "mariadb", "u:pw@tcp(maria:3306)/app", "maria", 3306)
	for _, dsn := range []string{
		"user:pw@tcp(db:3306)", "user:pw@tcp(db:3306/app", "user:pw@tcp(db:x)/app",
		"user:pw@tcp6(db)/app", "user:pw@cloudsql(project:region:db)/app", "user:pw@tcp6()/app",
		"user:pw@tcp(db)/app?loc=Europe/Paris",
	} {
		wantNoEndpoint(t, "mysql", dsn)
	}
}

func TestOtherSystemsHaveNoEndpoint(t *testing.T) {
	wantNoEndpoint(t, "sqlite", "file:test.db?cache=shared")
	wantNoEndpoint(t, "sqlite", "/var/lib/app.db")
	wantNoEndpoint(t, "other_sql", "postgres://db/app")
	wantNoEndpoint(t, "microsoft.sql_server", "sqlserver://u:pw@host?database=x")
	wantNoEndpoint(t, "", "host=db")
}

// Passwords built to land where a careless split would take the host or port
// from never show up in the result.
func TestDSNPasswordNeverAppears(t *testing.T) {
	const pw, digits = "Pa55wOrd", "4321"
	cases := []struct{ system, dsn string }{
		{"postgresql", "postgres://u:" + pw + "@db:5432/app"},
		{"postgresql", "postgres://u:p@" + pw + "@db/app"},
		{"postgresql", "postgres://" + pw + ":" + digits + "@db/app"},
		{"postgresql", "password='" + pw + " host=" + pw + "' host=db"},
		{"mysql", "u:" + pw + "@tcp(db:3306)/app"},
		{"mysql", "u:" + pw + "(x)@tcp(db)/app"},
		{"mysql", "u:" + pw + "@tcp(" + pw + ")x@tcp(db)/app"},
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
	}
	for _, c := range cases {
		ep, ok := endpointFromDSN(c.system, c.dsn)
		if !ok {
			continue
		}
		if strings.Contains(ep.address, "Pa55") || ep.port == 4321 {
			t.Errorf("%q leaked into %+v", c.dsn, ep)
		}
	}
	for i, want := range []struct {
		addr string
		port int
	}{{"db", 5432}, {"db", 5432}, {"db", 5432}, {"db", 5432}, {"db", 3306}, {"db", 3306}, {"db", 3306}} {
		wantEndpoint(t, cases[i].system, cases[i].dsn, want.addr, want.port)
	}
}
