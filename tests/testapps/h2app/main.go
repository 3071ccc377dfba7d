// SPDX-License-Identifier: Apache-2.0

// Command h2app is the runtime agent's end-to-end target for HTTP/2: one net/http server that
// speaks HTTP/2 over TLS, HTTP/1.1 over TLS, cleartext HTTP/2 (net/http's own or x/net's h2c)
// or plain HTTP/1.1, outgoing requests with a chosen client kind, and a drive mode that plays a
// list of GETs against a server. No OpenTelemetry code: every span comes from goinstr.
package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"flag"
	"fmt"
	"log"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/h2c"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	mode := flag.String("mode", "h1", "server kind: tls, tls1, xtls, h2c, xh2c or h1")
	drive := flag.String("drive", "", "do not serve: GET -paths from this base URL")
	proto := flag.String("proto", "h1", "client kind for -drive: h2, h1tls, h2c or h1")
	paths := flag.String("paths", "", "comma-separated PATH*REPEAT list for -drive")
	traceparent := flag.String("traceparent", "", "traceparent header sent with every -drive request")
	load := flag.String("load", "", "do not serve: GET this URL with -proto at -rate for -duration")
	rate := flag.Int("rate", 3000, "requests per second for -load")
	duration := flag.Duration("duration", 10*time.Second, "how long -load sends")
	lateOK := flag.Bool("late-ok", false, "with -load: calls skipped because 512 are open are no failure (saturation)")
	flag.Parse()
	if *load != "" {
		os.Exit(runLoad(*load, *proto, *rate, *duration, *lateOK))
	}
	if *drive != "" {
		os.Exit(runDrive(*drive, *proto, *paths, *traceparent))
	}

	srv := &http.Server{Handler: newMux()}
	useTLS := false
	switch *mode {
	case "tls": // net/http's bundled HTTP/2, ALPN offers h2 and http/1.1
		useTLS = true
	case "tls1": // a non-nil empty TLSNextProto turns HTTP/2 off
		useTLS = true
		srv.TLSNextProto = map[string]func(*http.Server, *tls.Conn, http.Handler){}
	case "xtls": // HTTP/2 over TLS served by golang.org/x/net (http2.ConfigureServer)
		useTLS = true
		if err := http2.ConfigureServer(srv, &http2.Server{}); err != nil {
			log.Fatal(err)
		}
	case "h2c": // cleartext HTTP/2 with prior knowledge, by net/http itself
		srv.Protocols = new(http.Protocols)
		srv.Protocols.SetHTTP1(true)
		srv.Protocols.SetUnencryptedHTTP2(true)
	case "xh2c": // cleartext HTTP/2 through golang.org/x/net
		srv.Handler = h2c.NewHandler(srv.Handler, &http2.Server{})
	case "h1":
	default:
		log.Fatalf("unknown -mode %q", *mode)
	}
	if useTLS {
		cert, err := selfSignedCert()
		if err != nil {
			log.Fatal(err)
		}
		if srv.TLSConfig == nil { // xtls: ConfigureServer made one, offering h2
			srv.TLSConfig = &tls.Config{}
		}
		srv.TLSConfig.Certificates = []tls.Certificate{cert}
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	// os.Stdout is unbuffered in Go: the line reaches the pipe when Printf returns.
	fmt.Printf("listening on %s\n", ln.Addr())

	stopped := make(chan struct{})
	go func() {
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, syscall.SIGTERM, os.Interrupt)
		<-sig
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		close(stopped)
	}()
	if useTLS {
		err = srv.ServeTLS(ln, "", "")
	} else {
		err = srv.Serve(ln)
	}
	if !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
	<-stopped
}

// selfSignedCert makes an in-memory ECDSA certificate for 127.0.0.1.
func selfSignedCert() (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
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
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}
