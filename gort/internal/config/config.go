// SPDX-License-Identifier: Apache-2.0

// Package config is the woven runtime's configuration: the same YAML file as
// the runtime agent (its path in GOINSTR_CONFIG), with the same keys, checks,
// error messages and precedence, plus the standard OTEL_* variables. It is a
// port of the agent's src/config (docs/configuration.md); the shared vectors
// in data/config/vectors.json run against both, so the two cannot drift.
//
// Precedence, lowest to highest: Default() < the YAML file < OTEL_*. The
// agent's fourth layer, command-line flags, has no counterpart here.
//
// Language level: compiled with the user's go.mod language version (as low as
// go 1.13): no generics, no any, no min/max.
package config

// Config is every setting, after all layers. Field comments name the dotted
// YAML key or the variable that sets each one.
type Config struct {
	// instrumentation.*
	HTTPEnabled      bool // instrumentation.http.enabled
	HTTPTraceHeaders bool // instrumentation.http.trace_headers: inject traceparent
	DatabaseEnabled  bool // instrumentation.database.enabled
	CaptureQueries   bool // instrumentation.database.capture_queries: db.query.text
	RawQueries       bool // instrumentation.database.raw_queries: literals included
	GRPCEnabled      bool // instrumentation.grpc.enabled
	// instrumentation.follow_goroutines: goroutines started while serving a
	// request inherit it.
	FollowGoroutines bool

	// service.name or OTEL_SERVICE_NAME; empty: the caller picks the
	// executable's name.
	ServiceName        string
	ResourceAttributes [][2]string // OTEL_RESOURCE_ATTRIBUTES, in order

	// export.endpoint, OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT: a validated URL
	// (or host:port for grpc); empty: no OTLP span export. TracesURL gives
	// the URL to post to.
	Endpoint string
	// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is used as-is; every other endpoint
	// is a base URL that /v1/traces is appended to.
	EndpointIsFullURL bool
	Protocol          string      // ProtocolHTTPProtobuf or ProtocolGRPC
	Headers           [][2]string // export.headers, OTEL_EXPORTER_OTLP_[TRACES_]HEADERS
	OutputFile        string      // export.output: OTLP-JSON lines
	// Console is false when another exporter is chosen or
	// OTEL_TRACES_EXPORTER=none.
	Console bool
	// OTEL_TRACES_EXPORTER as given ("otlp", "console", "none"), lowercased;
	// nil: unset, the exporters follow from the settings above.
	TracesExporters []string
	SDKDisabled     bool // OTEL_SDK_DISABLED=true: no hooks, no spans

	// Go only (the agent does not read these variables yet):
	// OTEL_EXPORTER_OTLP_[TRACES_]COMPRESSION, _TIMEOUT, _CERTIFICATE,
	// _CLIENT_CERTIFICATE and _CLIENT_KEY. The paths are not opened here.
	Compression    string // "gzip" or "none" (the default)
	TimeoutMs      int    // per export; 10000 by default
	CAFile         string
	ClientCertFile string
	ClientKeyFile  string

	// metrics.*: RED histograms derived from the spans.
	MetricsEnabled         bool // metrics.enabled: false means no metrics at all
	MetricExportIntervalMs int  // metrics.export_interval_ms, OTEL_METRIC_EXPORT_INTERVAL
	// Where OTLP metrics go; empty: none. It follows the generic endpoint
	// (file, OTEL_EXPORTER_OTLP_ENDPOINT), never the traces-specific one;
	// OTEL_EXPORTER_OTLP_METRICS_ENDPOINT replaces it with a full URL.
	MetricsEndpoint          string
	MetricsEndpointIsFullURL bool
	// OTEL_METRICS_EXPORTER as given ("otlp", "none"); nil: unset.
	MetricsExporters  []string
	PrometheusAddress string // export.prometheus: host:port or :port

	// Where each value came from, keyed by the dotted key
	// ("export.endpoint"): "file goinstr.yaml:9", "env OTEL_SERVICE_NAME".
	// A key without an entry holds its default (SourceOf says "default").
	Sources map[string]string
}

// Default is the built-in layer, as the agent's Config{}.
func Default() Config {
	return Config{
		HTTPEnabled:            true,
		DatabaseEnabled:        true,
		GRPCEnabled:            true,
		FollowGoroutines:       true,
		Protocol:               ProtocolHTTPProtobuf,
		Console:                true,
		Compression:            "none",
		TimeoutMs:              10000,
		MetricsEnabled:         true,
		MetricExportIntervalMs: 10000,
		Sources:                map[string]string{},
	}
}

// SourceOf is c.Sources[key], or "default".
func SourceOf(c *Config, key string) string {
	if source, ok := c.Sources[key]; ok {
		return source
	}
	return "default"
}

// setSource records where key's value came from, creating the map for a
// Config that was not made by Default.
func setSource(c *Config, key, source string) {
	if c.Sources == nil {
		c.Sources = map[string]string{}
	}
	c.Sources[key] = source
}
