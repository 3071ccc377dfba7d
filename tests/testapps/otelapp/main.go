// SPDX-License-Identifier: Apache-2.0
// otelapp: a program already instrumented by hand with the OpenTelemetry API and otelhttp, as
// many are. Built with `goinstr go build` it must get one server span per request and one client
// span per call (not two), and its own span must nest under goinstr's server span.
//
//	otelapp -addr 127.0.0.1:0   GET /outer calls GET /inner on itself through otelhttp.Transport
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
	mux.HandleFunc("GET /outer", func(w http.ResponseWriter, r *http.Request) {
		ctx, span := otel.Tracer("otelapp").Start(r.Context(), "user.work")
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
	mux.HandleFunc("GET /inner", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "inner")
	})
	log.Fatal(http.Serve(ln, otelhttp.NewHandler(mux, "otelapp")))
}
