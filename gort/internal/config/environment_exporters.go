// SPDX-License-Identifier: Apache-2.0

// OTEL_TRACES_EXPORTER and OTEL_METRICS_EXPORTER, which select exporters
// for their layer, and the Go-only transport variables.

package config

import "fmt"

func applyTracesExporters(c *Config, env map[string]string) error {
	text, ok := lookup(env, "OTEL_TRACES_EXPORTER")
	if !ok {
		return nil
	}
	chosen := []string{}
	for _, name := range splitList(text) {
		if name != "otlp" && name != "console" && name != "none" {
			return envError("OTEL_TRACES_EXPORTER",
				fmt.Sprintf("unsupported exporter '%s' (expected otlp, console or none)", name))
		}
		chosen = append(chosen, name)
	}
	if contains(chosen, "none") && len(chosen) > 1 {
		return envError("OTEL_TRACES_EXPORTER", "'none' cannot be combined with other exporters")
	}
	// The list names the exporters to run, so an endpoint from the file or
	// the environment without "otlp" in it is dropped.
	if !contains(chosen, "otlp") && c.Endpoint != "" {
		c.Endpoint = ""
		setSource(c, "export.endpoint", "cleared by env OTEL_TRACES_EXPORTER")
	}
	c.TracesExporters = chosen
	setSource(c, "export.exporters", "env OTEL_TRACES_EXPORTER")
	return nil
}

// applyMetricsExporters: OTEL_METRICS_EXPORTER selects OTLP metrics only;
// Prometheus is turned on by an address (the spec's "prometheus" value names
// none, so it is refused with a hint).
func applyMetricsExporters(c *Config, env map[string]string) error {
	text, ok := lookup(env, "OTEL_METRICS_EXPORTER")
	if !ok {
		return nil
	}
	chosen := []string{}
	for _, name := range splitList(text) {
		if name == "prometheus" {
			// The agent's wording, --prometheus included: the file key works here too.
			return envError("OTEL_METRICS_EXPORTER",
				"'prometheus' needs an address: use --prometheus ADDR or export.prometheus")
		}
		if name != "otlp" && name != "none" {
			return envError("OTEL_METRICS_EXPORTER",
				fmt.Sprintf("unsupported exporter '%s' (expected otlp or none)", name))
		}
		chosen = append(chosen, name)
	}
	none := contains(chosen, "none")
	if none && len(chosen) > 1 {
		return envError("OTEL_METRICS_EXPORTER", "'none' cannot be combined with other exporters")
	}
	if none && c.MetricsEndpoint != "" {
		c.MetricsEndpoint = ""
		setSource(c, "metrics.endpoint", "cleared by env OTEL_METRICS_EXPORTER")
	}
	c.MetricsExporters = chosen
	setSource(c, "metrics.exporters", "env OTEL_METRICS_EXPORTER")
	return nil
}

// applyTransport reads the OTLP exporter's compression, timeout and TLS
// files, which the agent does not read (yet). As for the protocol, the
// traces-specific variable wins and the metrics-specific ones are not read:
// both signals share one transport. The files are opened by the exporter.
func applyTransport(c *Config, env map[string]string) error {
	if name, v, ok := lookupSignal(env, "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION",
		"OTEL_EXPORTER_OTLP_COMPRESSION"); ok {
		value := toLower(v)
		if value != "gzip" && value != "none" {
			return envError(name, fmt.Sprintf("unsupported compression '%s' (expected gzip or none)", v))
		}
		c.Compression = value
		setSource(c, "export.compression", "env "+name)
	}
	if name, v, ok := lookupSignal(env, "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT",
		"OTEL_EXPORTER_OTLP_TIMEOUT"); ok {
		ms, err := parseIntervalMs(v)
		if err != nil {
			return envError(name, err.Error())
		}
		c.TimeoutMs = ms
		setSource(c, "export.timeout_ms", "env "+name)
	}
	files := []struct {
		suffix, key string
		field       *string
	}{
		{"CERTIFICATE", "export.certificate", &c.CAFile},
		{"CLIENT_CERTIFICATE", "export.client_certificate", &c.ClientCertFile},
		{"CLIENT_KEY", "export.client_key", &c.ClientKeyFile},
	}
	for _, f := range files {
		if name, v, ok := lookupSignal(env, "OTEL_EXPORTER_OTLP_TRACES_"+f.suffix,
			"OTEL_EXPORTER_OTLP_"+f.suffix); ok {
			*f.field = v
			setSource(c, f.key, "env "+name)
		}
	}
	// A client certificate is useless without its key and the other way round.
	if (c.ClientCertFile == "") != (c.ClientKeyFile == "") {
		set, missing := "export.client_certificate", "OTEL_EXPORTER_OTLP_CLIENT_KEY"
		if c.ClientCertFile == "" {
			set, missing = "export.client_key", "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE"
		}
		return envError(location(c, set), "needs "+missing+" as well")
	}
	return nil
}
