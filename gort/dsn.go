// SPDX-License-Identifier: Apache-2.0

// Which server a DSN names (server.address / server.port of SQL spans), for
// the drivers whose DSN format is known: PostgreSQL (lib/pq, pgx) and MySQL
// (go-sql-driver/mysql). A port of the eBPF agent's src/sqltext/db_drivers.cpp.
// The password is never read into a result: where a careless split could take
// part of it for the host, the DSN is treated as not understood.

package rt

import "strings"

const (
	postgresDefaultPort = 5432
	mysqlDefaultPort    = 3306
)

// dbEndpoint is a database server: a host name, an IP (IPv6 without
// brackets) or a unix socket path. Port 0 (unix sockets) means server.port is
// omitted.
type dbEndpoint struct {
	address string
	port    int
}

// endpointFromDSN returns the server named by dsn for db.system.name system;
// ok is false for systems without a server or a known DSN format, for DSNs the
// driver would reject, and when the host is the driver's default (unknown).
func endpointFromDSN(system, dsn string) (ep dbEndpoint, ok bool) {
	if dsn == "" {
		return dbEndpoint{}, false
	}
	switch system {
	case "postgresql":
		return postgresEndpoint(dsn)
	case "mysql", "mariadb":
		return mysqlEndpoint(dsn)
	}
	return dbEndpoint{}, false
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

func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

func percentDecode(s string, plusIsSpace bool) (string, bool) {
	if strings.IndexByte(s, '%') < 0 && (!plusIsSpace || strings.IndexByte(s, '+') < 0) {
		return s, true
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '+' && plusIsSpace:
			b.WriteByte(' ')
		case s[i] != '%':
			b.WriteByte(s[i])
		default:
			if i+2 >= len(s) {
				return "", false
			}
			hi, lo := unhex(s[i+1]), unhex(s[i+2])
			if hi < 0 || lo < 0 {
				return "", false
			}
			b.WriteByte(byte(hi<<4 | lo))
			i += 2
		}
	}
	return b.String(), true
}

// ---- PostgreSQL ----

// pgSettings are the settings both drivers resolve the server from; the
// password is never stored.
type pgSettings struct {
	host, port       string
	hasHost, hasPort bool
}

// pgEndpoint: a host starting with '/' is the directory of a unix socket,
// whose "port" is no server.port.
func pgEndpoint(s pgSettings) (dbEndpoint, bool) {
	if !s.hasHost {
		return dbEndpoint{}, false // the default is per driver (socket or localhost): unknown
	}
	host := firstOfList(s.host)
	if host == "" {
		return dbEndpoint{}, false
	}
	if host[0] == '/' {
		return dbEndpoint{address: host}, true
	}
	port := postgresDefaultPort
	if s.hasPort {
		if port = dsnPort(firstOfList(s.port)); port == 0 {
			return dbEndpoint{}, false
		}
	}
	return dbEndpoint{address: host, port: port}, true
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func skipBlanks(s string, i int) int {
	for i < len(s) && isBlank(s[i]) {
		i++
	}
	return i
}

// kvValue reads a libpq key=value value at i: 'quoted' or bare, with \' and
// \\ escapes anywhere. ok is false for an unterminated quote or a trailing
// backslash: the parse cannot be trusted then.
func kvValue(dsn string, i int) (value string, next int, ok bool) {
	var b strings.Builder
	quoted := i < len(dsn) && dsn[i] == '\''
	if quoted {
		i++
	}
	for ; i < len(dsn); i++ {
		c := dsn[i]
		if quoted && c == '\'' {
			return b.String(), i + 1, true
		}
		if !quoted && isBlank(c) {
			return b.String(), i, true
		}
		if c == '\\' {
			i++
			if i >= len(dsn) {
				return "", i, false
			}
		}
		b.WriteByte(dsn[i])
	}
	if quoted {
		return "", i, false
	}
	return b.String(), i, true
}

func pgKeywordValue(dsn string) (dbEndpoint, bool) {
	var s pgSettings
	for i := skipBlanks(dsn, 0); i < len(dsn); i = skipBlanks(dsn, i) {
		start := i
		for i < len(dsn) && dsn[i] != '=' && dsn[i] != ' ' && dsn[i] != '\t' {
			i++
		}
		key := dsn[start:i]
		i = skipBlanks(dsn, i)
		if key == "" || i >= len(dsn) || dsn[i] != '=' {
			return dbEndpoint{}, false
		}
		i = skipBlanks(dsn, i+1)
		value, next, ok := kvValue(dsn, i)
		if !ok {
			return dbEndpoint{}, false
		}
		i = next
		switch key {
		case "host":
			s.host, s.hasHost = value, true
		case "port":
			s.port, s.hasPort = value, true
		}
	}
	return pgEndpoint(s)
}

// pgURLHosts reads "h1:p1,h2,[v6]:p3": the first host, and the first port
// given (pgx applies a single port to every host).
func pgURLHosts(hosts string, s *pgSettings) bool {
	var firstHost, firstPort string
	var haveHost, havePort bool
	for hosts != "" {
		item := hosts
		if comma := strings.IndexByte(hosts, ','); comma >= 0 {
			item, hosts = hosts[:comma], hosts[comma+1:]
		} else {
			hosts = ""
		}
		h, p, hasPort, ok := dsnHostPort(item)
		if !ok {
			return false
		}
		host, ok := percentDecode(h, false)
		if !ok {
			return false
		}
		if !haveHost && host != "" {
			firstHost, haveHost = host, true
		}
		if !havePort && hasPort && p != "" {
			firstPort, havePort = p, true
		}
	}
	s.host, s.hasHost = firstHost, haveHost
	s.port, s.hasPort = firstPort, havePort
	return true
}

// setOnce sets a URL setting; false when the authority and the query
// disagree, because lib/pq and pgx resolve that conflict differently.
func setOnce(slot *string, has *bool, value string) bool {
	if *has && *slot != value {
		return false
	}
	*slot, *has = value, true
	return true
}

// pgURLQuery reads host= and port= from the query (both drivers honour them).
func pgURLQuery(query string, s *pgSettings) bool {
	for query != "" {
		pair := query
		if amp := strings.IndexByte(query, '&'); amp >= 0 {
			pair, query = query[:amp], query[amp+1:]
		} else {
			query = ""
		}
		eq := strings.IndexByte(pair, '=')
		if eq < 0 {
			continue
		}
		key := pair[:eq]
		if key != "host" && key != "port" {
			continue
		}
		value, ok := percentDecode(pair[eq+1:], true)
		if !ok {
			return false
		}
		if key == "host" {
			ok = setOnce(&s.host, &s.hasHost, value)
		} else {
			ok = setOnce(&s.port, &s.hasPort, value)
		}
		if !ok {
			return false
		}
	}
	return true
}

// pgURL reads postgres://[user[:password]@]hosts[/db][?query]; rest is what
// follows "://".
func pgURL(rest string) (dbEndpoint, bool) {
	authorityEnd := strings.IndexAny(rest, "/?#")
	authority := rest
	if authorityEnd >= 0 {
		// An '@' after the authority means the password may hold a raw '/',
		// '?' or '#', and then the text taken for the host could be part of it.
		if strings.IndexByte(rest[authorityEnd:], '@') >= 0 {
			return dbEndpoint{}, false
		}
		authority = rest[:authorityEnd]
	}
	hosts := authority
	if at := strings.LastIndexByte(authority, '@'); at >= 0 {
		hosts = authority[at+1:]
	}
	var s pgSettings
	if !pgURLHosts(hosts, &s) {
		return dbEndpoint{}, false
	}
	if q := strings.IndexByte(rest, '?'); q >= 0 {
		query := rest[q+1:]
		if h := strings.IndexByte(query, '#'); h >= 0 {
			query = query[:h]
		}
		if !pgURLQuery(query, &s) {
			return dbEndpoint{}, false
		}
	}
	return pgEndpoint(s)
}

func postgresEndpoint(dsn string) (dbEndpoint, bool) {
	// The scheme test is case-sensitive in both drivers.
	for _, scheme := range [...]string{"postgres://", "postgresql://"} {
		if strings.HasPrefix(dsn, scheme) {
			return pgURL(dsn[len(scheme):])
		}
	}
	return pgKeywordValue(dsn)
}

// ---- MySQL ----

// mysqlEndpoint reads go-sql-driver/mysql's
// [user[:password]@][net[(addr)]]/dbname[?params], split like its ParseDSN: at
// the last '/', then the last '@' before it, so the address never includes
// the password.
func mysqlEndpoint(dsn string) (dbEndpoint, bool) {
	slash := strings.LastIndexByte(dsn, '/')
	if slash < 0 {
		return dbEndpoint{}, false
	}
	left := dsn[:slash]
	network := left
	if at := strings.LastIndexByte(left, '@'); at >= 0 {
		network = left[at+1:]
	}
	addr := ""
	if paren := strings.IndexByte(network, '('); paren >= 0 {
		if !strings.HasSuffix(network, ")") {
			return dbEndpoint{}, false
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
		return dbEndpoint{address: addr}, true
	}
	if network != "tcp" && network != "tcp4" && network != "tcp6" {
		return dbEndpoint{}, false // custom dialers (cloudsql, ...)
	}
	if addr == "" {
		if network != "tcp" {
			return dbEndpoint{}, false
		}
		return dbEndpoint{address: "127.0.0.1", port: mysqlDefaultPort}, true
	}
	host, p, hasPort, ok := dsnHostPort(addr)
	if !ok || host == "" {
		return dbEndpoint{}, false
	}
	if !hasPort {
		if network != "tcp" { // the driver adds :3306 for "tcp" only
			return dbEndpoint{}, false
		}
		return dbEndpoint{address: host, port: mysqlDefaultPort}, true
	}
	port := dsnPort(p)
	if port == 0 {
		return dbEndpoint{}, false
	}
	return dbEndpoint{address: host, port: port}, true
}
