// SPDX-License-Identifier: Apache-2.0

// The OTLP span exporter end to end: configuration, hooks, processor and
// exporter post to a test collector, which decodes the requests with the
// OpenTelemetry protobuf definitions.

package rt

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	collectortracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"

	"goinstr.dev/rt/internal/tracer"
)

func TestOTLPExporterEndToEnd(t *testing.T) {
	for _, compression := range []string{"none", "gzip"} {
		t.Run(compression, func(t *testing.T) { testOTLPEndToEnd(t, compression) })
	}
}

func testOTLPEndToEnd(t *testing.T, compression string) {
	keepGlobals(t)
	col := newCollector(t)
	exportTransport = nil
	c := loadConfig(t, map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": col.srv.URL,
		"OTEL_SERVICE_NAME": "checkout", "OTEL_EXPORTER_OTLP_HEADERS": "x-token=abc",
		"OTEL_EXPORTER_OTLP_COMPRESSION": compression}, "")
	resource = newResource(&c)
	exps := newExporters(&c)
	if exporterNames(exps) != "OTLP" {
		t.Fatalf("exporters %q", exporterNames(exps))
	}
	proc := tracer.NewProcessor(tracer.BatchConfig{ScheduleDelay: time.Hour}, exps, nil, nil)
	UseTracerForTests(tracer.New(tracer.AlwaysOn(), proc, nil)) // keepGlobals restores tr

	mux := http.NewServeMux()
	mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) {
		_, s := StartFunc(r.Context(), "main.load")
		s.End(errors.New("no such item"))
		w.WriteHeader(http.StatusNotFound)
	})
	req := httptest.NewRequest("GET", "http://shop.example:8080/items/7", nil)
	req.Header.Set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	serve(t, mux, req)
	if !proc.Flush(5 * time.Second) {
		t.Fatal("no flush within 5 s")
	}
	if exported, dropped, failed := proc.Stats(); exported != 2 || dropped != 0 || failed != 0 {
		t.Errorf("stats: %d exported, %d dropped, %d failed", exported, dropped, failed)
	}

	posts := col.received()
	if len(posts) != 1 {
		t.Fatalf("%d requests, want 1", len(posts))
	}
	p := posts[0]
	if p.path != "/v1/traces" || p.header.Get("Content-Type") != "application/x-protobuf" ||
		p.header.Get("X-Token") != "abc" {
		t.Errorf("path %s, headers %v", p.path, p.header)
	}
	if gz := p.header.Get("Content-Encoding") == "gzip"; gz != (compression == "gzip") {
		t.Errorf("Content-Encoding %q with compression %s", p.header.Get("Content-Encoding"), compression)
	}
	var msg collectortracepb.ExportTraceServiceRequest
	if err := proto.Unmarshal(p.body, &msg); err != nil {
		t.Fatal(err)
	}
	if len(msg.ResourceSpans) != 1 || len(msg.ResourceSpans[0].ScopeSpans) != 1 {
		t.Fatalf("request %v", &msg)
	}
	res := attrsOfProto(msg.ResourceSpans[0].Resource.Attributes)
	want := attrMap(t, resource.Attrs)
	compareAttrs(t, "resource", res, want)
	if res["service.name"] != "checkout" || res["telemetry.sdk.language"] != "go" {
		t.Errorf("resource %v", res)
	}
	ss := msg.ResourceSpans[0].ScopeSpans[0]
	if ss.Scope.GetName() != TracerName || ss.Scope.GetVersion() != Version {
		t.Errorf("scope %v", ss.Scope)
	}
	if len(ss.Spans) != 2 {
		t.Fatalf("%d spans", len(ss.Spans))
	}
	fn, server := ss.Spans[0], ss.Spans[1] // in the order they ended
	if server.Name != "GET /items/{id}" || server.Kind != tracepb.Span_SPAN_KIND_SERVER ||
		hex.EncodeToString(server.TraceId) != "4bf92f3577b34da6a3ce929d0e0e4736" ||
		hex.EncodeToString(server.ParentSpanId) != "00f067aa0ba902b7" ||
		server.Status.GetCode() != tracepb.Status_STATUS_CODE_UNSET {
		t.Errorf("server span %v", server)
	}
	compareAttrs(t, "server span", attrsOfProto(server.Attributes), map[string]interface{}{
		"http.request.method": "GET", "url.path": "/items/7", "http.route": "/items/{id}",
		"http.response.status_code": int64(404), "network.protocol.version": "1.1",
		"server.address": "shop.example", "server.port": int64(8080),
		"client.address": "192.0.2.1", "client.port": int64(1234),
	})
	if fn.Name != "main.load" || fn.Kind != tracepb.Span_SPAN_KIND_INTERNAL ||
		!bytes.Equal(fn.ParentSpanId, server.SpanId) || !bytes.Equal(fn.TraceId, server.TraceId) ||
		fn.Status.GetCode() != tracepb.Status_STATUS_CODE_ERROR || fn.Status.GetMessage() != "no such item" ||
		attrsOfProto(fn.Attributes)["error.type"] != "*errors.errorString" {
		t.Errorf("function span %v", fn)
	}
	if fn.StartTimeUnixNano == 0 || fn.EndTimeUnixNano < fn.StartTimeUnixNano ||
		server.StartTimeUnixNano > fn.StartTimeUnixNano || server.EndTimeUnixNano < fn.EndTimeUnixNano {
		t.Errorf("times: server %d-%d, function %d-%d", server.StartTimeUnixNano, server.EndTimeUnixNano,
			fn.StartTimeUnixNano, fn.EndTimeUnixNano)
	}
}

// TestOTLPExportErrorIsReported: a collector that refuses a batch is said on
// stderr, with the number of spans lost, and counted for the exit summary.
func TestOTLPExportErrorIsReported(t *testing.T) {
	keepGlobals(t)
	report = reporter{}
	col := newCollector(t)
	col.answer(http.StatusServiceUnavailable)
	exportTransport = nil
	c := loadConfig(t, map[string]string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": col.srv.URL + "/custom"}, "")
	proc := tracer.NewProcessor(tracer.BatchConfig{ScheduleDelay: time.Hour}, newExporters(&c), nil, onExportError)
	UseTracerForTests(tracer.New(tracer.AlwaysOn(), proc, nil))
	for i := 0; i < 3; i++ {
		_, s := StartFunc(context.Background(), "work")
		s.End(nil)
	}
	out := captureStderr(t, func() { proc.Flush(5 * time.Second) })
	want := "goinstr: export error: OTLP: otlp: POST " + col.srv.URL + "/custom: HTTP 503 Service Unavailable: " +
		"collector says no (3 spans lost)\n"
	if out != want {
		t.Errorf("stderr %q, want %q", out, want)
	}
	if posts := col.received(); len(posts) != 1 || posts[0].path != "/custom" {
		t.Errorf("posts %v: the traces-specific endpoint is used as-is", posts)
	}
	if _, _, failed := proc.Stats(); failed != 3 {
		t.Errorf("%d spans counted as failed", failed)
	}
}
