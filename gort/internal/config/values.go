// SPDX-License-Identifier: Apache-2.0

// Value parsers shared by the YAML and environment layers, ported from the
// agent's src/config/values.cpp. Errors are bare reasons ("bad port '99999'
// (expected 1-65535)"); each layer prefixes its own location, so one rule
// reads the same everywhere. Character classes are ASCII (C's isspace,
// isalnum, tolower in the C locale), not Unicode, so both sides agree byte
// for byte.

package config

import (
	"errors"
	"fmt"
)

// Protocol names, as OTEL_EXPORTER_OTLP_PROTOCOL spells them.
const (
	ProtocolHTTPProtobuf = "http/protobuf"
	ProtocolGRPC         = "grpc"
)

// parseProtocol accepts grpc and http/protobuf; http/json is named but
// refused, since no exporter speaks it.
func parseProtocol(text string) (string, error) {
	switch toLower(trim(text)) {
	case ProtocolGRPC:
		return ProtocolGRPC, nil
	case ProtocolHTTPProtobuf:
		return ProtocolHTTPProtobuf, nil
	case "http/json":
		return "", errors.New("protocol http/json is not supported (use http/protobuf or grpc)")
	}
	return "", fmt.Errorf("unknown protocol '%s' (expected http/protobuf or grpc)", text)
}

// defaultEndpoint is where OTLP goes when an exporter list asks for otlp and
// names no endpoint (the OpenTelemetry defaults).
func defaultEndpoint(protocol string) string {
	if protocol == ProtocolGRPC {
		return "http://localhost:4317"
	}
	return "http://localhost:4318"
}

// parseIntervalMs is a positive whole number of milliseconds that fits a C
// int, as std::from_chars reads it: digits only, no sign, no unit.
func parseIntervalMs(text string) (int, error) {
	value, ok := parsePositive(trim(text), 1<<31-1)
	if !ok {
		return 0, fmt.Errorf("expected a positive whole number of milliseconds, got '%s'", text)
	}
	return value, nil
}

// parsePositive parses ASCII digits into 1..limit. A sign, a space or an
// overflow fails, as does 0.
func parsePositive(text string, limit int) (int, bool) {
	if text == "" {
		return 0, false
	}
	value := 0
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		value = value*10 + int(c-'0')
		if value > limit {
			return 0, false
		}
	}
	return value, value >= 1
}

// parseKeyValues reads W3C-baggage-like "k=v,k2=v2" lists
// (OTEL_RESOURCE_ATTRIBUTES, OTEL_EXPORTER_OTLP_HEADERS): keys and values are
// trimmed and percent-decoded, empty members skipped, a later key replaces an
// earlier one.
func parseKeyValues(text string) ([][2]string, error) {
	var out [][2]string
	for len(text) > 0 {
		member := text
		text = ""
		for i := 0; i < len(member); i++ {
			if member[i] == ',' {
				member, text = member[:i], member[i+1:]
				break
			}
		}
		member = trim(member)
		if member == "" {
			continue
		}
		eq := indexByte(member, '=')
		if eq < 0 {
			return nil, fmt.Errorf("'%s' is not key=value", member)
		}
		key, err := percentDecode(trim(member[:eq]))
		if err != nil {
			return nil, err
		}
		value, err := percentDecode(trim(member[eq+1:]))
		if err != nil {
			return nil, err
		}
		if key == "" {
			return nil, fmt.Errorf("'%s' has an empty key", member)
		}
		out = mergeKeyValues(out, [][2]string{{key, value}}, false)
	}
	return out, nil
}

func percentDecode(text string) (string, error) {
	if indexByte(text, '%') < 0 {
		return text, nil
	}
	out := make([]byte, 0, len(text))
	for i := 0; i < len(text); i++ {
		if text[i] != '%' {
			out = append(out, text[i])
			continue
		}
		hi, lo := -1, -1
		if i+2 < len(text) {
			hi, lo = hexValue(text[i+1]), hexValue(text[i+2])
		}
		if hi < 0 || lo < 0 {
			end := i + 3
			if end > len(text) {
				end = len(text)
			}
			return "", fmt.Errorf("invalid percent-encoding '%s'", text[i:end])
		}
		out = append(out, byte(hi*16+lo))
		i += 2
	}
	return string(out), nil
}

func hexValue(c byte) int {
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

// mergeKeyValues replaces entries of into whose key matches one in from
// (ASCII-case-insensitively for headers) and appends the rest.
func mergeKeyValues(into, from [][2]string, ignoreCase bool) [][2]string {
	for _, kv := range from {
		found := false
		for i := range into {
			if into[i][0] == kv[0] || (ignoreCase && toLower(into[i][0]) == toLower(kv[0])) {
				into[i][1] = kv[1]
				found = true
				break
			}
		}
		if !found {
			into = append(into, kv)
		}
	}
	return into
}
