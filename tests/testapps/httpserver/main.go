// SPDX-License-Identifier: Apache-2.0
// A tiny net/http server: the fixture goinstr's obj tests analyse and the agent tests probe.
// Stdlib only, and it builds with Go 1.19, so one source serves every toolchain under test.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
	flag.Parse()
	mux := http.NewServeMux()
	mux.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello %s\n", r.URL.Path)
	})
	mux.HandleFunc("/status/", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTeapot)
	})
	log.Fatal(http.ListenAndServe(*addr, mux))
}
