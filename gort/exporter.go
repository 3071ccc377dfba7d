// SPDX-License-Identifier: Apache-2.0

// Exporter selection from the standard OTEL_* environment, and the HTTP
// transport the OTLP exporter sends through. That transport is ours so the
// client hook can recognise the exporter's own requests and leave them
// untraced: tracing them would make a span per export, exported by the next
// export, and so on forever.

package rt

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// exportTransport carries the OTLP exporter's requests; roundTripHook makes
// no span for requests sent through it. nil until an OTLP exporter exists.
var exportTransport *http.Transport

// defaultExportTimeout is the OTLP default for OTEL_EXPORTER_OTLP_TIMEOUT.
const defaultExportTimeout = 10 * time.Second

// exportersFromEnv returns the exporters OTEL_TRACES_EXPORTER asks for
// ("otlp" by default; "console"; "none"; a comma list of those). Anything that
// cannot be honoured is said once on w and exports nothing.
func exportersFromEnv(w io.Writer) []sdktrace.SpanExporter {
	value := strings.TrimSpace(os.Getenv("OTEL_TRACES_EXPORTER"))
	if value == "" {
		value = "otlp"
	}
	var out []sdktrace.SpanExporter
	for _, name := range strings.Split(value, ",") {
		name = strings.ToLower(strings.TrimSpace(name))
		switch name {
		case "otlp":
			if exp := otlpExporter(w); exp != nil {
				out = append(out, exp)
			}
		case "console":
			exp, err := stdouttrace.New(stdouttrace.WithPrettyPrint())
			if err != nil {
				fmt.Fprintf(w, "goinstr: console exporter: %v; spans are not exported\n", err)
				continue
			}
			out = append(out, exp)
		case "none", "":
		default:
			fmt.Fprintf(w, "goinstr: OTEL_TRACES_EXPORTER=%s is not supported (otlp, console, none); spans are not exported\n", name)
		}
	}
	return out
}

// otlpProtocol is the OTLP protocol asked for and the variable that asked.
func otlpProtocol() (protocol, variable string) {
	for _, v := range []string{"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"} {
		if p := strings.TrimSpace(os.Getenv(v)); p != "" {
			return p, v
		}
	}
	return "http/protobuf", ""
}

const defaultTracesURL = "http://localhost:4318/v1/traces"

// otlpExporter is the OTLP/HTTP exporter, or nil when the protocol asked for
// is not built in. otlptracehttp reads the endpoint, headers, compression,
// TLS and insecure settings from the environment itself.
func otlpExporter(w io.Writer) sdktrace.SpanExporter {
	switch protocol, variable := otlpProtocol(); protocol {
	case "http/protobuf":
	case "grpc":
		fmt.Fprintf(w, "goinstr: %s=grpc is not built into the woven runtime; use http/protobuf\n", variable)
		return nil
	default:
		fmt.Fprintf(w, "goinstr: %s=%s is not supported; use http/protobuf\n", variable, protocol)
		return nil
	}
	exportTransport = newExportTransport(w)
	client := &http.Client{Transport: exportTransport, Timeout: exportTimeout()}
	opts := []otlptracehttp.Option{otlptracehttp.WithHTTPClient(client)}
	if os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT") == "" && os.Getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") == "" {
		// The specification's default is http://localhost:4318; otlptracehttp's own default
		// would be https, which no local collector or Jaeger answers out of the box (the
		// runtime agent uses the same default).
		opts = append(opts, otlptracehttp.WithEndpointURL(defaultTracesURL))
	}
	exp, err := otlptracehttp.New(context.Background(), opts...)
	if err != nil {
		fmt.Fprintf(w, "goinstr: OTLP exporter: %v; spans are not exported\n", err)
		return nil
	}
	return exp
}

// newExportTransport mirrors the transport otlptracehttp builds for itself
// (a copy of http.DefaultTransport's settings). Because WithHTTPClient makes
// the exporter ignore the certificate and timeout variables, they are applied
// here.
func newExportTransport(w io.Writer) *http.Transport {
	t := &http.Transport{
		Proxy: http.ProxyFromEnvironment,
		DialContext: (&net.Dialer{
			Timeout:   30 * time.Second,
			KeepAlive: 30 * time.Second,
		}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: 1 * time.Second,
	}
	if cfg, err := exportTLSConfig(); err != nil {
		fmt.Fprintf(w, "goinstr: OTLP exporter TLS settings: %v\n", err)
	} else if cfg != nil {
		t.TLSClientConfig = cfg
	}
	return t
}

// otlpEnv is OTEL_EXPORTER_OTLP_TRACES_<name>, else OTEL_EXPORTER_OTLP_<name>.
func otlpEnv(name string) string {
	if v := strings.TrimSpace(os.Getenv("OTEL_EXPORTER_OTLP_TRACES_" + name)); v != "" {
		return v
	}
	return strings.TrimSpace(os.Getenv("OTEL_EXPORTER_OTLP_" + name))
}

// exportTimeout is OTEL_EXPORTER_OTLP_[TRACES_]TIMEOUT in milliseconds.
func exportTimeout() time.Duration {
	if v := otlpEnv("TIMEOUT"); v != "" {
		if ms, err := strconv.ParseInt(v, 10, 64); err == nil && ms > 0 {
			return time.Duration(ms) * time.Millisecond
		}
	}
	return defaultExportTimeout
}

// exportTLSConfig reads the CA and client certificate variables; nil when
// none is set.
func exportTLSConfig() (*tls.Config, error) {
	ca := otlpEnv("CERTIFICATE")
	cert, key := otlpEnv("CLIENT_CERTIFICATE"), otlpEnv("CLIENT_KEY")
	if ca == "" && cert == "" && key == "" {
		return nil, nil
	}
	cfg := &tls.Config{}
	if ca != "" {
		pem, err := os.ReadFile(ca)
		if err != nil {
			return nil, err
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("no certificate found in %s", ca)
		}
		cfg.RootCAs = pool
	}
	if cert != "" || key != "" {
		pair, err := tls.LoadX509KeyPair(cert, key)
		if err != nil {
			return nil, err
		}
		cfg.Certificates = []tls.Certificate{pair}
	}
	return cfg, nil
}
