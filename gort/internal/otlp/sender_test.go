// SPDX-License-Identifier: Apache-2.0

package otlp

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	collectormetricspb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	collectortracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"
)

// received is one request as the test server saw it.
type received struct {
	header http.Header
	host   string
	body   []byte // decompressed when Content-Encoding says gzip
}

// server answers every request with handler and hands what it received to
// the returned channel.
func server(t *testing.T, handler func(w http.ResponseWriter, r *http.Request)) (*httptest.Server, chan received) {
	t.Helper()
	got := make(chan received, 16)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body io.Reader = r.Body
		if r.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(r.Body)
			if err != nil {
				t.Errorf("gzip body: %v", err)
				return
			}
			body = zr
		}
		b, err := io.ReadAll(body)
		if err != nil {
			t.Errorf("reading the body: %v", err)
		}
		got <- received{header: r.Header.Clone(), host: r.Host, body: b}
		handler(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, got
}

func ok(w http.ResponseWriter, r *http.Request) {}

func TestSendPostsTheBodyWithTheHeaders(t *testing.T) {
	for _, compression := range []string{"", "gzip"} {
		t.Run("compression="+compression, func(t *testing.T) {
			srv, got := server(t, ok)
			s := NewSender(SenderConfig{
				URL:         srv.URL + "/v1/traces",
				Headers:     [][2]string{{"Authorization", "Bearer x"}, {"X-Tenant", "a=b"}, {"Content-Type", "text/plain"}, {"Host", "collector.example"}},
				Compression: compression, Timeout: 5 * time.Second,
			})
			body := AppendTraceRequest(nil, testResource, testScope, testSpans())
			if err := s.Send(body); err != nil {
				t.Fatal(err)
			}
			r := <-got
			if !bytes.Equal(r.body, body) {
				t.Errorf("the server got %d bytes, not the %d sent", len(r.body), len(body))
			}
			want := map[string]string{"Authorization": "Bearer x", "X-Tenant": "a=b",
				"Content-Type": "application/x-protobuf", "Content-Encoding": compression}
			for k, v := range want {
				if r.header.Get(k) != v {
					t.Errorf("%s = %q, want %q", k, r.header.Get(k), v)
				}
			}
			if r.host != "collector.example" {
				t.Errorf("Host = %q", r.host)
			}
		})
	}
}

func TestSendReportsAFailedStatus(t *testing.T) {
	long := strings.Repeat("é", 150) // 300 bytes: cut at 200, between whole characters
	srv, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, long)
	})
	err := NewSender(SenderConfig{URL: srv.URL + "/v1/traces"}).Send([]byte{})
	var he *HTTPError
	if !errors.As(err, &he) {
		t.Fatalf("err = %v, want an *HTTPError", err)
	}
	if he.StatusCode != 503 || he.Body != strings.Repeat("é", 100) {
		t.Errorf("status %d, body %q", he.StatusCode, he.Body)
	}
	for _, want := range []string{srv.URL + "/v1/traces", "503 Service Unavailable", "éé"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q does not say %q", err, want)
		}
	}
}

// OTLP receivers answer an error with a protobuf google.rpc.Status: its
// message is what the error says, not the binary body.
func TestSendReportsTheStatusMessageOfAProtobufError(t *testing.T) {
	// google.rpc.Status{code: 3, message: "bad span"}: field 1 varint, field 2 string.
	status := append([]byte{0x08, 0x03, 0x12, 8}, "bad span"...)
	srv, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-protobuf")
		w.WriteHeader(http.StatusBadRequest)
		w.Write(status)
	})
	err := NewSender(SenderConfig{URL: srv.URL}).Send(nil)
	if err == nil || !strings.HasSuffix(err.Error(), "HTTP 400 Bad Request: bad span") {
		t.Errorf("err = %v", err)
	}
}

func TestSendReturnsPartialSuccess(t *testing.T) {
	traces, _ := proto.Marshal(&collectortracepb.ExportTraceServiceResponse{
		PartialSuccess: &collectortracepb.ExportTracePartialSuccess{RejectedSpans: 3, ErrorMessage: "spans too old"}})
	metrics, _ := proto.Marshal(&collectormetricspb.ExportMetricsServiceResponse{
		PartialSuccess: &collectormetricspb.ExportMetricsPartialSuccess{RejectedDataPoints: 2, ErrorMessage: "bad unit"}})
	warning, _ := proto.Marshal(&collectortracepb.ExportTraceServiceResponse{
		PartialSuccess: &collectortracepb.ExportTracePartialSuccess{ErrorMessage: "only a warning"}})
	for _, tc := range []struct {
		name        string
		contentType string
		body        []byte
		want        *PartialSuccess
	}{
		{"traces", "application/x-protobuf", traces, &PartialSuccess{3, "spans too old"}},
		{"metrics", "application/x-protobuf", metrics, &PartialSuccess{2, "bad unit"}},
		{"no content type", "", traces, &PartialSuccess{3, "spans too old"}},
		{"nothing rejected", "application/x-protobuf", warning, nil},
		{"empty body", "application/x-protobuf", nil, nil},
		{"JSON answer", "application/json", []byte(`{"partialSuccess":{}}`), nil},
		{"malformed", "application/x-protobuf", []byte{0x0a, 0x05, 0x08}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tc.contentType)
				if tc.contentType == "" {
					w.Header()["Content-Type"] = nil // no sniffing either
				}
				w.Write(tc.body)
			})
			err := NewSender(SenderConfig{URL: srv.URL}).Send([]byte{1})
			if tc.want == nil {
				if err != nil {
					t.Errorf("err = %v, want nil", err)
				}
				return
			}
			var ps *PartialSuccess
			if !errors.As(err, &ps) || *ps != *tc.want {
				t.Fatalf("err = %#v, want %#v", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.want.Message) {
				t.Errorf("%q does not say %q", err, tc.want.Message)
			}
		})
	}
}

func TestSendTimesOut(t *testing.T) {
	release := make(chan struct{})
	srv, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
		select { // answers only once the client has given up
		case <-r.Context().Done():
		case <-release:
		}
	})
	defer close(release)
	start := time.Now()
	err := NewSender(SenderConfig{URL: srv.URL, Timeout: 50 * time.Millisecond}).Send([]byte{1})
	if err == nil || !strings.Contains(err.Error(), srv.URL) || !strings.Contains(err.Error(), "Timeout") {
		t.Fatalf("err = %v, want a timeout naming the URL", err)
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("took %v", elapsed)
	}
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("err = %#v is not a net.Error timeout", err)
	}
}

func TestSendWrapsTransportErrorsWithTheURL(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(ok))
	url := srv.URL + "/v1/metrics"
	srv.Close() // nothing listens there any more
	err := NewSender(SenderConfig{URL: url}).Send([]byte{1})
	if err == nil || !strings.Contains(err.Error(), "POST "+url+": ") {
		t.Fatalf("err = %v", err)
	}
	if strings.Count(err.Error(), url) != 1 {
		t.Errorf("%q repeats the URL", err)
	}
	if err := NewSender(SenderConfig{URL: "::not a url"}).Send(nil); err == nil {
		t.Error("a bad URL is not an error")
	}
}

// A success body is read to its end, so one connection carries every export.
func TestSendReusesTheConnection(t *testing.T) {
	var conns int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-protobuf")
		w.Write(bytes.Repeat([]byte{0x12, 0}, 2000)) // unknown fields, 4 KB of them
	}))
	srv.Config.ConnState = func(c net.Conn, s http.ConnState) {
		if s == http.StateNew {
			atomic.AddInt32(&conns, 1)
		}
	}
	srv.Start()
	defer srv.Close()
	s := NewSender(SenderConfig{URL: srv.URL, Transport: &http.Transport{}, Compression: "gzip"})
	for i := 0; i < 5; i++ {
		if err := s.Send([]byte("body")); err != nil {
			t.Fatal(err)
		}
	}
	if n := atomic.LoadInt32(&conns); n != 1 {
		t.Errorf("%d connections for 5 exports, want 1", n)
	}
}

// One Sender, several goroutines: the pooled compressors are not shared
// between two requests at once (run with -race).
func TestSendIsSafeForConcurrentUse(t *testing.T) {
	srv, got := server(t, ok)
	s := NewSender(SenderConfig{URL: srv.URL, Compression: "gzip"})
	bodies := [][]byte{
		AppendTraceRequest(nil, testResource, testScope, testSpans()),
		AppendMetricsRequest(nil, testResource, testScope, testHistograms()),
		bytes.Repeat([]byte("abc"), 10000),
		{},
	}
	errs := make(chan error, len(bodies))
	for _, body := range bodies {
		go func(body []byte) { errs <- s.Send(body) }(body)
	}
	seen := map[string]bool{}
	for range bodies {
		if err := <-errs; err != nil {
			t.Error(err)
		}
		seen[string((<-got).body)] = true
	}
	for _, body := range bodies {
		if !seen[string(body)] {
			t.Errorf("a %d-byte body did not arrive intact", len(body))
		}
	}
}
