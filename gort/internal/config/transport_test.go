// SPDX-License-Identifier: Apache-2.0

// The Go-only OTLP transport variables (compression, timeout, TLS files),
// which the agent does not read, so they are not in the shared vectors.

package config

import "testing"

func TestTransportDefaults(t *testing.T) {
	c := Default()
	if err := ApplyEnvironment(&c, nil); err != nil {
		t.Fatal(err)
	}
	if c.Compression != "none" || c.TimeoutMs != 10000 || c.CAFile != "" || c.ClientCertFile != "" || c.ClientKeyFile != "" {
		t.Errorf("defaults %+v", c)
	}
	if SourceOf(&c, "export.compression") != "default" || SourceOf(&c, "export.timeout_ms") != "default" {
		t.Errorf("sources %v", c.Sources)
	}
}

func TestTransportVariables(t *testing.T) {
	c := Default()
	err := ApplyEnvironment(&c, map[string]string{
		"OTEL_EXPORTER_OTLP_COMPRESSION":        " GZIP ",
		"OTEL_EXPORTER_OTLP_TIMEOUT":            "2500",
		"OTEL_EXPORTER_OTLP_CERTIFICATE":        "/etc/ca.pem",
		"OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE": "/etc/client.pem",
		"OTEL_EXPORTER_OTLP_CLIENT_KEY":         "/etc/client.key",
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.Compression != "gzip" || c.TimeoutMs != 2500 || c.CAFile != "/etc/ca.pem" ||
		c.ClientCertFile != "/etc/client.pem" || c.ClientKeyFile != "/etc/client.key" {
		t.Errorf("got %+v", c)
	}
	for key, want := range map[string]string{
		"export.compression":        "env OTEL_EXPORTER_OTLP_COMPRESSION",
		"export.timeout_ms":         "env OTEL_EXPORTER_OTLP_TIMEOUT",
		"export.certificate":        "env OTEL_EXPORTER_OTLP_CERTIFICATE",
		"export.client_certificate": "env OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE",
		"export.client_key":         "env OTEL_EXPORTER_OTLP_CLIENT_KEY",
	} {
		if got := SourceOf(&c, key); got != want {
			t.Errorf("source of %s = %q, want %q", key, got, want)
		}
	}
}

// As for the protocol: the traces-specific variable wins, the
// metrics-specific one is not read (one transport serves both signals).
func TestTransportTracesVariablesWin(t *testing.T) {
	c := Default()
	err := ApplyEnvironment(&c, map[string]string{
		"OTEL_EXPORTER_OTLP_COMPRESSION":          "gzip",
		"OTEL_EXPORTER_OTLP_TRACES_COMPRESSION":   "none",
		"OTEL_EXPORTER_OTLP_TIMEOUT":              "1000",
		"OTEL_EXPORTER_OTLP_TRACES_TIMEOUT":       "3000",
		"OTEL_EXPORTER_OTLP_METRICS_TIMEOUT":      "bogus",
		"OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE":   "/t/ca.pem",
		"OTEL_EXPORTER_OTLP_CERTIFICATE":          "/g/ca.pem",
		"OTEL_EXPORTER_OTLP_METRICS_COMPRESSION":  "br",
		"OTEL_EXPORTER_OTLP_METRICS_CERTIFICATE":  "/m/ca.pem",
		"OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY":    "/t/k",
		"OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE":   "/g/c",
		"OTEL_EXPORTER_OTLP_METRICS_CLIENT_KEY":   "/m/k",
		"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT":      "https://t:4318/v1/traces",
		"OTEL_EXPORTER_OTLP_METRICS_ENDPOINT":     "https://m:4318/v1/metrics",
		"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL":      "http/protobuf",
		"OTEL_EXPORTER_OTLP_METRICS_PROTOCOL":     "grpc",
		"OTEL_EXPORTER_OTLP_TRACES_HEADERS":       "a=1",
		"OTEL_EXPORTER_OTLP_METRICS_HEADERS":      "b=2",
		"OTEL_EXPORTER_OTLP_TRACES_INSECURE":      "true",
		"OTEL_EXPORTER_OTLP_TRACES_UNKNOWN_THING": "x",
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.Compression != "none" || c.TimeoutMs != 3000 || c.CAFile != "/t/ca.pem" ||
		c.ClientKeyFile != "/t/k" || c.ClientCertFile != "/g/c" {
		t.Errorf("got %+v", c)
	}
	if SourceOf(&c, "export.timeout_ms") != "env OTEL_EXPORTER_OTLP_TRACES_TIMEOUT" {
		t.Errorf("sources %v", c.Sources)
	}
}

func TestTransportErrorsNameTheVariable(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"OTEL_EXPORTER_OTLP_COMPRESSION": "br"},
			"OTEL_EXPORTER_OTLP_COMPRESSION: unsupported compression 'br' (expected gzip or none)"},
		{map[string]string{"OTEL_EXPORTER_OTLP_TRACES_COMPRESSION": "Zstd", "OTEL_EXPORTER_OTLP_COMPRESSION": "gzip"},
			"OTEL_EXPORTER_OTLP_TRACES_COMPRESSION: unsupported compression 'Zstd' (expected gzip or none)"},
		{map[string]string{"OTEL_EXPORTER_OTLP_TIMEOUT": "10s"},
			"OTEL_EXPORTER_OTLP_TIMEOUT: expected a positive whole number of milliseconds, got '10s'"},
		{map[string]string{"OTEL_EXPORTER_OTLP_TRACES_TIMEOUT": "0"},
			"OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: expected a positive whole number of milliseconds, got '0'"},
		{map[string]string{"OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE": "/c.pem"},
			"OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: needs OTEL_EXPORTER_OTLP_CLIENT_KEY as well"},
		{map[string]string{"OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY": "/k.pem"},
			"OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY: needs OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE as well"},
		// They are read before the exporter lists, as the agent orders its checks.
		{map[string]string{"OTEL_EXPORTER_OTLP_TIMEOUT": "-1", "OTEL_TRACES_EXPORTER": "zipkin"},
			"OTEL_EXPORTER_OTLP_TIMEOUT: expected a positive whole number of milliseconds, got '-1'"},
	} {
		c := Default()
		err := ApplyEnvironment(&c, tc.env)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%v: error %v, want %q", tc.env, err, tc.want)
		}
	}
}
