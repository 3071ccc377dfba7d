// SPDX-License-Identifier: Apache-2.0

// Command grpcapp is the runtime agent's end-to-end target for gRPC: a hand-described service
// (goinstr.test.Echo, no generated code) with unary, server-, client- and bidi-streaming methods,
// outgoing calls to a peer, and a drive mode that plays a script of calls against a server.
// It only uses APIs present in grpc-go v1.60.0, so the tests can build it against every release
// from v1.60.0 on. No OpenTelemetry code: every span comes from goinstr.
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
	"os"
	"os/signal"
	"syscall"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	peer := flag.String("peer", "", "gRPC target the \"call\" requests go to (plaintext)")
	useTLS := flag.Bool("tls", false, "serve (or, with -drive, dial) over TLS with a self-signed certificate")
	drive := flag.String("drive", "", "do not serve: dial this target and run -script")
	script := flag.String("script", "", "comma-separated steps KIND:ARG*REPEAT for -drive")
	traceparent := flag.String("traceparent", "", "traceparent metadata sent with every -drive call")
	load := flag.String("load", "", "do not serve: send unary calls to this target at -rate for -duration")
	rate := flag.Int("rate", 3000, "calls per second for -load")
	duration := flag.Duration("duration", 10*time.Second, "how long -load sends")
	lateOK := flag.Bool("late-ok", false, "with -load: calls skipped because 512 are open are no failure (saturation)")
	flag.Parse()
	if *load != "" {
		os.Exit(runLoad(*load, *rate, *duration, *lateOK))
	}
	if *drive != "" {
		os.Exit(runDrive(*drive, *script, *traceparent, *useTLS))
	}

	s := &server{}
	if *peer != "" {
		conn, err := grpc.Dial(*peer, grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			log.Fatal(err)
		}
		defer conn.Close()
		s.peer = conn
	}
	var opts []grpc.ServerOption
	if *useTLS {
		cert, err := selfSignedCert()
		if err != nil {
			log.Fatal(err)
		}
		opts = append(opts, grpc.Creds(credentials.NewTLS(&tls.Config{Certificates: []tls.Certificate{cert}})))
	}
	gs := grpc.NewServer(opts...)
	gs.RegisterService(&echoDesc, s)

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	// os.Stdout is unbuffered in Go: the line reaches the pipe when Printf returns.
	fmt.Printf("listening on %s\n", ln.Addr())

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, os.Interrupt)
	go func() {
		<-sig
		gs.GracefulStop()
	}()
	if err := gs.Serve(ln); err != nil {
		log.Fatal(err)
	}
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
