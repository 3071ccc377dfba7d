// SPDX-License-Identifier: Apache-2.0

// Package rt is the runtime half of goinstr's compile-time mode. `goinstr go
// build` rewrites net/http, database/sql and os so that they call hook
// function variables, and adds `import _ "goinstr.dev/rt"` to package main.
// This package reads goinstr's configuration (the same YAML as the runtime
// agent, GOINSTR_CONFIG, plus OTEL_*), installs the hooks (linkname.go, built
// with -tags goinstr_woven) and records spans and metrics with its own lean
// pipeline (internal/tracer, internal/otlp, internal/metrics): it depends on no
// other module, so adding it never changes a program's dependency versions.
// The spans match those of goinstr's eBPF agent: same names, kinds,
// attributes, status and resource.
//
// Language level: compiled with the user's go line (down to go 1.13): no
// generics, no `any`, std APIs of Go 1.19.
package rt

import (
	"time"

	"goinstr.dev/rt/internal/config"
	"goinstr.dev/rt/internal/model"
	"goinstr.dev/rt/internal/tracer"
)

// Version is telemetry.distro.version and the instrumentation scope version.
const Version = "0.1.0"

// TracerName is the instrumentation scope of every span goinstr makes, the
// runtime agent's too ("goinstr"), so both modes export the same scope.
const TracerName = "goinstr"

// flushTimeout bounds Flush, which runs on the way out of the program.
const flushTimeout = 5 * time.Second

var (
	// tr is nil until setup ran (and stays nil when telemetry is off): the
	// hooks are installed only after it is set.
	tr *tracer.Tracer
	// cfg is the configuration setup read.
	cfg config.Config
	// resource describes this process, the same attributes as the agent's.
	resource model.Resource
	// scope is the instrumentation scope of everything exported.
	scope = model.Scope{Name: TracerName, Version: Version}
	// rtMetrics is nil when metrics are off.
	rtMetrics *metricsPipeline
)

// setup reads the configuration and builds the pipeline. It returns false when
// telemetry is off (OTEL_SDK_DISABLED=true, or a configuration error, which is
// reported on stderr: the program then runs uninstrumented, never stopped).
func setup() bool {
	c, err := config.Load(config.Environ())
	if err != nil {
		report.printf("goinstr: %v; this program runs without telemetry", err)
		return false
	}
	if c.SDKDisabled {
		return false
	}
	cfg = c
	resource = newResource(&cfg)
	sampler, err := tracer.ParseSampler(getenv("OTEL_TRACES_SAMPLER"), getenv("OTEL_TRACES_SAMPLER_ARG"))
	if err != nil {
		report.printf("goinstr: %v; using parentbased_always_on", err)
	}
	exps := newExporters(&cfg)
	var proc *tracer.Processor
	if len(exps) > 0 {
		proc = tracer.NewProcessor(batchConfig(), exps, onQueueFull, onExportError)
	}
	rtMetrics = newMetricsPipeline(&cfg)
	var measure func(*model.Span)
	if rtMetrics != nil {
		measure = rtMetrics.recorder.Record
	}
	tr = tracer.New(sampler, proc, measure)
	return true
}

// Flush exports every span ended so far, and the metrics, waiting at most 5 s.
// The woven main calls it on return (defer rt.Flush()), the os.Exit hook and
// the signal handler call it, so no ending loses the last spans. Safe to call
// any number of times, from any goroutine, also when telemetry is off.
func Flush() {
	t := tr
	if t == nil {
		return
	}
	deadline := time.Now().Add(flushTimeout)
	if p := t.Processor(); p != nil && !p.Flush(flushTimeout) {
		report.printf("goinstr: spans still being exported after %v at exit; the rest are lost", flushTimeout)
	}
	if rtMetrics != nil {
		rtMetrics.flush(time.Until(deadline))
	}
	printExitSummary()
}
