// SPDX-License-Identifier: Apache-2.0
// A tiny net/http server: the fixture goinstr's obj tests analyse and the agent tests probe.
// Stdlib only, and it builds with Go 1.19, so one source serves every toolchain under test. With
// -tls-addr it also serves HTTPS there (net/http's own HTTP/2 by ALPN), with a self-signed
// certificate made at start.
package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"flag"
	"fmt"
	"log"
	"math/big"
	"net"
	"net/http"
	"time"
)

// selfSigned is an in-memory ECDSA certificate for 127.0.0.1.
func selfSigned() tls.Certificate {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		log.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		log.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
	tlsAddr := flag.String("tls-addr", "", "also serve HTTPS (HTTP/2 or HTTP/1.1 by ALPN) here")
	flag.Parse()
	mux := http.NewServeMux()
	mux.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello %s\n", r.URL.Path)
	})
	mux.HandleFunc("/status/", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTeapot)
	})
	if *tlsAddr != "" {
		srv := &http.Server{Addr: *tlsAddr, Handler: mux,
			TLSConfig: &tls.Config{Certificates: []tls.Certificate{selfSigned()}}}
		go func() { log.Fatal(srv.ListenAndServeTLS("", "")) }()
	}
	log.Fatal(http.ListenAndServe(*addr, mux))
}
