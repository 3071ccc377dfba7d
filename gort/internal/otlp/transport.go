// SPDX-License-Identifier: Apache-2.0

package otlp

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"
)

// NewTransport is the transport exports go through: a copy of
// http.DefaultTransport's settings (what the OTel SDK's exporter builds for
// itself), with the CA file and client certificate of
// OTEL_EXPORTER_OTLP_[TRACES_]CERTIFICATE, _CLIENT_CERTIFICATE and
// _CLIENT_KEY ("" when not set). A transport of its own also lets the client
// hook recognise the exporter's requests and leave them untraced: tracing
// them would make a span per export, exported by the next export, forever.
//
// When the TLS files cannot be used the error says why, and the transport is
// still returned, without those TLS settings, so that exports to a receiver
// that does not need them still go out.
func NewTransport(caFile, certFile, keyFile string) (*http.Transport, error) {
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
	cfg, err := tlsConfig(caFile, certFile, keyFile)
	if err != nil {
		return t, err
	}
	if cfg != nil {
		t.TLSClientConfig = cfg
	}
	return t, nil
}

// tlsConfig loads the CA and client certificate files; nil when none is set.
func tlsConfig(caFile, certFile, keyFile string) (*tls.Config, error) {
	if caFile == "" && certFile == "" && keyFile == "" {
		return nil, nil
	}
	cfg := &tls.Config{}
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return nil, err
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("no certificate found in %s", caFile)
		}
		cfg.RootCAs = pool
	}
	if certFile != "" || keyFile != "" {
		pair, err := tls.LoadX509KeyPair(certFile, keyFile)
		if err != nil {
			return nil, err
		}
		cfg.Certificates = []tls.Certificate{pair}
	}
	return cfg, nil
}
