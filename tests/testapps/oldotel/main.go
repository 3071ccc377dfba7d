// SPDX-License-Identifier: Apache-2.0
// oldotel: a service pinned to an old OpenTelemetry release (otel v1.24.0, otelhttp v0.49.0,
// go 1.21), instrumented by hand as such services are: otelhttp.NewHandler around its mux and
// otelhttp.NewTransport in its client. goinstr must build it with exactly these versions and
// this language version (tests/e2e/compile_time_identity_test.cpp compares the module lists).
//
//	oldotel -addr 127.0.0.1:0   GET /outer calls GET /inner on itself through otelhttp.Transport
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	flag.Parse()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	self := "http://" + ln.Addr().String()
	fmt.Printf("listening on %s\n", ln.Addr())
	client := &http.Client{Transport: otelhttp.NewTransport(http.DefaultTransport)}
	mux := http.NewServeMux()
	// go 1.21: no method patterns in ServeMux.
	mux.HandleFunc("/outer", func(w http.ResponseWriter, r *http.Request) {
		ctx, span := otel.Tracer("oldotel").Start(r.Context(), "user.work")
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, self+"/inner", nil)
		resp, err := client.Do(req)
		span.End()
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		io.Copy(w, resp.Body)
	})
	mux.HandleFunc("/inner", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "inner")
	})
	log.Fatal(http.Serve(ln, otelhttp.NewHandler(mux, "oldotel")))
}
