// SPDX-License-Identifier: Apache-2.0

// Small pure helpers shared by the HTTP server and client hooks. They mirror
// src/agent/http_attributes.cpp of the eBPF agent so that both modes name
// spans and fill attributes the same way.

package rt

import "strconv"

// methodOther is what semantic conventions want for a method outside the
// well-known set; the original goes to http.request.method_original.
const methodOther = "_OTHER"

// normalizeMethod returns method when it is one of the methods semantic
// conventions know, else "_OTHER". The returned string is a constant, so
// callers can compare it without allocating.
func normalizeMethod(method string) string {
	switch method {
	case "GET":
		return "GET"
	case "HEAD":
		return "HEAD"
	case "POST":
		return "POST"
	case "PUT":
		return "PUT"
	case "DELETE":
		return "DELETE"
	case "CONNECT":
		return "CONNECT"
	case "OPTIONS":
		return "OPTIONS"
	case "TRACE":
		return "TRACE"
	case "PATCH":
		return "PATCH"
	}
	return methodOther
}

// routeFromPattern turns a Go 1.22+ ServeMux pattern ("GET example.com/items/{id}")
// into http.route ("/items/{id}"): the method, when present, is separated by
// spaces or tabs; the route starts at the first '/'. No '/' means no route.
func routeFromPattern(pattern string) string {
	for i := 0; i < len(pattern); i++ {
		if pattern[i] == ' ' || pattern[i] == '\t' {
			pattern = pattern[i:]
			for len(pattern) > 0 && (pattern[0] == ' ' || pattern[0] == '\t') {
				pattern = pattern[1:]
			}
			break
		}
	}
	for i := 0; i < len(pattern); i++ {
		if pattern[i] == '/' {
			return pattern[i:]
		}
	}
	return ""
}

// splitHostPort splits "host", "host:port", "[v6]", "[v6]:port"; a bare IPv6
// address (several colons, no brackets) is all host. port is 0 when absent or
// not a number in 1..65535. Never allocates.
func splitHostPort(hostport string) (host string, port int) {
	host = hostport
	var p string
	if len(hostport) > 0 && hostport[0] == '[' {
		end := -1
		for i := 1; i < len(hostport); i++ {
			if hostport[i] == ']' {
				end = i
				break
			}
		}
		if end < 0 {
			return hostport, 0
		}
		host = hostport[1:end]
		if end+1 < len(hostport) && hostport[end+1] == ':' {
			p = hostport[end+2:]
		}
	} else {
		first, last := -1, -1
		for i := 0; i < len(hostport); i++ {
			if hostport[i] == ':' {
				if first < 0 {
					first = i
				}
				last = i
			}
		}
		// More than one colon without brackets: a bare IPv6 address, no port.
		if first >= 0 && first == last {
			host = hostport[:first]
			p = hostport[first+1:]
		}
	}
	return host, parsePort(p)
}

// parsePort accepts only plain decimal digits in 1..65535 (no sign); 0 means
// "no valid port".
func parsePort(s string) int {
	if len(s) == 0 || len(s) > 5 {
		return 0
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + int(c-'0')
	}
	if n < 1 || n > 65535 {
		return 0
	}
	return n
}

// protocolVersion is network.protocol.version: "1.0", "1.1", "2", "3".
func protocolVersion(major, minor int) string {
	switch {
	case major == 1 && minor == 1:
		return "1.1"
	case major == 1 && minor == 0:
		return "1.0"
	case major == 2:
		return "2"
	case major >= 2:
		return strconv.Itoa(major)
	}
	return strconv.Itoa(major) + "." + strconv.Itoa(minor)
}

// statusString is error.type for an HTTP status: "500". The common ones are
// constants so the hot path does not allocate.
func statusString(status int) string {
	switch status {
	case 400:
		return "400"
	case 401:
		return "401"
	case 403:
		return "403"
	case 404:
		return "404"
	case 409:
		return "409"
	case 429:
		return "429"
	case 500:
		return "500"
	case 502:
		return "502"
	case 503:
		return "503"
	case 504:
		return "504"
	}
	return strconv.Itoa(status)
}
