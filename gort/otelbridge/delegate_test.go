// SPDX-License-Identifier: Apache-2.0

// The program installs its own TracerProvider (an SDK with its exporter):
// goinstr's spans, from //goinstr:span functions and from the net/http
// server hook, go there with goinstr's name, kind, attributes and status,
// and none goes to goinstr's exporter; spans started before stay goinstr's.

package otelbridge

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	rt "goinstr.dev/rt"
)

// programProvider installs an SDK provider the way a program does.
func programProvider(t *testing.T, opts ...sdktrace.TracerProviderOption) (*tracetest.InMemoryExporter, *sdktrace.TracerProvider) {
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(append([]sdktrace.TracerProviderOption{sdktrace.WithSyncer(exp)}, opts...)...)
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	otel.SetTracerProvider(tp)
	return exp, tp
}

func stubByName(t *testing.T, spans tracetest.SpanStubs, name string) tracetest.SpanStub {
	t.Helper()
	for _, s := range spans {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no span %q among %d", name, len(spans))
	return tracetest.SpanStub{}
}

func stubAttrs(s tracetest.SpanStub) map[string]interface{} {
	m := map[string]interface{}{}
	for _, kv := range s.Attributes {
		m[string(kv.Key)] = kv.Value.AsInterface()
	}
	return m
}

func TestFuncSpansGoToTheProgramsProvider(t *testing.T) {
	f := installed(t)
	sdkExp, tp := programProvider(t)
	ctx, handler := tp.Tracer("app").Start(context.Background(), "app.handler")
	ctx, outer := rt.StartFunc(ctx, "main.outer")
	_, inner := rt.StartFunc(ctx, "main.inner")
	inner.End(errors.New("bad input"))
	outer.End(nil)
	handler.End()

	if n := len(f.spans()); n != 0 {
		t.Errorf("%d spans in goinstr's exporter, want 0", n)
	}
	spans := sdkExp.GetSpans()
	if len(spans) != 3 {
		t.Fatalf("%d spans in the program's exporter, want 3", len(spans))
	}
	in, out := stubByName(t, spans, "main.inner"), stubByName(t, spans, "main.outer")
	if out.Parent.SpanID() != handler.SpanContext().SpanID() || in.Parent.SpanID() != out.SpanContext.SpanID() ||
		in.SpanContext.TraceID() != handler.SpanContext().TraceID() {
		t.Error("goinstr's spans do not nest under the program's")
	}
	if in.SpanKind != trace.SpanKindInternal || in.Status.Code != codes.Error || in.Status.Description != "bad input" {
		t.Errorf("inner: kind %v status %+v", in.SpanKind, in.Status)
	}
	if got := stubAttrs(in); len(got) != 1 || got["error.type"] != "*errors.errorString" {
		t.Errorf("inner attributes %v", got)
	}
	if out.Status.Code != codes.Unset || len(out.Attributes) != 0 {
		t.Errorf("outer: status %+v attributes %v", out.Status, out.Attributes)
	}
	if out.InstrumentationScope.Name != rt.TracerName || out.InstrumentationScope.Version != rt.Version {
		t.Errorf("scope %+v", out.InstrumentationScope)
	}
	if out.StartTime.IsZero() || out.EndTime.Before(out.StartTime) {
		t.Errorf("times %v %v", out.StartTime, out.EndTime)
	}
}

func TestServerHookSpanGoesToTheProgramsProvider(t *testing.T) {
	f := installed(t)
	sdkExp, _ := programProvider(t)
	mux := http.NewServeMux()
	var inHandler trace.SpanContext
	mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) {
		inHandler = trace.SpanContextFromContext(r.Context())
		_, s := otel.Tracer("app").Start(r.Context(), "app.load")
		s.SetAttributes(attribute.Int("rows", 0))
		s.End()
		w.WriteHeader(http.StatusInternalServerError)
	})
	req := httptest.NewRequest("GET", "http://shop.example:8080/items/7", nil)
	req.Header.Set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	req2, end := serveHTTPHook(req)
	if !rt.ServerSpanFromContext(req2.Context()) {
		t.Error("the handler's context is not marked as having goinstr's server span")
	}
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, req2)
	end(rec.Code, nil)

	if n := len(f.spans()); n != 0 {
		t.Errorf("%d spans in goinstr's exporter, want 0", n)
	}
	spans := sdkExp.GetSpans()
	if len(spans) != 2 {
		t.Fatalf("%d spans in the program's exporter", len(spans))
	}
	server, load := stubByName(t, spans, "GET /items/{id}"), stubByName(t, spans, "app.load")
	if server.SpanKind != trace.SpanKindServer || server.Status.Code != codes.Error ||
		server.SpanContext.TraceID().String() != "4bf92f3577b34da6a3ce929d0e0e4736" ||
		server.Parent.SpanID().String() != "00f067aa0ba902b7" || !server.Parent.IsRemote() {
		t.Errorf("server span: kind %v status %+v trace %s parent %s", server.SpanKind, server.Status,
			server.SpanContext.TraceID(), server.Parent.SpanID())
	}
	if inHandler.SpanID() != server.SpanContext.SpanID() || load.Parent.SpanID() != server.SpanContext.SpanID() {
		t.Error("the handler does not see the server span as its current span")
	}
	want := map[string]interface{}{
		"http.request.method": "GET", "url.path": "/items/7", "http.route": "/items/{id}",
		"http.response.status_code": int64(500), "network.protocol.version": "1.1",
		"server.address": "shop.example", "server.port": int64(8080),
		"client.address": "192.0.2.1", "client.port": int64(1234), "error.type": "500",
	}
	got := stubAttrs(server)
	for k, v := range want {
		if got[k] != v {
			t.Errorf("server span %s = %#v, want %#v", k, got[k], v)
		}
	}
	if len(got) != len(want) {
		t.Errorf("server span attributes %v", got)
	}
}

func TestSpansStartedBeforeTheProviderStayGoinstrs(t *testing.T) {
	f := installed(t)
	ctx, early := rt.StartFunc(context.Background(), "main.early")
	sdkExp, _ := programProvider(t)
	_, late := rt.StartFunc(ctx, "main.late")
	late.End(nil)
	early.End(nil)

	mine := f.spans()
	theirs := sdkExp.GetSpans()
	if len(mine) != 1 || mine[0].Name != "main.early" || len(theirs) != 1 || theirs[0].Name != "main.late" {
		t.Fatalf("goinstr exported %+v, the program %d spans", mine, len(theirs))
	}
	if theirs[0].Parent.SpanID() != trace.SpanID(mine[0].SpanID) ||
		theirs[0].SpanContext.TraceID() != trace.TraceID(mine[0].TraceID) {
		t.Error("the late span is not a child of the early one")
	}
}

func TestTheProgramsSamplerDecides(t *testing.T) {
	f := installed(t)
	sdkExp, _ := programProvider(t, sdktrace.WithSampler(sdktrace.NeverSample()))
	_, s := rt.StartFunc(context.Background(), "main.work")
	s.End(errors.New("x"))
	if n, m := len(sdkExp.GetSpans()), len(f.spans()); n != 0 || m != 0 {
		t.Errorf("an unsampled span was exported: %d by the program, %d by goinstr", n, m)
	}
}

// TestTracerTakenBeforeTheProgramsProvider: a tracer the program took before
// installing its provider (a package-level `var tracer = otel.Tracer(...)`,
// initialised before main sets the SDK up) must give the same spans as one
// taken after: in the program's provider, under the program's scope, with
// every start option.
func TestTracerTakenBeforeTheProgramsProvider(t *testing.T) {
	f := installed(t)
	early := otel.Tracer("app", trace.WithInstrumentationVersion("1.2.3"))
	sdkExp, _ := programProvider(t)
	start := time.Unix(1700000000, 0)
	_, s := early.Start(context.Background(), "app.op", trace.WithSpanKind(trace.SpanKindClient),
		trace.WithTimestamp(start), trace.WithAttributes(attribute.String("at.start", "x")))
	s.SetAttributes(attribute.Int("later", 1))
	s.End()

	if n := len(f.spans()); n != 0 {
		t.Errorf("%d spans in goinstr's exporter, want 0", n)
	}
	spans := sdkExp.GetSpans()
	if len(spans) != 1 {
		t.Fatalf("%d spans in the program's exporter", len(spans))
	}
	got := spans[0]
	if got.Name != "app.op" || got.SpanKind != trace.SpanKindClient || !got.StartTime.Equal(start) {
		t.Errorf("name %q kind %v start %v (want %v)", got.Name, got.SpanKind, got.StartTime, start)
	}
	if a := stubAttrs(got); len(a) != 2 || a["at.start"] != "x" || a["later"] != int64(1) {
		t.Errorf("attributes %v, want at.start and later", a)
	}
	if got.InstrumentationScope.Name != "app" || got.InstrumentationScope.Version != "1.2.3" {
		t.Errorf("scope %+v, want the program's", got.InstrumentationScope)
	}
}
