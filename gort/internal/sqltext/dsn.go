// SPDX-License-Identifier: Apache-2.0

package sqltext

import (
	"net/url"
	"strings"
)

// Which server a DSN names (server.address / server.port of SQL spans), for
// the drivers whose DSN format is known: PostgreSQL (lib/pq, pgx) and MySQL
// (go-sql-driver/mysql). A port of the eBPF agent's src/sqltext/db_drivers.cpp.
// The password is never read into a result: where a careless split could take
// part of it for the host, the DSN is treated as not understood.

const (
	postgresDefaultPort = 5432
	mysqlDefaultPort    = 3306
)

// Endpoint is a database server: a host name, an IP (IPv6 without
// brackets) or a unix socket path. Port 0 (unix sockets) means server.port is
// omitted.
type Endpoint struct {
	Address string
	Port    int
}

// EndpointFromDSN returns the server named by dsn for db.system.name system;
// ok is false for systems without a server or a known DSN format, for DSNs the
// driver would reject, and when the host is the driver's default (unknown).
func EndpointFromDSN(system, dsn string) (ep Endpoint, ok bool) {
	if dsn == "" {
		return Endpoint{}, false
	}
	switch system {
	case "postgresql":
		return postgresEndpoint(dsn)
	case "mysql", "mariadb":
		return mysqlEndpoint(dsn)
	}
	return Endpoint{}, false
}

// dsnHostPort splits "host", "host:port", "[v6]", "[v6]:port", or a bare IPv6
// address (no port then). hasPort tells a missing port from an empty one.
func dsnHostPort(s string) (host, port string, hasPort, ok bool) {
	if strings.HasPrefix(s, "[") {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return "", "", false, false
		}
		rest := s[end+1:]
		if rest == "" {
			return s[1:end], "", false, true
		}
		if rest[0] != ':' {
			return "", "", false, false
		}
		return s[1:end], rest[1:], true, true
	}
	colon := strings.IndexByte(s, ':')
	if colon < 0 || strings.IndexByte(s[colon+1:], ':') >= 0 {
		return s, "", false, true
	}
	return s[:colon], s[colon+1:], true, true
}

// dsnPort is a DSN's port in 1..65535, 0 if it is none: decimal digits only,
// leading zeros allowed ("005432" is 5432 to pgx's strconv.ParseUint and to
// net.Dial), no sign (pgx rejects one). The same as parse_port in
// src/sqltext/db_drivers.cpp; parsePort (httpattr.go) takes at most five
// characters.
func dsnPort(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0
		}
		if n = n*10 + int(c-'0'); n > 65535 {
			return 0
		}
	}
	return n
}

func firstOfList(csv string) string {
	if i := strings.IndexByte(csv, ','); i >= 0 {
		return csv[:i]
	}
	return csv
}

// percentDecode decodes %XX escapes (and '+' as a space in query values), as
// net/url does; ok is false for a malformed escape.
func percentDecode(s string, plusIsSpace bool) (string, bool) {
	var out string
	var err error
	if plusIsSpace {
		out, err = url.QueryUnescape(s)
	} else {
		out, err = url.PathUnescape(s)
	}
	return out, err == nil
}

// ---- MySQL ----

// mysqlEndpoint reads go-sql-driver/mysql's
// [user[:password]@][net[(addr)]]/dbname[?params], split like its ParseDSN: at
// the last '/', then the last '@' before it, so the address never includes
// the password.
func mysqlEndpoint(dsn string) (Endpoint, bool) {
	slash := strings.LastIndexByte(dsn, '/')
	if slash < 0 {
		return Endpoint{}, false
	}
	left := dsn[:slash]
	network := left
	if at := strings.LastIndexByte(left, '@'); at >= 0 {
		network = left[at+1:]
	}
	addr := ""
	if paren := strings.IndexByte(network, '('); paren >= 0 {
		if !strings.HasSuffix(network, ")") {
			return Endpoint{}, false
		}
		addr = network[paren+1 : len(network)-1]
		network = network[:paren]
	}
	if network == "" {
		network = "tcp"
	}
	if network == "unix" {
		if addr == "" {
			addr = "/tmp/mysql.sock"
		}
		return Endpoint{Address: addr}, true
	}
	if network != "tcp" && network != "tcp4" && network != "tcp6" {
		return Endpoint{}, false // custom dialers (cloudsql, ...)
	}
	if addr == "" {
		if network != "tcp" {
			return Endpoint{}, false
		}
		return Endpoint{Address: "127.0.0.1", Port: mysqlDefaultPort}, true
	}
	host, p, hasPort, ok := dsnHostPort(addr)
	if !ok || host == "" {
		return Endpoint{}, false
	}
	if !hasPort {
		if network != "tcp" { // the driver adds :3306 for "tcp" only
			return Endpoint{}, false
		}
		return Endpoint{Address: host, Port: mysqlDefaultPort}, true
	}
	port := dsnPort(p)
	if port == 0 {
		return Endpoint{}, false
	}
	return Endpoint{Address: host, Port: port}, true
}
