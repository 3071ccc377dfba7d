// SPDX-License-Identifier: Apache-2.0

// Package rt is the runtime half of goinstr's compile-time mode. `goinstr go
// build` rewrites net/http, database/sql and os so that they call hook
// function variables, and adds `import _ "goinstr.dev/rt"` to package main.
// This package sets up the OpenTelemetry SDK and installs the hooks (see
// linkname.go, built with -tags goinstr_woven). The spans it makes match those
// of goinstr's eBPF agent: same names, kinds, attributes and status.
//
// This file holds the SDK setup and Flush; it is kept free of hook logic so
// the setup can be reasoned about (and tested) on its own.
package rt

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// Version is telemetry.distro.version and the tracer's instrumentation version.
const Version = "0.1.0"

// TracerName is the instrumentation scope of every span this package makes.
const TracerName = "goinstr.dev/rt"

// flushTimeout bounds Flush, which runs on the way out of the program.
const flushTimeout = 5 * time.Second

var (
	// provider is nil until setup ran (and stays nil with OTEL_SDK_DISABLED).
	provider *sdktrace.TracerProvider
	// tracer is nil until setup ran: the hooks are only installed after it is
	// set, and StartFunc returns a nil *FuncSpan while it is nil.
	tracer trace.Tracer
)

// sdkDisabled reports OTEL_SDK_DISABLED=true (case-insensitive, as the
// specification asks).
func sdkDisabled() bool {
	return strings.EqualFold(strings.TrimSpace(os.Getenv("OTEL_SDK_DISABLED")), "true")
}

// setup builds the tracer provider from the environment and makes it, and the
// W3C TraceContext+Baggage propagator, global. It returns false when the SDK is
// disabled: the caller then installs no hooks.
func setup() bool {
	if sdkDisabled() {
		return false
	}
	otel.SetErrorHandler(newErrorHandler(os.Stderr))
	opts := []sdktrace.TracerProviderOption{sdktrace.WithResource(newResource())}
	for _, exp := range exportersFromEnv(os.Stderr) {
		opts = append(opts, sdktrace.WithBatcher(exp))
	}
	provider = sdktrace.NewTracerProvider(opts...)
	otel.SetTracerProvider(provider)
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(
		propagation.TraceContext{}, propagation.Baggage{}))
	// The hooks use our provider directly: a program that later installs its
	// own global provider does not take goinstr's spans away from goinstr.
	tracer = provider.Tracer(TracerName, trace.WithInstrumentationVersion(Version))
	return true
}

// newResource is resource.Default() (which honours OTEL_SERVICE_NAME and
// OTEL_RESOURCE_ATTRIBUTES) with service.name defaulting to the executable's
// base name instead of "unknown_service:...", plus the telemetry.distro.*
// attributes. The process.* and host.name attributes the eBPF agent reports
// are detected too, underneath, so OTEL_RESOURCE_ATTRIBUTES still wins.
func newResource() *resource.Resource {
	def := resource.Default()
	detected, err := resource.New(context.Background(),
		resource.WithProcessPID(),
		resource.WithProcessExecutableName(),
		resource.WithProcessExecutablePath(),
		resource.WithProcessRuntimeName(),
		resource.WithProcessRuntimeVersion(),
		resource.WithHost(),
	)
	if err != nil {
		otel.Handle(err)
	}
	base, err := resource.Merge(detected, def)
	if err != nil {
		otel.Handle(err)
	}
	if base != nil {
		def = base
	}
	ours := resource.NewSchemaless(
		attribute.String("service.name", serviceName()),
		attribute.String("telemetry.distro.name", "goinstr"),
		attribute.String("telemetry.distro.version", Version),
	)
	merged, err := resource.Merge(def, ours)
	if err != nil {
		otel.Handle(err)
	}
	if merged == nil {
		return ours
	}
	return merged
}

// serviceName is OTEL_SERVICE_NAME, else service.name from
// OTEL_RESOURCE_ATTRIBUTES, else the executable's base name.
func serviceName() string {
	if name := strings.TrimSpace(os.Getenv("OTEL_SERVICE_NAME")); name != "" {
		return name
	}
	if v, ok := resource.Environment().Set().Value("service.name"); ok && v.AsString() != "" {
		return v.AsString()
	}
	return executableName()
}

func executableName() string {
	if len(os.Args) == 0 || os.Args[0] == "" {
		return "unknown_service"
	}
	return filepath.Base(os.Args[0])
}

// Flush exports every span ended so far, waiting at most 5 s. The woven main
// calls it on return (defer rt.Flush()) and the os.Exit hook calls it, so
// os.Exit and log.Fatal do not lose the last spans. Safe to call any number of
// times, from any goroutine, also when the SDK is disabled.
func Flush() {
	p := provider
	if p == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), flushTimeout)
	defer cancel()
	if err := p.ForceFlush(ctx); err != nil {
		otel.Handle(err)
	}
}
