// SPDX-License-Identifier: Apache-2.0
// otelroutetag: a service on otel v1.38.0 and otelhttp v0.62.0 that tags its routes with
// otelhttp.WithRouteTag, an API later otelhttp releases removed: a build that lifted otelhttp
// (as adding the OpenTelemetry SDK once did) would not compile. goinstr must build it with
// exactly these versions and its go line (tests/e2e/compile_time_identity_test.cpp).
//
//	otelroutetag -addr 127.0.0.1:0   GET /outer calls GET /inner on itself through otelhttp
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
	mux.Handle("GET /outer", otelhttp.WithRouteTag("/outer", http.HandlerFunc(
		func(w http.ResponseWriter, r *http.Request) {
			ctx, span := otel.Tracer("otelroutetag").Start(r.Context(), "user.work")
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, self+"/inner", nil)
			resp, err := client.Do(req)
			span.End()
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadGateway)
				return
			}
			defer resp.Body.Close()
			io.Copy(w, resp.Body)
		})))
	mux.Handle("GET /inner", otelhttp.WithRouteTag("/inner", http.HandlerFunc(
		func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "inner") })))
	log.Fatal(http.Serve(ln, otelhttp.NewHandler(mux, "otelroutetag")))
}
