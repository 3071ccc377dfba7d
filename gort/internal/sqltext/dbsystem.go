// SPDX-License-Identifier: Apache-2.0

package sqltext

import (
	"reflect"
	"strings"
)

// db.system.name from the Go package that implements a database/sql driver,
// the same table as the eBPF agent's src/sqltext/db_drivers.cpp. Used once per
// *sql.DB (the caller caches the result), so reflection is fine here.

// systemOther is db.system.name for drivers not in the table.
const systemOther = "other_sql"

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

// SystemForPackage maps a Go package path to db.system.name: the driver's
// module path or any package below it (pgx/v5/stdlib), matched on whole path
// segments (lib/pqx is not lib/pq), also under a GOPATH-era ".../vendor/".
func SystemForPackage(pkgPath string) string {
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
	return systemOther
}

// SystemForDriver is db.system.name for a driver value (db.Driver()).
func SystemForDriver(drv interface{}) string {
	t := reflect.TypeOf(drv)
	if t == nil {
		return systemOther
	}
	for t.Kind() == reflect.Ptr { // reflect.Pointer is Go 1.18
		t = t.Elem()
	}
	return SystemForPackage(t.PkgPath())
}
