// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"strconv"
	"time"
)

// Caps on /load keep a typo in a benchmark script from taking the machine down.
const (
	maxCPUIterations = 2_000_000_000
	maxAllocBytes    = 512 << 20
	maxSleep         = 30 * time.Second
	maxLogBody       = 64 << 10
	maxInstrLen      = 20 // the column is varchar(20)
)

// newMux uses Go 1.22 method+wildcard patterns on purpose: they give goinstr a real http.route
// ("GET /status/{code}") to report.
func newMux(db *sql.DB, next string) *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /relay", func(w http.ResponseWriter, r *http.Request) { handleRelay(next, w, r) })
	mux.HandleFunc("GET /hello", handleHello)
	mux.HandleFunc("POST /log", func(w http.ResponseWriter, r *http.Request) { handleLog(db, w, r) })
	mux.HandleFunc("GET /load", handleLoad)
	mux.HandleFunc("GET /status/{code}", handleStatus)
	return mux
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("write response: %v", err)
	}
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

func handleHello(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"message": "Hello, World!"})
}

type logRequest struct {
	Instrumentation string `json:"instrumentation"`
	ErrorStatus     *bool  `json:"error_status"`
}

// handleLog validates before looking at the database so that 400 is testable without one.
func handleLog(db *sql.DB, w http.ResponseWriter, r *http.Request) {
	var req logRequest
	dec := json.NewDecoder(io.LimitReader(r.Body, maxLogBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "invalid JSON body: "+err.Error())
		return
	}
	if dec.More() {
		writeError(w, http.StatusBadRequest, "trailing data after JSON object")
		return
	}
	if req.Instrumentation == "" || len(req.Instrumentation) > maxInstrLen {
		writeError(w, http.StatusBadRequest,
			fmt.Sprintf("instrumentation must be 1..%d bytes", maxInstrLen))
		return
	}
	if req.ErrorStatus == nil {
		writeError(w, http.StatusBadRequest, "error_status (bool) is required")
		return
	}
	if db == nil {
		writeError(w, http.StatusServiceUnavailable, "no database configured (-db)")
		return
	}
	var id int64
	// The request context flows into the driver, so a trace can tie the query to the request.
	ctx, endInsert := traceInsert(r.Context())
	err := db.QueryRowContext(ctx,
		"INSERT INTO instrumentation_logs (instrumentation, error_status) VALUES ($1, $2) RETURNING id",
		req.Instrumentation, *req.ErrorStatus).Scan(&id)
	endInsert(err)
	if err != nil {
		log.Printf("insert: %v", err)
		writeError(w, http.StatusInternalServerError, "database error")
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": id})
}

// traceInsert is a seam for the hand-instrumented variant (otel_manual.go, -tags otelmanual),
// whose init makes it start a client span for the INSERT; the returned function ends that span
// with the query's error. In the plain build it does nothing and links no OpenTelemetry code.
var traceInsert = func(ctx context.Context) (context.Context, func(error)) {
	return ctx, func(error) {}
}

// relayClient bounds how long a relay waits for the next instance. Its Transport is nil
// (http.DefaultTransport) except in the hand-instrumented variant, where otel_manual.go's init
// sets it to otelhttp's client transport.
var relayClient = &http.Client{Timeout: 10 * time.Second}

// handleRelay forwards the body to the next instance's POST /log: the second service of the
// talk's two-service trace (relay -> HTTP client -> log -> INSERT).
func handleRelay(next string, w http.ResponseWriter, r *http.Request) {
	if next == "" {
		writeError(w, http.StatusServiceUnavailable, "no next instance configured (-next)")
		return
	}
	req, err := http.NewRequestWithContext(r.Context(), http.MethodPost, next+"/log",
		io.LimitReader(r.Body, maxLogBody))
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := relayClient.Do(req)
	if err != nil {
		writeError(w, http.StatusBadGateway, "next instance: "+err.Error())
		return
	}
	defer resp.Body.Close()
	w.Header().Set("Content-Type", resp.Header.Get("Content-Type"))
	w.WriteHeader(resp.StatusCode)
	io.Copy(w, io.LimitReader(resp.Body, maxLogBody))
}

// parseBounded reads an optional non-negative integer query parameter no larger than max.
func parseBounded(r *http.Request, name string, max int64) (int64, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return 0, nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < 0 || v > max {
		return 0, fmt.Errorf("%s must be an integer in [0, %d]", name, max)
	}
	return v, nil
}

// burnCPU is a xorshift loop whose result is returned, so the compiler cannot drop it.
func burnCPU(n int64) uint64 {
	x := uint64(88172645463325252)
	for i := int64(0); i < n; i++ {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
	}
	return x
}

// allocate touches one byte per page so the memory is really faulted in, not just reserved.
func allocate(n int64) []byte {
	if n == 0 {
		return nil
	}
	b := make([]byte, n)
	for i := int64(0); i < n; i += 4096 {
		b[i] = 1
	}
	return b
}

// handleLoad reproduces the talk's follow-up benchmark: on-CPU work, heap pressure and off-CPU
// waiting, each dialled separately so overhead can be measured against each.
func handleLoad(w http.ResponseWriter, r *http.Request) {
	cpu, err := parseBounded(r, "cpu", maxCPUIterations)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	alloc, err := parseBounded(r, "alloc", maxAllocBytes)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	var sleep time.Duration
	if s := r.URL.Query().Get("sleep"); s != "" {
		sleep, err = time.ParseDuration(s)
		if err != nil || sleep < 0 || sleep > maxSleep {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("sleep must be a duration in [0, %s]", maxSleep))
			return
		}
	}

	start := time.Now()
	sum := burnCPU(cpu)
	buf := allocate(alloc)
	if sleep > 0 {
		select {
		case <-time.After(sleep):
		case <-r.Context().Done():
			writeError(w, http.StatusServiceUnavailable, "request cancelled")
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"cpu":        cpu,
		"alloc":      len(buf),
		"sleep":      sleep.String(),
		"checksum":   sum,
		"elapsed_us": time.Since(start).Microseconds(),
	})
}

func handleStatus(w http.ResponseWriter, r *http.Request) {
	code, err := strconv.Atoi(r.PathValue("code"))
	// 1xx are informational in net/http and would not end the response; refuse them.
	if err != nil || code < 200 || code > 599 {
		writeError(w, http.StatusBadRequest, "code must be an integer in [200, 599]")
		return
	}
	if code == http.StatusNoContent || code == http.StatusNotModified {
		w.WriteHeader(code) // these may not carry a body
		return
	}
	writeJSON(w, code, map[string]any{"status": code, "text": http.StatusText(code)})
}
