// SPDX-License-Identifier: Apache-2.0

// The YAML schema as a table of dotted keys, and the walk that applies a
// mapping against it. The table's order is the agent's: "did you mean"
// takes the first closest key, so the order decides ties.

package config

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

var yamlSections = []string{
	"service",
	"instrumentation",
	"instrumentation.http",
	"instrumentation.database",
	"instrumentation.grpc",
	"export",
	"metrics",
}

var yamlStringKeys = []string{
	"service.name", "export.endpoint", "export.protocol",
	"export.headers", "export.output", "export.prometheus",
}

type boolKey struct {
	key   string
	field func(*Config) *bool
}

var yamlBoolKeys = []boolKey{
	{"instrumentation.http.enabled", func(c *Config) *bool { return &c.HTTPEnabled }},
	{"instrumentation.http.trace_headers", func(c *Config) *bool { return &c.HTTPTraceHeaders }},
	{"instrumentation.database.enabled", func(c *Config) *bool { return &c.DatabaseEnabled }},
	{"instrumentation.database.capture_queries", func(c *Config) *bool { return &c.CaptureQueries }},
	{"instrumentation.database.raw_queries", func(c *Config) *bool { return &c.RawQueries }},
	{"instrumentation.grpc.enabled", func(c *Config) *bool { return &c.GRPCEnabled }},
	{"instrumentation.follow_goroutines", func(c *Config) *bool { return &c.FollowGoroutines }},
	{"metrics.enabled", func(c *Config) *bool { return &c.MetricsEnabled }},
}

// Integer keys are parsed as OTEL_METRIC_EXPORT_INTERVAL is, so both layers
// accept the same text.
var yamlIntKeys = []string{"metrics.export_interval_ms"}

// yamlKeys is every key, sections first, in the agent's order.
func yamlKeys() []string {
	all := append([]string{}, yamlSections...)
	all = append(all, yamlStringKeys...)
	for _, b := range yamlBoolKeys {
		all = append(all, b.key)
	}
	return append(all, yamlIntKeys...)
}

func isSection(key string) bool { return contains(yamlSections, key) }

func isLeaf(key string) bool {
	if contains(yamlStringKeys, key) || contains(yamlIntKeys, key) {
		return true
	}
	for _, b := range yamlBoolKeys {
		if b.key == key {
			return true
		}
	}
	return false
}

// childrenOf lists the known keys directly under prefix ("" for the top
// level), for "did you mean".
func childrenOf(prefix string) []string {
	var out []string
	for _, key := range yamlKeys() {
		rest := key
		if prefix != "" {
			if !hasPrefix(rest, prefix) || len(rest) <= len(prefix) || rest[len(prefix)] != '.' {
				continue
			}
			rest = rest[len(prefix)+1:]
		}
		if indexByte(rest, '.') < 0 {
			out = append(out, rest)
		}
	}
	return out
}

type yamlLayer struct {
	c        *Config
	filename string
}

func (l *yamlLayer) error(line int, key, reason string) error {
	return fmt.Errorf("%s:%d: %s: %s", l.filename, line, key, reason)
}

func (l *yamlLayer) source(line int) string {
	return fmt.Sprintf("file %s:%d", l.filename, line)
}

func (l *yamlLayer) walk(mapping *yaml.Node, prefix string) error {
	seen := map[string]bool{}
	for i := 0; i+1 < len(mapping.Content); i += 2 {
		name, value := resolve(mapping.Content[i]), resolve(mapping.Content[i+1])
		line := name.Line
		if !isScalar(name) {
			where := prefix
			if where == "" {
				where = "(top level)"
			}
			return l.error(line, where, "expected a key name")
		}
		key := name.Value
		if prefix != "" {
			key = prefix + "." + name.Value
		}
		if seen[key] {
			return l.error(line, key, "duplicate key")
		}
		seen[key] = true
		// An empty value (every child commented out) leaves the defaults alone.
		if isNull(value) && (isSection(key) || isLeaf(key)) {
			continue
		}
		switch {
		case isSection(key):
			if value.Kind != yaml.MappingNode {
				return l.error(line, key, "expected a mapping, got "+describe(value))
			}
			if err := l.walk(value, key); err != nil {
				return err
			}
		case isLeaf(key):
			if err := l.applyLeaf(key, value, line); err != nil {
				return err
			}
			setSource(l.c, key, l.source(line))
		default:
			if suggestion := closestMatch(name.Value, childrenOf(prefix)); suggestion != "" {
				return l.error(line, key, fmt.Sprintf("unknown key (did you mean '%s'?)", suggestion))
			}
			return l.error(line, key, "unknown key")
		}
	}
	return nil
}
