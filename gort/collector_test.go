// SPDX-License-Identifier: Apache-2.0

// A test OTLP/HTTP collector: it keeps every request (path, headers,
// decompressed body) and answers what the test tells it to.

package rt

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
)

// collector is an OTLP/HTTP receiver that keeps what it is sent.
type collector struct {
	srv    *httptest.Server
	mu     sync.Mutex
	status int // what it answers; 0: 200
	posts  []post
}

type post struct {
	path   string
	header http.Header
	body   []byte // decompressed
}

func newCollector(t *testing.T) *collector {
	c := &collector{}
	c.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body io.Reader = r.Body
		if r.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(r.Body)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			body = zr
		}
		b, err := io.ReadAll(body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		c.mu.Lock()
		c.posts = append(c.posts, post{r.URL.Path, r.Header.Clone(), b})
		status := c.status
		c.mu.Unlock()
		if status != 0 {
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(status)
			_, _ = w.Write([]byte("collector says no"))
		}
	}))
	t.Cleanup(c.srv.Close)
	return c
}

func (c *collector) received() []post {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]post(nil), c.posts...)
}

func (c *collector) answer(status int) {
	c.mu.Lock()
	c.status = status
	c.mu.Unlock()
}

func attrsOfProto(kvs []*commonpb.KeyValue) map[string]interface{} {
	m := map[string]interface{}{}
	for _, kv := range kvs {
		switch v := kv.Value.Value.(type) {
		case *commonpb.AnyValue_StringValue:
			m[kv.Key] = v.StringValue
		case *commonpb.AnyValue_IntValue:
			m[kv.Key] = v.IntValue
		case *commonpb.AnyValue_BoolValue:
			m[kv.Key] = v.BoolValue
		case *commonpb.AnyValue_DoubleValue:
			m[kv.Key] = v.DoubleValue
		}
	}
	return m
}
