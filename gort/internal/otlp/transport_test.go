// SPDX-License-Identifier: Apache-2.0

package otlp

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writePEM(t *testing.T, name, kind string, der []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// clientPair writes a self-signed client certificate and its key.
func clientPair(t *testing.T) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "goinstr test client"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return writePEM(t, "client.crt", "CERTIFICATE", der), writePEM(t, "client.key", "EC PRIVATE KEY", keyDER)
}

func TestNewTransportWithoutTLSFiles(t *testing.T) {
	tr, err := NewTransport("", "", "")
	if err != nil || tr == nil {
		t.Fatalf("NewTransport = %v, %v", tr, err)
	}
	if tr.TLSClientConfig != nil || !tr.ForceAttemptHTTP2 || tr.MaxIdleConns != 100 || tr.Proxy == nil {
		t.Errorf("settings differ from http.DefaultTransport's: %+v", tr)
	}
}

// The CA file is what the transport trusts: a TLS receiver signed by it is
// reached, and a client certificate is loaded.
func TestNewTransportTrustsTheCAFile(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(ok))
	defer srv.Close()
	ca := writePEM(t, "ca.pem", "CERTIFICATE", srv.Certificate().Raw)
	cert, key := clientPair(t)
	tr, err := NewTransport(ca, cert, key)
	if err != nil {
		t.Fatal(err)
	}
	if tr.TLSClientConfig == nil || tr.TLSClientConfig.RootCAs == nil || len(tr.TLSClientConfig.Certificates) != 1 {
		t.Fatalf("TLS config = %+v", tr.TLSClientConfig)
	}
	if err := NewSender(SenderConfig{URL: srv.URL, Transport: tr}).Send([]byte{1}); err != nil {
		t.Errorf("send through the CA: %v", err)
	}
	plain, _ := NewTransport("", "", "")
	if err := NewSender(SenderConfig{URL: srv.URL, Transport: plain}).Send([]byte{1}); err == nil {
		t.Error("a receiver signed by an unknown CA was trusted")
	}
}

func TestNewTransportReportsUnusableFiles(t *testing.T) {
	notPEM := filepath.Join(t.TempDir(), "ca.txt")
	if err := os.WriteFile(notPEM, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, _ := clientPair(t)
	for _, tc := range []struct {
		name, ca, cert, key, want string
	}{
		{"missing CA", filepath.Join(t.TempDir(), "absent.pem"), "", "", "absent.pem"},
		{"CA without a certificate", notPEM, "", "", "no certificate found in " + notPEM},
		{"certificate without key", "", cert, "", "open"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr, err := NewTransport(tc.ca, tc.cert, tc.key)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to say %q", err, tc.want)
			}
			// Still usable, without the TLS settings, as the old exporter did.
			if tr == nil || tr.TLSClientConfig != nil {
				t.Errorf("transport = %+v", tr)
			}
		})
	}
}
