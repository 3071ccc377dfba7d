// SPDX-License-Identifier: Apache-2.0

package main

import (
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"time"
)

func newMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /hello/{id}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello %s %s", r.PathValue("id"), r.Proto)
	})
	mux.HandleFunc("GET /fail", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "fail", http.StatusInternalServerError)
	})
	mux.HandleFunc("GET /teapot", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTeapot)
	})
	mux.HandleFunc("GET /call", call)
	mux.HandleFunc("POST /echo", func(w http.ResponseWriter, r *http.Request) {
		io.Copy(w, r.Body)
	})
	return mux
}

// clients holds one client per kind, shared by /call and the drive mode.
var clients = map[string]*http.Client{
	"h2":    newClient("h2"),
	"h1tls": newClient("h1tls"),
	"h2c":   newClient("h2c"),
	"h1":    newClient("h1"),
}

func newClient(kind string) *http.Client {
	insecure := &tls.Config{InsecureSkipVerify: true}
	t := &http.Transport{TLSClientConfig: insecure}
	switch kind {
	case "h2": // net/http's bundled HTTP/2 over TLS
		t.ForceAttemptHTTP2 = true
	case "h1tls": // a non-nil empty TLSNextProto keeps TLS connections on HTTP/1.1
		t.TLSNextProto = map[string]func(string, *tls.Conn) http.RoundTripper{}
	case "h2c": // cleartext HTTP/2 with prior knowledge
		t.Protocols = new(http.Protocols)
		t.Protocols.SetUnencryptedHTTP2(true)
	}
	return &http.Client{Transport: t, Timeout: 10 * time.Second}
}

// wantMajor is the HTTP major version a client kind must end up with.
func wantMajor(kind string) int {
	if kind == "h2" || kind == "h2c" {
		return 2
	}
	return 1
}

// call makes one outgoing GET to ?url= with the client ?proto= (default h1) and the incoming
// request's context, and reports the downstream status and protocol.
func call(w http.ResponseWriter, r *http.Request) {
	kind := r.URL.Query().Get("proto")
	if kind == "" {
		kind = "h1"
	}
	client, ok := clients[kind]
	if !ok {
		http.Error(w, "unknown proto "+kind, http.StatusBadRequest)
		return
	}
	req, err := http.NewRequestWithContext(r.Context(), http.MethodGet, r.URL.Query().Get("url"), nil)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	resp, err := client.Do(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	fmt.Fprintf(w, "%d %s", resp.StatusCode, resp.Proto)
}
