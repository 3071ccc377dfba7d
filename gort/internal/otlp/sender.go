// SPDX-License-Identifier: Apache-2.0

package otlp

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// SenderConfig says where and how a Sender posts.
type SenderConfig struct {
	URL         string      // the complete URL, e.g. http://localhost:4318/v1/traces
	Headers     [][2]string // extra request headers (OTEL_EXPORTER_OTLP_HEADERS), in order
	Compression string      // "" or "gzip"
	Timeout     time.Duration
	Transport   http.RoundTripper // nil: http.DefaultTransport
}

// Sender posts OTLP/HTTP protobuf bodies to one URL. It makes one attempt
// per Send: whether and when to retry is the caller's decision. It starts no
// goroutine of its own and is safe for concurrent use.
type Sender struct {
	url     string
	headers [][2]string
	gzip    bool
	client  *http.Client
}

// NewSender makes a Sender; c.Headers is copied.
func NewSender(c SenderConfig) *Sender {
	headers := make([][2]string, len(c.Headers))
	copy(headers, c.Headers)
	return &Sender{
		url:     c.URL,
		headers: headers,
		gzip:    strings.EqualFold(c.Compression, "gzip"),
		// Redirects are followed as net/http does (307/308 resend the body).
		client: &http.Client{Transport: c.Transport, Timeout: c.Timeout},
	}
}

// maxErrorBody is how much of a failed response's body an error quotes.
const maxErrorBody = 200

// maxResponseBody bounds what is read of any response: a success body is a
// few bytes, and reading to the end lets the connection be reused, but a
// receiver that sends megabytes is not worth waiting for.
const maxResponseBody = 64 << 10

// Send posts body, an ExportTraceServiceRequest or ExportMetricsServiceRequest
// in protobuf. nil means the receiver took all of it; a *PartialSuccess that
// it answered 2xx but rejected some; an *HTTPError that it answered another
// status; any other error that no answer came (wrapped with the URL).
// Without compression body itself is the request body: like any net/http
// body, it may still be read for a moment after an early answer (one sent
// before the whole request was read), so reusing it right away can only
// garble a request whose answer is already known.
func (s *Sender) Send(body []byte) error {
	if s.gzip {
		body = compress(body)
	}
	req, err := http.NewRequest(http.MethodPost, s.url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("otlp: POST %s: %w", s.url, err)
	}
	for _, h := range s.headers {
		if strings.EqualFold(h[0], "Host") {
			req.Host = h[1] // net/http ignores a Host entry in Header
			continue
		}
		req.Header.Set(h[0], h[1])
	}
	// After the configured headers: the body's format is not theirs to change.
	req.Header.Set("Content-Type", "application/x-protobuf")
	if s.gzip {
		req.Header.Set("Content-Encoding", "gzip")
	}
	resp, err := s.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // its text repeats the method and URL
		}
		return fmt.Errorf("otlp: POST %s: %w", s.url, err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	_, readErr := buf.ReadFrom(io.LimitReader(resp.Body, maxResponseBody))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return newHTTPError(s.url, resp, buf.Bytes())
	}
	if readErr != nil {
		// The receiver took the request; only its answer was cut short.
		return nil
	}
	if isProtobuf(resp.Header.Get("Content-Type")) {
		if ps := decodePartialSuccess(buf.Bytes()); ps != nil && ps.Rejected > 0 {
			return ps
		}
	}
	return nil
}

// isProtobuf reports whether a response's body is protobuf: receivers answer
// in the request's format, and some send no Content-Type with an empty body.
func isProtobuf(contentType string) bool {
	return contentType == "" || strings.Contains(contentType, "protobuf")
}

// gzipWriters are reused, so that compressing every export does not
// allocate a new compressor (~800 KB of state). The compressed output is not
// pooled: net/http may still read a request body for a moment after the
// response came back (it closes bodies asynchronously), so a buffer handed to
// it is never handed to another request.
var gzipWriters sync.Pool

func compress(body []byte) []byte {
	out := bytes.NewBuffer(make([]byte, 0, len(body)/4+64))
	w, ok := gzipWriters.Get().(*gzip.Writer)
	if ok {
		w.Reset(out)
	} else {
		w = gzip.NewWriter(out)
	}
	// Writes to a bytes.Buffer cannot fail.
	_, _ = w.Write(body)
	_ = w.Close()
	w.Reset(nil) // let go of out
	gzipWriters.Put(w)
	return out.Bytes()
}
