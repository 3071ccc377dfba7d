// SPDX-License-Identifier: Apache-2.0
// ctapp: a program the compile-time tests build with `goinstr go build` (never edited for it).
// It exercises //goinstr:span on functions, methods, generics and a cgo package, spans nested
// through context.Context under net/http server spans, and a panic whose stack trace must
// point at this file's own lines.
//
//	ctapp -addr 127.0.0.1:0   serve GET /work?fail=1 and GET /sum
//	ctapp -panic              panic inside a //goinstr:span function (exit 2)
//	ctapp -handle-term        shut down on SIGTERM/SIGINT itself: print "shutting down", exit 0
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"goinstr.dev/ctapp/native"
	"goinstr.dev/ctapp/store"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	doPanic := flag.Bool("panic", false, "panic inside a traced function")
	handleTerm := flag.Bool("handle-term", false, "handle SIGTERM and SIGINT: shut down, exit 0")
	flag.Parse()
	if *doPanic {
		explode(context.Background())
		return
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("listening on %s\n", ln.Addr())
	s := store.New()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /work", func(w http.ResponseWriter, r *http.Request) {
		if err := process(r.Context(), s, r.URL.Query().Get("fail") == "1"); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		fmt.Fprintf(w, "ok %d\n", native.Abs(-7))
	})
	mux.HandleFunc("GET /sum", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, sum([]int{1, 2, 3}), sum([]float64{0.5}))
	})
	if !*handleTerm {
		log.Fatal(http.Serve(ln, mux))
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	srv := &http.Server{Handler: mux}
	go func() { _ = srv.Serve(ln) }()
	<-ctx.Done()
	fmt.Println("shutting down")
	_ = srv.Shutdown(context.Background())
}

var errRequested = errors.New("failure requested")

// process is traced: a child of the request's server span, with the store's span under it.
//
//goinstr:span
func process(ctx context.Context, s *store.Store, fail bool) error {
	if err := s.Save(ctx, "item"); err != nil {
		return err
	}
	if fail {
		return fmt.Errorf("process: %w", errRequested)
	}
	return nil
}

// sum is generic and traced without a context: a root span of its own.
//
//goinstr:span
func sum[T int | float64](xs []T) T {
	var total T
	for _, x := range xs {
		total += x
	}
	return total
}

//goinstr:span
func explode(ctx context.Context) {
	_ = ctx
	var m map[string]int
	m["boom"] = 1 // line 96: the panic's stack trace must name this line
	os.Exit(0)
}
