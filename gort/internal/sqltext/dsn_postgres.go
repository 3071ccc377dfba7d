// SPDX-License-Identifier: Apache-2.0

package sqltext

import "strings"

// PostgreSQL DSNs as lib/pq and pgx read them: libpq key=value strings and
// postgres:// URLs.

// pgSettings are the settings both drivers resolve the server from; the
// password is never stored.
type pgSettings struct {
	host, port       string
	hasHost, hasPort bool
}

// pgEndpoint: a host starting with '/' is the directory of a unix socket,
// whose "port" is no server.port.
func pgEndpoint(s pgSettings) (Endpoint, bool) {
	if !s.hasHost {
		return Endpoint{}, false // the default is per driver (socket or localhost): unknown
	}
	host := firstOfList(s.host)
	if host == "" {
		return Endpoint{}, false
	}
	if host[0] == '/' {
		return Endpoint{Address: host}, true
	}
	port := postgresDefaultPort
	if s.hasPort {
		if port = dsnPort(firstOfList(s.port)); port == 0 {
			return Endpoint{}, false
		}
	}
	return Endpoint{Address: host, Port: port}, true
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

func pgKeywordValue(dsn string) (Endpoint, bool) {
	var s pgSettings
	for i := skipBlanks(dsn, 0); i < len(dsn); i = skipBlanks(dsn, i) {
		start := i
		for i < len(dsn) && dsn[i] != '=' && dsn[i] != ' ' && dsn[i] != '\t' {
			i++
		}
		key := dsn[start:i]
		i = skipBlanks(dsn, i)
		if key == "" || i >= len(dsn) || dsn[i] != '=' {
			return Endpoint{}, false
		}
		i = skipBlanks(dsn, i+1)
		value, next, ok := kvValue(dsn, i)
		if !ok {
			return Endpoint{}, false
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
func pgURL(rest string) (Endpoint, bool) {
	authorityEnd := strings.IndexAny(rest, "/?#")
	authority := rest
	if authorityEnd >= 0 {
		// An '@' after the authority means the password may hold a raw '/',
		// '?' or '#', and then the text taken for the host could be part of it.
		if strings.IndexByte(rest[authorityEnd:], '@') >= 0 {
			return Endpoint{}, false
		}
		authority = rest[:authorityEnd]
	}
	hosts := authority
	if at := strings.LastIndexByte(authority, '@'); at >= 0 {
		hosts = authority[at+1:]
	}
	var s pgSettings
	if !pgURLHosts(hosts, &s) {
		return Endpoint{}, false
	}
	if q := strings.IndexByte(rest, '?'); q >= 0 {
		query := rest[q+1:]
		if h := strings.IndexByte(query, '#'); h >= 0 {
			query = query[:h]
		}
		if !pgURLQuery(query, &s) {
			return Endpoint{}, false
		}
	}
	return pgEndpoint(s)
}

func postgresEndpoint(dsn string) (Endpoint, bool) {
	// The scheme test is case-sensitive in both drivers.
	for _, scheme := range [...]string{"postgres://", "postgresql://"} {
		if strings.HasPrefix(dsn, scheme) {
			return pgURL(dsn[len(scheme):])
		}
	}
	return pgKeywordValue(dsn)
}
