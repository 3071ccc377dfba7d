// SPDX-License-Identifier: Apache-2.0

//go:build otelmanual

// The talk's "manual OpenTelemetry SDK" variant of the demo: what a developer would write by hand
// to get the spans goinstr produces without code changes. Build it with
//
//	go build -tags otelmanual .
//
// It fills in the seams of main.go and handlers.go (startTelemetry, wrapHandler, traceInsert,
// relayClient.Transport): an SDK TracerProvider with a BatchSpanProcessor and the OTLP/HTTP
// exporter, the W3C TraceContext+Baggage propagator, otelhttp around the mux and the relay
// client, and a hand-made client span around the INSERT.
//
// Environment: the exporter reads OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT, …HEADERS, …TIMEOUT and
// the rest itself, the SDK reads OTEL_BSP_* and OTEL_TRACES_SAMPLER*, the resource honours
// OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES (service.name defaults to "demo").
// OTEL_TRACES_EXPORTER=none exports nothing (spans are still made), and OTEL_SDK_DISABLED=true
// sets nothing up at all. Only OTLP over http/protobuf is built in.
package main

import (
	"context"
	"log"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
)

// tracerName is the instrumentation scope of the spans this file makes by hand.
const tracerName = "goinstr.dev/demo"

// flushTimeout bounds the flush on the way out.
const flushTimeout = 5 * time.Second

// insertAttrs are the INSERT span's attributes; startTelemetry adds server.* from the DSN.
var insertAttrs = []attribute.KeyValue{
	semconv.DBSystemNamePostgreSQL,
	semconv.DBOperationName("INSERT"),
	semconv.DBCollectionName("instrumentation_logs"),
}

func init() {
	startTelemetry = setupOTel
	wrapHandler = func(mux http.Handler) http.Handler {
		// otelhttp names the span "METHOD route" once the mux has matched, but takes http.route
		// only from a pattern known when the span starts, which is never the case around a
		// whole mux; route sets it, so the span carries what goinstr's does.
		route := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mux.ServeHTTP(w, r)
			if r.Pattern != "" { // "GET /status/{code}": the ServeMux sets it on r
				path := r.Pattern
				if _, p, found := strings.Cut(path, " "); found {
					path = p
				}
				trace.SpanFromContext(r.Context()).SetAttributes(semconv.HTTPRoute(path))
			}
		})
		return otelhttp.NewHandler(route, "demo")
	}
	relayClient.Transport = otelhttp.NewTransport(http.DefaultTransport)
	traceInsert = startInsertSpan
}

// setupOTel makes the SDK's tracer provider and the W3C propagator global and returns the
// flush that run calls on shutdown. The global tracer provider starts as a delegate, so
// otelhttp's tracers made before this point follow it.
func setupOTel(dsn string) func() {
	if strings.EqualFold(strings.TrimSpace(os.Getenv("OTEL_SDK_DISABLED")), "true") {
		return func() {}
	}
	ctx := context.Background()
	res, err := resource.New(ctx,
		resource.WithAttributes(semconv.ServiceName("demo")), // overridden by the environment
		resource.WithFromEnv(),
		resource.WithTelemetrySDK())
	if err != nil {
		log.Printf("otel: resource: %v", err) // res is still usable (partial)
	}
	opts := []sdktrace.TracerProviderOption{sdktrace.WithResource(res)}
	if exp := exporterFromEnv(ctx); exp != nil {
		opts = append(opts, sdktrace.WithBatcher(exp)) // BatchSpanProcessor, OTEL_BSP_* honoured
	}
	tp := sdktrace.NewTracerProvider(opts...)
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(
		propagation.TraceContext{}, propagation.Baggage{}))
	insertAttrs = append(insertAttrs, serverAttrs(dsn)...)

	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), flushTimeout)
		defer cancel()
		if err := tp.Shutdown(ctx); err != nil { // ends the batcher: exports what is queued
			log.Printf("otel: flush: %v", err)
		}
	}
}

// exporterFromEnv is the OTLP/HTTP exporter unless OTEL_TRACES_EXPORTER says otherwise; nil
// exports nothing.
func exporterFromEnv(ctx context.Context) sdktrace.SpanExporter {
	switch v := strings.ToLower(strings.TrimSpace(os.Getenv("OTEL_TRACES_EXPORTER"))); v {
	case "", "otlp":
	case "none":
		return nil
	default:
		log.Printf("otel: OTEL_TRACES_EXPORTER=%s is not supported (otlp, none); spans are not exported", v)
		return nil
	}
	for _, name := range []string{"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"} {
		if p := strings.TrimSpace(os.Getenv(name)); p != "" && p != "http/protobuf" {
			log.Printf("otel: %s=%s is not built in (http/protobuf only); spans are not exported", name, p)
			return nil
		}
	}
	exp, err := otlptracehttp.New(ctx) // endpoint, headers, timeout, TLS: from OTEL_EXPORTER_OTLP_*
	if err != nil {
		log.Printf("otel: OTLP exporter: %v; spans are not exported", err)
		return nil
	}
	return exp
}

// startInsertSpan starts the INSERT's client span under the request's span; the returned
// function ends it, as an error when the query failed.
func startInsertSpan(ctx context.Context) (context.Context, func(error)) {
	ctx, span := otel.Tracer(tracerName).Start(ctx, "INSERT instrumentation_logs",
		trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(insertAttrs...))
	return ctx, func(err error) {
		if err != nil {
			span.RecordError(err)
			span.SetStatus(codes.Error, err.Error())
		}
		span.End()
	}
}

// serverAttrs are server.address and server.port of a lib/pq DSN, either a URL
// (postgres://user@host:port/db?...) or key=value pairs (host=... port=...). Missing parts take
// lib/pq's defaults (localhost, 5432); the first of several comma-separated hosts is reported.
func serverAttrs(dsn string) []attribute.KeyValue {
	host, port := "", ""
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return nil
		}
		host, port = u.Hostname(), u.Port()
	} else {
		for _, field := range strings.Fields(dsn) {
			k, v, _ := strings.Cut(field, "=")
			v = strings.Trim(v, "'")
			switch k {
			case "host":
				host = v
			case "port":
				port = v
			}
		}
	}
	host, _, _ = strings.Cut(host, ",")
	port, _, _ = strings.Cut(port, ",")
	if host == "" {
		host = "localhost"
	}
	p, err := strconv.Atoi(port)
	if err != nil {
		p = 5432
	}
	return []attribute.KeyValue{semconv.ServerAddress(host), semconv.ServerPort(p)}
}
