// SPDX-License-Identifier: Apache-2.0

// db.system.name from the Go package that implements a database/sql driver,
// the same table as the eBPF agent's src/sqltext/db_drivers.cpp. Used once per
// *sql.DB (the result is cached by the SQL hooks), so reflection is fine here.

package rt

import (
	"reflect"
	"strings"
)

// dbSystemOther is db.system.name for drivers not in the table.
const dbSystemOther = "other_sql"

// knownDrivers maps a driver module path (without a major-version suffix) to
// db.system.name. "snowflake" is not in the semconv registry; the attribute
// accepts custom values and "other_sql" would hide a well-known product.
var knownDrivers = [...]struct{ module, system string }{
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
}

// dbSystemForPackage maps a Go package path to db.system.name: the driver's
// module path or any package below it (pgx/v5/stdlib), matched on whole path
// segments (lib/pqx is not lib/pq), also under a GOPATH-era ".../vendor/".
func dbSystemForPackage(pkgPath string) string {
	pkgPath = strings.TrimPrefix(pkgPath, "vendor/")
	if i := strings.LastIndex(pkgPath, "/vendor/"); i >= 0 {
		pkgPath = pkgPath[i+len("/vendor/"):]
	}
	for _, d := range knownDrivers {
		if strings.HasPrefix(pkgPath, d.module) &&
			(len(pkgPath) == len(d.module) || pkgPath[len(d.module)] == '/') {
			return d.system
		}
	}
	return dbSystemOther
}

// dbSystemForDriver is db.system.name for a driver value (db.Driver()).
func dbSystemForDriver(drv any) string {
	t := reflect.TypeOf(drv)
	if t == nil {
		return dbSystemOther
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return dbSystemForPackage(t.PkgPath())
}
