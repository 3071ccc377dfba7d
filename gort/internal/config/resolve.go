// SPDX-License-Identifier: Apache-2.0

// What follows from the layers together: the exporter defaults after a layer
// changed exporter settings, the checks that need every layer, and the URLs
// the OTLP exporters post to.

package config

import (
	"fmt"
	"strings"
)

const (
	defaultEndpointSource        = "default (OTEL_TRACES_EXPORTER=otlp)"
	defaultMetricsEndpointSource = "default (OTEL_METRICS_EXPORTER=otlp)"
)

// resolveExporters re-derives the default endpoints (traces and metrics) and
// Console; each layer calls it last. It is idempotent.
func resolveExporters(c *Config) {
	// OTEL_METRICS_EXPORTER=otlp without any endpoint goes to the OTel
	// default, like traces; that default follows the protocol.
	if contains(c.MetricsExporters, "otlp") &&
		(c.MetricsEndpoint == "" || SourceOf(c, "metrics.endpoint") == defaultMetricsEndpointSource) {
		c.MetricsEndpoint = defaultEndpoint(c.Protocol)
		c.MetricsEndpointIsFullURL = false
		setSource(c, "metrics.endpoint", defaultMetricsEndpointSource)
	}
	chosen := c.TracesExporters
	if contains(chosen, "otlp") &&
		(c.Endpoint == "" || SourceOf(c, "export.endpoint") == defaultEndpointSource) {
		c.Endpoint = defaultEndpoint(c.Protocol)
		c.EndpointIsFullURL = false
		setSource(c, "export.endpoint", defaultEndpointSource)
	}
	if contains(chosen, "console") {
		c.Console = true
		setSource(c, "export.console", "env OTEL_TRACES_EXPORTER")
		return
	}
	none := contains(chosen, "none")
	c.Console = !none && c.Endpoint == "" && c.OutputFile == ""
	if none {
		setSource(c, "export.console", "env OTEL_TRACES_EXPORTER")
	} else {
		setSource(c, "export.console", "default (on when nothing else is)")
	}
}

// Validate makes the checks that need every layer: a host:port endpoint is
// only valid once the protocol is grpc, and a Prometheus address needs
// metrics on.
func Validate(c *Config) error {
	if err := checkScheme(c, c.Endpoint, "export.endpoint"); err != nil {
		return err
	}
	if err := checkScheme(c, c.MetricsEndpoint, "metrics.endpoint"); err != nil {
		return err
	}
	if c.PrometheusAddress != "" && !c.MetricsEnabled {
		return fmt.Errorf("%s: '%s' needs metrics, but metrics.enabled is false (%s)",
			location(c, "export.prometheus"), c.PrometheusAddress, SourceOf(c, "metrics.enabled"))
	}
	return nil
}

// location turns a source into the place the user has to edit: "file
// goinstr.yaml:9" gives "goinstr.yaml:9: export.endpoint", "env X" gives X.
func location(c *Config, key string) string {
	source := SourceOf(c, key)
	if hasPrefix(source, "file ") {
		return source[5:] + ": " + key
	}
	if hasPrefix(source, "env ") || hasPrefix(source, "flag ") {
		return source[strings.IndexByte(source, ' ')+1:]
	}
	return key
}

func checkScheme(c *Config, endpoint, key string) error {
	if endpoint == "" || c.Protocol != ProtocolHTTPProtobuf || hasURLScheme(endpoint) {
		return nil
	}
	// The file's only endpoint key is export.endpoint, whichever signal it
	// ended up serving.
	where := location(c, key)
	if source := SourceOf(c, key); hasPrefix(source, "file ") {
		where = source[5:] + ": export.endpoint"
	}
	return fmt.Errorf("%s: '%s' needs http:// or https:// with protocol http/protobuf (host:port is for grpc)",
		where, endpoint)
}

// TracesURL is the URL OTLP/HTTP spans are posted to: Endpoint as-is when it
// is a full URL (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT), else the base URL
// without trailing slashes plus /v1/traces; a bare host:port gets http://.
// "" when there is no endpoint. These are the agent's otlp_url rules, applied
// whatever the protocol.
func TracesURL(c *Config) string {
	if c.Endpoint == "" {
		return ""
	}
	return otlpURL(c.Endpoint, c.EndpointIsFullURL, "/v1/traces")
}

// MetricsURL is the same for OTLP metrics (MetricsEndpoint, /v1/metrics);
// "" when metrics are off or have no endpoint.
func MetricsURL(c *Config) string {
	if !c.MetricsEnabled || c.MetricsEndpoint == "" {
		return ""
	}
	return otlpURL(c.MetricsEndpoint, c.MetricsEndpointIsFullURL, "/v1/metrics")
}

func otlpURL(endpoint string, full bool, signalPath string) string {
	url := endpoint
	if !hasURLScheme(url) {
		url = "http://" + url
	}
	if full {
		return url
	}
	return strings.TrimRight(url, "/") + signalPath
}
