// SPDX-License-Identifier: Apache-2.0

// The YAML layer's leaf values: booleans, the interval, strings and the
// headers mapping, each checked as the agent checks it.

package config

import (
	"gopkg.in/yaml.v3"
)

func (l *yamlLayer) applyLeaf(key string, value *yaml.Node, line int) error {
	for _, b := range yamlBoolKeys {
		if b.key != key {
			continue
		}
		// YAML 1.2 booleans only: yes/no/on/off read as typos in a config
		// file. Quoted "true" is accepted, as yaml-cpp hands it over the same.
		text := ""
		if isScalar(value) {
			text = toLower(value.Value)
		}
		if text != "true" && text != "false" {
			return l.error(line, key, "expected a boolean (true/false), got "+describe(value))
		}
		*b.field(l.c) = text == "true"
		return nil
	}
	if contains(yamlIntKeys, key) {
		ms, err := 0, error(nil)
		if isScalar(value) {
			ms, err = parseIntervalMs(value.Value)
		}
		if !isScalar(value) || err != nil {
			return l.error(line, key, "expected a positive whole number of milliseconds, got "+describe(value))
		}
		l.c.MetricExportIntervalMs = ms
		return nil
	}
	if key == "export.headers" {
		return l.applyHeaders(value, line)
	}
	if !isScalar(value) {
		return l.error(line, key, "expected a string, got "+describe(value))
	}
	text := value.Value
	switch key {
	case "service.name":
		l.c.ServiceName = text
	case "export.endpoint":
		if err := checkEndpoint(text, true); err != nil {
			return l.error(line, key, err.Error())
		}
		l.c.Endpoint = text
		l.c.EndpointIsFullURL = false
		// The file has one endpoint; metrics go to its /v1/metrics.
		l.c.MetricsEndpoint = text
		l.c.MetricsEndpointIsFullURL = false
		setSource(l.c, "metrics.endpoint", l.source(line))
	case "export.prometheus":
		if err := checkListenAddress(text); err != nil {
			return l.error(line, key, err.Error())
		}
		l.c.PrometheusAddress = text
	case "export.protocol":
		protocol, err := parseProtocol(text)
		if err != nil {
			return l.error(line, key, err.Error())
		}
		l.c.Protocol = protocol
	case "export.output":
		if text == "" {
			return l.error(line, key, "expected a file name, got ''")
		}
		l.c.OutputFile = text
	}
	return nil
}

// applyHeaders replaces the headers with the file's mapping, in its order.
func (l *yamlLayer) applyHeaders(value *yaml.Node, line int) error {
	if value.Kind != yaml.MappingNode {
		return l.error(line, "export.headers",
			"expected a mapping of header names to values, got "+describe(value))
	}
	var headers [][2]string
	for i := 0; i+1 < len(value.Content); i += 2 {
		name, entry := resolve(value.Content[i]), resolve(value.Content[i+1])
		if !isScalar(name) || name.Value == "" {
			return l.error(name.Line, "export.headers", "expected a header name")
		}
		if !isScalar(entry) {
			return l.error(name.Line, "export.headers."+name.Value,
				"expected a string, got "+describe(entry))
		}
		headers = append(headers, [2]string{name.Value, entry.Value})
	}
	l.c.Headers = headers
	return nil
}
