// SPDX-License-Identifier: Apache-2.0

// Command dbapp is the runtime agent's end-to-end target for child spans: database/sql through
// DB, Tx and Stmt, a failing query, work handed to a goroutine, a long-lived worker started by a
// request, and outgoing HTTP requests. No OpenTelemetry code: every span comes from goinstr.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"sync"

	_ "github.com/lib/pq"
)

type app struct {
	db         *sql.DB
	workerOnce sync.Once
	jobs       chan chan error
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	dsn := flag.String("db", "", "Postgres DSN")
	flag.Parse()
	db, err := sql.Open("postgres", *dsn)
	if err != nil {
		log.Fatal(err)
	}
	// Two instances starting together race on CREATE TABLE IF NOT EXISTS (a known Postgres
	// behaviour); the loser's error is harmless.
	if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS e2e_items (id serial PRIMARY KEY, name text NOT NULL)`); err != nil {
		log.Printf("create table: %v", err)
	}
	a := &app{db: db, jobs: make(chan chan error)}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /insert", a.insert)
	mux.HandleFunc("GET /fail", a.fail)
	mux.HandleFunc("GET /handoff", a.handoff)
	mux.HandleFunc("GET /worker", a.worker)
	mux.HandleFunc("GET /tx", a.tx)
	mux.HandleFunc("GET /stmt", a.stmt)
	mux.HandleFunc("GET /call", a.call)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("listening on %s\n", ln.Addr())
	log.Fatal(http.Serve(ln, mux))
}

func reply(w http.ResponseWriter, err error) {
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	io.WriteString(w, "ok\n")
}

// One INSERT through DB.ExecContext, with a literal the sanitizer must hide.
func (a *app) insert(w http.ResponseWriter, r *http.Request) {
	_, err := a.db.ExecContext(r.Context(), `INSERT INTO e2e_items (name) VALUES ('secret-literal')`)
	reply(w, err)
}

// A query on a table that does not exist: the database span must carry the driver's error.
func (a *app) fail(w http.ResponseWriter, r *http.Request) {
	_, err := a.db.ExecContext(r.Context(), `SELECT * FROM e2e_missing_table`)
	reply(w, err)
}

// The query runs in a goroutine the handler starts and waits for.
func (a *app) handoff(w http.ResponseWriter, r *http.Request) {
	done := make(chan error)
	go func() {
		var n int
		done <- a.db.QueryRow(`SELECT count(*) FROM e2e_items`).Scan(&n)
	}()
	reply(w, <-done)
}

// A long-lived worker, started by the first request that needs it, runs every request's query:
// only the request that started it may be its parent, and only while that request lasts.
func (a *app) worker(w http.ResponseWriter, r *http.Request) {
	a.workerOnce.Do(func() {
		go func() {
			for job := range a.jobs {
				_, err := a.db.Exec(`UPDATE e2e_items SET name = name WHERE id = -1`)
				job <- err
			}
		}()
	})
	job := make(chan error)
	a.jobs <- job
	reply(w, <-job)
}

// BEGIN, one INSERT, COMMIT.
func (a *app) tx(w http.ResponseWriter, r *http.Request) {
	tx, err := a.db.BeginTx(r.Context(), nil)
	if err != nil {
		reply(w, err)
		return
	}
	if _, err := tx.ExecContext(r.Context(), `INSERT INTO e2e_items (name) VALUES ($1)`, "tx"); err != nil {
		tx.Rollback()
		reply(w, err)
		return
	}
	reply(w, tx.Commit())
}

// A prepared statement, queried.
func (a *app) stmt(w http.ResponseWriter, r *http.Request) {
	s, err := a.db.PrepareContext(r.Context(), `SELECT name FROM e2e_items WHERE id = $1`)
	if err != nil {
		reply(w, err)
		return
	}
	defer s.Close()
	rows, err := s.QueryContext(r.Context(), 1)
	if err == nil {
		rows.Close()
	}
	reply(w, err)
}

// An outgoing request to ?url=, with the request's context.
func (a *app) call(w http.ResponseWriter, r *http.Request) {
	req, err := http.NewRequestWithContext(context.WithoutCancel(r.Context()), http.MethodGet,
		r.URL.Query().Get("url"), nil)
	if err != nil {
		reply(w, err)
		return
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		reply(w, err)
		return
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode >= 400 {
		http.Error(w, resp.Status, http.StatusBadGateway)
		return
	}
	reply(w, nil)
}
