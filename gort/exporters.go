// SPDX-License-Identifier: Apache-2.0

// The span exporters the configuration asks for, chosen by the same rules as
// the runtime agent's (docs/configuration.md, "Which exporters run"): OTLP
// over HTTP/protobuf when an endpoint is set, OTLP-JSON lines when an output
// file is, the console (stderr: the program's stdout stays the program's)
// otherwise or when OTEL_TRACES_EXPORTER includes it.

package rt

import (
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"

	"goinstr.dev/rt/internal/config"
	"goinstr.dev/rt/internal/console"
	"goinstr.dev/rt/internal/model"
	"goinstr.dev/rt/internal/otlp"
	"goinstr.dev/rt/internal/tracer"
)

// exportTransport carries every request goinstr itself sends (OTLP traces
// and metrics); the client hook makes no span for it, or each export would
// make a span for the next export, forever. nil until an OTLP exporter exists.
var exportTransport *http.Transport

const defaultExportTimeout = 10 * time.Second

func newExporters(c *config.Config) []tracer.Exporter {
	var out []tracer.Exporter
	if c.Endpoint != "" {
		if e := newOTLPExporter(c); e != nil {
			out = append(out, e)
		}
	}
	if c.OutputFile != "" {
		f, err := os.OpenFile(c.OutputFile, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
		if err != nil {
			report.printf("goinstr: export.output: %v; spans are not written there", err)
		} else {
			out = append(out, &jsonLinesExporter{f: f})
		}
	}
	if c.Console {
		out = append(out, consoleExporter{})
	}
	return out
}

// sharedTransport builds exportTransport once, from the certificate settings.
func sharedTransport(c *config.Config) *http.Transport {
	if exportTransport == nil {
		t, err := otlp.NewTransport(c.CAFile, c.ClientCertFile, c.ClientKeyFile)
		if err != nil {
			report.printf("goinstr: OTLP exporter TLS settings: %v", err)
		}
		exportTransport = t
	}
	return exportTransport
}

func exportTimeout(c *config.Config) time.Duration {
	if c.TimeoutMs > 0 {
		return time.Duration(c.TimeoutMs) * time.Millisecond
	}
	return defaultExportTimeout
}

func newSender(c *config.Config, url string) *otlp.Sender {
	compression := ""
	if c.Compression == "gzip" {
		compression = "gzip"
	}
	return otlp.NewSender(otlp.SenderConfig{URL: url, Headers: c.Headers, Compression: compression,
		Timeout: exportTimeout(c), Transport: sharedTransport(c)})
}

// otlpExporter posts ExportTraceServiceRequests.
type otlpExporter struct {
	sender *otlp.Sender
	buf    []byte // reused: one export at a time (the processor's goroutine)
}

func newOTLPExporter(c *config.Config) *otlpExporter {
	if c.Protocol != "" && c.Protocol != "http/protobuf" {
		report.printf("goinstr: export.protocol %s is not built into the woven runtime (it would add "+
			"gRPC to every program); use http/protobuf. Spans are not sent over OTLP", c.Protocol)
		return nil
	}
	return &otlpExporter{sender: newSender(c, config.TracesURL(c))}
}

func (e *otlpExporter) Name() string { return "OTLP" }

func (e *otlpExporter) Export(spans []*model.Span) error {
	e.buf = otlp.AppendTraceRequest(e.buf[:0], &resource, scope, spans)
	return e.sender.Send(e.buf)
}

// jsonLinesExporter appends one OTLP-JSON line per batch, as the agent's --output.
type jsonLinesExporter struct {
	mu  sync.Mutex
	f   *os.File
	buf []byte
}

func (e *jsonLinesExporter) Name() string { return "export.output" }

func (e *jsonLinesExporter) Export(spans []*model.Span) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.buf = append(otlp.AppendTraceJSON(e.buf[:0], &resource, scope, spans), '\n')
	_, err := e.f.Write(e.buf)
	return err
}

// consoleExporter writes the agent's per-trace tree to stderr.
type consoleExporter struct{}

func (consoleExporter) Name() string { return "console" }

func (consoleExporter) Export(spans []*model.Span) error {
	_, err := os.Stderr.WriteString(console.Render(&resource, spans))
	return err
}

var (
	bspOnce sync.Once
	bsp     tracer.BatchConfig
)

// batchConfig reads OTEL_BSP_MAX_QUEUE_SIZE, OTEL_BSP_MAX_EXPORT_BATCH_SIZE and
// OTEL_BSP_SCHEDULE_DELAY (milliseconds); a bad value is said once and the
// default used.
func batchConfig() tracer.BatchConfig {
	bspOnce.Do(func() {
		bsp = tracer.DefaultBatchConfig()
		read := func(name string, slot *int) {
			v := getenv(name)
			if v == "" {
				return
			}
			n, err := strconv.Atoi(v)
			if err != nil || n <= 0 {
				report.printf("goinstr: %s: '%s' is not a positive integer; using %d", name, v, *slot)
				return
			}
			*slot = n
		}
		read("OTEL_BSP_MAX_QUEUE_SIZE", &bsp.MaxQueue)
		read("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", &bsp.MaxBatch)
		delay := int(bsp.ScheduleDelay / time.Millisecond)
		read("OTEL_BSP_SCHEDULE_DELAY", &delay)
		bsp.ScheduleDelay = time.Duration(delay) * time.Millisecond
	})
	return bsp
}
