// SPDX-License-Identifier: Apache-2.0

// Command demo is the service the goinstr talk measures: an ordinary net/http + database/sql
// program with no OpenTelemetry code in it, so everything goinstr reports comes from uprobes
// (goinstr run) or from the compile-time weaving (goinstr go build). Built with -tags otelmanual
// it is the talk's third variant, instrumented by hand with the OpenTelemetry SDK
// (otel_manual.go).
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	_ "github.com/lib/pq" // registers the "postgres" driver
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address (port 0 picks a free port)")
	dsn := flag.String("db", "", "Postgres DSN; empty runs without a database (POST /log answers 503)")
	next := flag.String("next", "", "base URL of another demo instance; POST /relay forwards to its POST /log")
	flag.Parse()
	log.SetFlags(log.LstdFlags | log.Lmicroseconds)

	if err := run(*addr, *dsn, *next); err != nil {
		log.Printf("demo: %v", err)
		os.Exit(1)
	}
}

// Seams for the hand-instrumented variant (otel_manual.go, built with -tags otelmanual), which
// the talk measures against the plain and the goinstr-woven builds. Its init replaces them; in
// the plain build they do nothing (an indirect call to a no-op) and no OpenTelemetry package is
// linked. Function variables keep one copy of the program for both builds, with no build-tagged
// twin of main.go or handlers.go to drift apart.
var (
	// startTelemetry sets up tracing before the server starts; run calls the function it
	// returns on the way out, after the server and the database are closed, to flush spans.
	startTelemetry = func(dsn string) (flush func()) { return func() {} }
	// wrapHandler wraps the whole mux (otelhttp's server middleware in otel_manual.go).
	wrapHandler = func(h http.Handler) http.Handler { return h }
)

func run(addr, dsn, next string) error {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	flush := startTelemetry(dsn)
	defer flush()

	var db *sql.DB
	if dsn != "" {
		var err error
		if db, err = openDB(ctx, dsn); err != nil {
			return err
		}
		defer db.Close()
	}

	// Listen before announcing, so "listening on" is a promise a test can rely on and the printed
	// address is the real one when the port was 0.
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           wrapHandler(newMux(db, next)),
		ReadHeaderTimeout: 10 * time.Second,
	}
	fmt.Printf("listening on %s\n", ln.Addr())

	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()

	select {
	case err := <-serveErr:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-serveErr; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// openDB connects and creates the table. It retries the first ping for a few seconds because
// scripts start Postgres and the demo back to back.
func openDB(ctx context.Context, dsn string) (*sql.DB, error) {
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		pingCtx, cancel := context.WithTimeout(ctx, 2*time.Second)
		err = db.PingContext(pingCtx)
		cancel()
		if err == nil {
			break
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			db.Close()
			return nil, fmt.Errorf("connect to database: %w", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if _, err := db.ExecContext(ctx, createTable); err != nil {
		db.Close()
		return nil, fmt.Errorf("create table: %w", err)
	}
	return db, nil
}

const createTable = `CREATE TABLE IF NOT EXISTS instrumentation_logs (
	id serial PRIMARY KEY,
	instrumentation varchar(20) NOT NULL,
	error_status boolean NOT NULL,
	timestamp timestamptz NOT NULL DEFAULT now()
)`
