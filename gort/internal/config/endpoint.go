// SPDX-License-Identifier: Apache-2.0

// Endpoint and listen-address checks, ported from the agent's
// src/config/values.cpp with the same messages.

package config

import (
	"errors"
	"fmt"
	"strings"
)

// hasURLScheme says whether an endpoint is a URL rather than a bare
// host:port (which only gRPC takes).
func hasURLScheme(endpoint string) bool {
	return strings.Contains(endpoint, "://")
}

// checkEndpoint accepts http://host[:port][/path] and https://..., and with
// allowHostPort also a bare host:port; Validate enforces that the latter is
// only used with grpc once every layer is in.
func checkEndpoint(endpoint string, allowHostPort bool) error {
	if endpoint == "" {
		return errors.New("empty endpoint")
	}
	for i := 0; i < len(endpoint); i++ {
		if isSpace(endpoint[i]) {
			return fmt.Errorf("'%s' contains whitespace", endpoint)
		}
	}
	sep := strings.Index(endpoint, "://")
	if sep < 0 {
		if !allowHostPort || strings.ContainsAny(endpoint, "/?#") {
			return fmt.Errorf("'%s': missing scheme (expected http:// or https://)", endpoint)
		}
		return checkAuthority(endpoint, endpoint, true)
	}
	if scheme := toLower(endpoint[:sep]); scheme != "http" && scheme != "https" {
		return fmt.Errorf("'%s': unsupported scheme '%s' (expected http:// or https://)",
			endpoint, endpoint[:sep])
	}
	rest := endpoint[sep+3:]
	if end := strings.IndexAny(rest, "/?#"); end >= 0 {
		rest = rest[:end]
	}
	return checkAuthority(endpoint, rest, false)
}

// checkAuthority splits "host:port" or "[v6]:port" and checks both halves;
// endpoint is only for messages.
func checkAuthority(endpoint, authority string, needPort bool) error {
	if strings.Contains(authority, "@") {
		return fmt.Errorf("'%s': credentials in the URL are not supported (use headers)", endpoint)
	}
	host, port, hasPort := authority, "", false
	bracketed := hasPrefix(authority, "[")
	if bracketed {
		closing := strings.IndexByte(authority, ']')
		if closing < 0 {
			return fmt.Errorf("'%s': unclosed '['", endpoint)
		}
		host = authority[1:closing]
		after := authority[closing+1:]
		if after != "" && !hasPrefix(after, ":") {
			return fmt.Errorf("'%s': unexpected '%s' after ']'", endpoint, after)
		}
		if after != "" {
			port, hasPort = after[1:], true
		}
	} else if colon := strings.IndexByte(authority, ':'); colon >= 0 {
		if strings.IndexByte(authority[colon+1:], ':') >= 0 {
			return fmt.Errorf("'%s': IPv6 addresses need brackets ([::1]:4317)", endpoint)
		}
		host, port, hasPort = authority[:colon], authority[colon+1:], true
	}
	if host == "" {
		return fmt.Errorf("'%s': missing host", endpoint)
	}
	for i := 0; i < len(host); i++ {
		c := host[i]
		if !isAlnum(c) && c != '-' && c != '.' && c != '_' &&
			!(bracketed && (c == ':' || isXDigit(c))) {
			return fmt.Errorf("'%s': invalid character '%s' in host", endpoint, host[i:i+1])
		}
	}
	if !hasPort {
		if needPort {
			return fmt.Errorf("'%s' is not a URL (expected http://host[:port], https://host[:port] or, for grpc, host:port)", endpoint)
		}
		return nil
	}
	return checkPort(endpoint, port)
}

func checkPort(text, port string) error {
	if _, ok := parsePositive(port, 65535); !ok {
		return fmt.Errorf("'%s': bad port '%s' (expected 1-65535)", text, port)
	}
	return nil
}

// checkListenAddress accepts a Prometheus listen address: "host:port",
// "[v6]:port" or ":port" (every interface, as in Go).
func checkListenAddress(address string) error {
	if strings.Contains(address, "/") {
		return fmt.Errorf("'%s': expected host:port or :port", address)
	}
	colon := strings.LastIndexByte(address, ':')
	bracketed := hasPrefix(address, "[")
	if !bracketed && colon != strings.IndexByte(address, ':') {
		return fmt.Errorf("'%s': IPv6 addresses need brackets ([::1]:9464)", address)
	}
	if hasPrefix(address, ":") {
		return checkPort(address, address[1:])
	}
	hasPort := colon >= 0 && (!bracketed || address[colon-1] == ']')
	if !hasPort {
		return fmt.Errorf("'%s': expected host:port or :port", address)
	}
	return checkAuthority(address, address, true)
}
