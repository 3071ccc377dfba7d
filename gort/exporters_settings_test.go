// SPDX-License-Identifier: Apache-2.0

// The exporters' settings: the one shared transport (TLS files, and the
// client hook leaving its requests alone), the export timeout, and the
// OTEL_BSP_* batch settings.

package rt

import (
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"goinstr.dev/rt/internal/config"
	"goinstr.dev/rt/internal/tracer"
)

func TestSharedTransportAndTLS(t *testing.T) {
	keepGlobals(t)
	exportTransport = nil
	missing := filepath.Join(t.TempDir(), "missing.pem")
	c := loadConfig(t, map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "https://collector:4318",
		"OTEL_EXPORTER_OTLP_CERTIFICATE": missing}, "")
	var exps []tracer.Exporter
	out := captureStderr(t, func() { exps = newExporters(&c) })
	if exporterNames(exps) != "OTLP" {
		t.Errorf("exporters %q: unusable TLS files must not stop the exporter", exporterNames(exps))
	}
	if !strings.HasPrefix(out, "goinstr: OTLP exporter TLS settings: open "+missing) {
		t.Errorf("stderr %q", out)
	}
	first := exportTransport
	if first == nil || sharedTransport(&c) != first {
		t.Error("the transport is not built once and shared")
	}
	tt := useTestTracer(t)
	req, _ := http.NewRequest("POST", "https://collector:4318/v1/traces", nil)
	req2, end := roundTripHook(first, req)
	end(&http.Response{StatusCode: 200}, nil)
	if req2 != req || len(tt.spans()) != 0 {
		t.Error("the exporter's own request was traced")
	}
	// otelhttp asks the same question: the exporter's transport is not goinstr's to trace.
	defer func(old bool) { hooksInstalled = old }(hooksInstalled)
	hooksInstalled = true
	if TracesRoundTrip(first) || !TracesRoundTrip(&http.Transport{}) {
		t.Error("TracesRoundTrip does not tell the exporter's transport from the program's")
	}
}

func TestExportTimeout(t *testing.T) {
	if got := exportTimeout(&config.Config{}); got != defaultExportTimeout {
		t.Errorf("default timeout %v", got)
	}
	c := loadConfig(t, map[string]string{"OTEL_EXPORTER_OTLP_TIMEOUT": "2500"}, "")
	if got := exportTimeout(&c); got != 2500*time.Millisecond {
		t.Errorf("timeout %v", got)
	}
	c = loadConfig(t, map[string]string{"OTEL_EXPORTER_OTLP_TIMEOUT": "2500", "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT": "700"}, "")
	if got := exportTimeout(&c); got != 700*time.Millisecond {
		t.Errorf("traces timeout %v", got)
	}
}

// readBatchConfig runs batchConfig afresh (it reads the environment once).
func readBatchConfig(t *testing.T) tracer.BatchConfig {
	bspOnce = sync.Once{}
	t.Cleanup(func() { bspOnce = sync.Once{} }) // the next reader sees its own environment
	return batchConfig()
}

func TestBatchConfigFromEnvironment(t *testing.T) {
	clearEnv(t)
	if got := readBatchConfig(t); got != tracer.DefaultBatchConfig() {
		t.Errorf("defaults %+v", got)
	}
	t.Setenv("OTEL_BSP_MAX_QUEUE_SIZE", "100")
	t.Setenv("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "10")
	t.Setenv("OTEL_BSP_SCHEDULE_DELAY", "250")
	want := tracer.BatchConfig{MaxQueue: 100, MaxBatch: 10, ScheduleDelay: 250 * time.Millisecond}
	if got := readBatchConfig(t); got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	t.Setenv("OTEL_BSP_MAX_QUEUE_SIZE", "lots")
	t.Setenv("OTEL_BSP_SCHEDULE_DELAY", "-5")
	var got tracer.BatchConfig
	out := captureStderr(t, func() { got = readBatchConfig(t) })
	want = tracer.BatchConfig{MaxQueue: 2048, MaxBatch: 10, ScheduleDelay: 5 * time.Second}
	if got != want || out != "goinstr: OTEL_BSP_MAX_QUEUE_SIZE: 'lots' is not a positive integer; using 2048\n"+
		"goinstr: OTEL_BSP_SCHEDULE_DELAY: '-5' is not a positive integer; using 5000\n" {
		t.Errorf("got %+v, stderr %q", got, out)
	}
}
