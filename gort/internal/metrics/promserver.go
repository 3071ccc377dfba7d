// SPDX-License-Identifier: Apache-2.0

package metrics

import (
	"compress/gzip"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// PromServer serves GET /metrics for Prometheus to scrape.
type PromServer struct {
	scrapes uint64 // first: 64-bit atomic alignment on 32-bit CPUs

	srv       *http.Server
	ln        net.Listener
	gather    func() []byte
	served    chan struct{} // closed when Serve has returned
	closeOnce sync.Once
}

// ServePrometheus listens on addr (":9464": every IPv4 interface;
// "127.0.0.1:9464"; "[::1]:9464"; port 0: any free port) before it
// returns, so a busy port or a bad host is the caller's error, with the
// agent's wording ("cannot listen on ...: Address already in use"). Each
// GET /metrics answers gather(); other paths are 404.
func ServePrometheus(addr string, gather func() []byte) (*PromServer, error) {
	network, hostport, err := parseListenAddress(addr)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen(network, hostport)
	if err != nil {
		return nil, listenError(addr, err)
	}
	p := &PromServer{ln: ln, gather: gather, served: make(chan struct{})}
	p.srv = &http.Server{
		Handler:           http.HandlerFunc(p.serveMetrics),
		ReadHeaderTimeout: 10 * time.Second,
		WriteTimeout:      time.Minute,
		// Prometheus keeps its connection between scrapes (every 15-60 s).
		IdleTimeout: 2 * time.Minute,
		// Connection errors are the scraper's business, not lines in the
		// program's log.
		ErrorLog: log.New(io.Discard, "", 0),
	}
	go func() {
		defer close(p.served)
		_ = p.srv.Serve(ln) // returns http.ErrServerClosed after Close
	}()
	return p, nil
}

func (p *PromServer) serveMetrics(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/metrics" {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	var body []byte
	if p.gather != nil {
		body = p.gather()
	}
	atomic.AddUint64(&p.scrapes, 1)
	h := w.Header()
	h.Set("Content-Type", PrometheusContentType)
	h.Set("Vary", "Accept-Encoding")
	// Compressed when asked for, as the agent's server does (Prometheus
	// asks): an exposition of 2000 series is megabytes of repeated labels.
	if acceptsGzip(r.Header.Get("Accept-Encoding")) {
		h.Set("Content-Encoding", "gzip")
		if r.Method == http.MethodHead {
			return
		}
		zw, _ := gzip.NewWriterLevel(w, gzip.BestSpeed) // only fails on a bad level
		_, _ = zw.Write(body)
		_ = zw.Close()
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// acceptsGzip reports whether an Accept-Encoding lists gzip without q=0.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		fields := strings.Split(part, ";")
		if !strings.EqualFold(strings.TrimSpace(fields[0]), "gzip") {
			continue
		}
		for _, f := range fields[1:] {
			f = strings.TrimSpace(f)
			if strings.HasPrefix(f, "q=") {
				if q, err := strconv.ParseFloat(f[2:], 64); err == nil && q == 0 {
					return false
				}
			}
		}
		return true
	}
	return false
}

// HTTPServer is the server answering the scrapes: the woven net/http hook
// skips its requests, so scrapes are not traced.
func (p *PromServer) HTTPServer() *http.Server { return p.srv }

// Addr is the address listened on (with the port chosen for port 0).
func (p *PromServer) Addr() net.Addr { return p.ln.Addr() }

// Scrapes is the number of GET /metrics answered.
func (p *PromServer) Scrapes() uint64 { return atomic.LoadUint64(&p.scrapes) }

// Close stops listening, closes every connection and waits until the server
// has stopped. Idempotent.
func (p *PromServer) Close() {
	p.closeOnce.Do(func() {
		_ = p.srv.Close()
		<-p.served
	})
}
