// SPDX-License-Identifier: Apache-2.0

// The standard OTEL_* variables, ported from the agent's
// src/config/environment.cpp. As the OpenTelemetry specs say, an empty (or
// blank) variable counts as unset; unlike them, an invalid value is an error
// rather than a warning, because silently exporting nowhere is the worse
// failure.

package config

import (
	"errors"
	"fmt"
)

// ApplyEnvironment applies the OTEL_* variables of env over c; errors name
// the variable ("OTEL_TRACES_EXPORTER: unsupported exporter 'zipkin' ...").
func ApplyEnvironment(c *Config, env map[string]string) error {
	steps := []func(*Config, map[string]string) error{
		applyResource,
		applyEndpoint,
		applyProtocolAndHeaders,
		applyTransport,        // Go only
		applyTracesExporters,  // after the endpoint: it may clear it
		applyMetricsExporters, // likewise for the metrics endpoint
		applyMetricInterval,
		applySDKDisabled,
	}
	for _, step := range steps {
		if err := step(c, env); err != nil {
			return err
		}
	}
	resolveExporters(c)
	return nil
}

// lookup is env[name] trimmed; a blank value counts as unset.
func lookup(env map[string]string, name string) (string, bool) {
	value := trim(env[name])
	return value, value != ""
}

// lookupSignal is the signal-specific variable, else the generic one, and
// the name of the one used.
func lookupSignal(env map[string]string, signal, generic string) (name, value string, ok bool) {
	if v, ok := lookup(env, signal); ok {
		return signal, v, true
	}
	if v, ok := lookup(env, generic); ok {
		return generic, v, true
	}
	return "", "", false
}

func envError(name, reason string) error {
	return errors.New(name + ": " + reason)
}

// splitList reads "otlp, Console" as [otlp console]: trimmed, lowercased,
// empty members skipped.
func splitList(text string) []string {
	var out []string
	for len(text) > 0 {
		member := text
		text = ""
		if comma := indexByte(member, ','); comma >= 0 {
			member, text = member[:comma], member[comma+1:]
		}
		if name := toLower(trim(member)); name != "" {
			out = append(out, name)
		}
	}
	return out
}

func applyResource(c *Config, env map[string]string) error {
	if name, ok := lookup(env, "OTEL_SERVICE_NAME"); ok {
		c.ServiceName = name
		setSource(c, "service.name", "env OTEL_SERVICE_NAME")
	}
	if text, ok := lookup(env, "OTEL_RESOURCE_ATTRIBUTES"); ok {
		attributes, err := parseKeyValues(text)
		if err != nil {
			return envError("OTEL_RESOURCE_ATTRIBUTES", err.Error())
		}
		c.ResourceAttributes = attributes
		setSource(c, "resource.attributes", "env OTEL_RESOURCE_ATTRIBUTES")
	}
	return nil
}

func applyEndpoint(c *Config, env map[string]string) error {
	// All are checked, so a broken generic value is reported even while a
	// signal-specific one wins.
	for _, name := range []string{"OTEL_EXPORTER_OTLP_ENDPOINT",
		"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"} {
		if v, ok := lookup(env, name); ok {
			if err := checkEndpoint(v, true); err != nil {
				return envError(name, err.Error())
			}
		}
	}
	// Metrics never take the traces URL (it ends in /v1/traces): the
	// metrics-specific one, used as-is, else the generic base URL.
	if name, v, ok := lookupSignal(env, "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT",
		"OTEL_EXPORTER_OTLP_ENDPOINT"); ok {
		c.MetricsEndpoint = v
		c.MetricsEndpointIsFullURL = name == "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"
		setSource(c, "metrics.endpoint", "env "+name)
	}
	if name, v, ok := lookupSignal(env, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
		"OTEL_EXPORTER_OTLP_ENDPOINT"); ok {
		c.Endpoint = v
		// Spec: the signal-specific URL is used as-is, the generic one gets
		// /v1/traces appended.
		c.EndpointIsFullURL = name == "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"
		setSource(c, "export.endpoint", "env "+name)
	}
	return nil
}

func applyProtocolAndHeaders(c *Config, env map[string]string) error {
	if name, v, ok := lookupSignal(env, "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
		"OTEL_EXPORTER_OTLP_PROTOCOL"); ok {
		protocol, err := parseProtocol(v)
		if err != nil {
			return envError(name, err.Error())
		}
		c.Protocol = protocol
		setSource(c, "export.protocol", "env "+name)
	}
	// Generic first, then traces-specific, so a header named in both takes
	// the traces value.
	for _, name := range []string{"OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_TRACES_HEADERS"} {
		text, ok := lookup(env, name)
		if !ok {
			continue
		}
		headers, err := parseKeyValues(text)
		if err != nil {
			return envError(name, err.Error())
		}
		c.Headers = mergeKeyValues(c.Headers, headers, true)
		setSource(c, "export.headers", "env "+name)
	}
	return nil
}

func applyMetricInterval(c *Config, env map[string]string) error {
	text, ok := lookup(env, "OTEL_METRIC_EXPORT_INTERVAL")
	if !ok {
		return nil
	}
	ms, err := parseIntervalMs(text)
	if err != nil {
		return envError("OTEL_METRIC_EXPORT_INTERVAL", err.Error())
	}
	c.MetricExportIntervalMs = ms
	setSource(c, "metrics.export_interval_ms", "env OTEL_METRIC_EXPORT_INTERVAL")
	return nil
}

func applySDKDisabled(c *Config, env map[string]string) error {
	text, ok := lookup(env, "OTEL_SDK_DISABLED")
	if !ok {
		return nil
	}
	value := toLower(text)
	if value != "true" && value != "false" {
		return envError("OTEL_SDK_DISABLED", fmt.Sprintf("expected true or false, got '%s'", text))
	}
	c.SDKDisabled = value == "true"
	setSource(c, "sdk.disabled", "env OTEL_SDK_DISABLED")
	return nil
}
