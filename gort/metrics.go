// SPDX-License-Identifier: Apache-2.0

// RED metrics from the spans, as the runtime agent derives them
// (internal/metrics mirrors src/metrics/): pushed over OTLP/HTTP every
// metrics.export_interval_ms and at exit, and served for Prometheus when
// export.prometheus is set. No output configured: nothing is aggregated.

package rt

import (
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"goinstr.dev/rt/internal/config"
	"goinstr.dev/rt/internal/metrics"
	"goinstr.dev/rt/internal/otlp"
)

// maxMetricSeries bounds the series kept, as in the agent.
const maxMetricSeries = 2000

type metricsPipeline struct {
	recorder *metrics.Recorder
	sender   *otlp.Sender // nil: no OTLP metrics
	prom     *metrics.PromServer
	interval time.Duration

	mu      sync.Mutex // one push at a time
	buf     []byte
	failing bool

	pushes, failures uint64 // atomic
}

// promServer is the Prometheus endpoint's server: the woven net/http hook
// makes no span for its scrapes.
var promServer *http.Server

func newMetricsPipeline(c *config.Config) *metricsPipeline {
	if !c.MetricsEnabled || (c.MetricsEndpoint == "" && c.PrometheusAddress == "") {
		return nil
	}
	p := &metricsPipeline{recorder: metrics.NewRecorder(maxMetricSeries),
		interval: time.Duration(c.MetricExportIntervalMs) * time.Millisecond}
	if p.interval <= 0 {
		p.interval = 10 * time.Second
	}
	p.recorder.OnLimit = func() {
		report.printf("goinstr: metrics reached their limit of %d series; spans that would start "+
			"another are not measured (counted, reported at exit)", maxMetricSeries)
	}
	if c.MetricsEndpoint != "" {
		if c.Protocol != "" && c.Protocol != "http/protobuf" {
			report.printf("goinstr: export.protocol %s is not built into the woven runtime; "+
				"metrics are not sent over OTLP", c.Protocol)
		} else {
			p.sender = newSender(c, config.MetricsURL(c))
			go p.loop()
		}
	}
	if c.PrometheusAddress != "" {
		srv, err := metrics.ServePrometheus(c.PrometheusAddress, p.prometheusText)
		if err != nil {
			report.printf("goinstr: export.prometheus: %v; metrics are not served", err)
		} else {
			p.prom, promServer = srv, srv.HTTPServer()
		}
	}
	if p.sender == nil && p.prom == nil {
		return nil
	}
	return p
}

func (p *metricsPipeline) prometheusText() []byte {
	hists := p.recorder.Snapshot(time.Now().UnixNano())
	pid := ""
	for _, a := range resource.Attrs {
		if a.Key == "process.pid" {
			pid = strconv.FormatInt(a.Int, 10)
		}
	}
	return metrics.AppendPrometheus(nil, hists, &resource, metrics.JobLabel(&resource), pid)
}

func (p *metricsPipeline) loop() {
	t := time.NewTicker(p.interval)
	defer t.Stop()
	for range t.C {
		p.push()
	}
}

// push sends the cumulative totals; a failure is said when the collector
// starts failing, counted, and not retried: the next push carries the same
// totals.
func (p *metricsPipeline) push() {
	if p.sender == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	hists := p.recorder.Snapshot(time.Now().UnixNano())
	if len(hists) == 0 {
		return
	}
	p.buf = otlp.AppendMetricsRequest(p.buf[:0], &resource, scope, hists)
	if err := p.sender.Send(p.buf); err != nil {
		atomic.AddUint64(&p.failures, 1)
		if !p.failing {
			report.printf("goinstr: metrics export error: %v (said once until it works again; counted)", err)
		}
		p.failing = true
		return
	}
	if p.failing {
		report.printf("goinstr: metrics export works again")
	}
	p.failing = false
	atomic.AddUint64(&p.pushes, 1)
}

// flush pushes once more (at exit), within timeout.
func (p *metricsPipeline) flush(timeout time.Duration) {
	if p.sender == nil || timeout <= 0 {
		return
	}
	done := make(chan struct{})
	go func() { p.push(); close(done) }()
	select {
	case <-done:
	case <-time.After(timeout):
		report.printf("goinstr: the last metrics push did not finish in time at exit")
	}
}
