// Package main is the shape compile-time instrumentation rewrites most:
// handler registration, calls through selectors, and returns.
package main

import (
	"fmt"
	"log"
	nethttp "net/http"
)

func hello(w nethttp.ResponseWriter, r *nethttp.Request) {
	if r.Method != nethttp.MethodGet {
		nethttp.Error(w, "method not allowed", 405)
		return
	}
	fmt.Fprintf(w, "hello, %s\n", r.URL.Query().Get("name"))
}

func main() {
	nethttp.HandleFunc("/hello", hello)
	log.Fatal(nethttp.ListenAndServe(":8080", nil))
}
