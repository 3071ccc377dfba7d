// SPDX-License-Identifier: Apache-2.0

package tracer

import (
	"sync"
	"sync/atomic"
	"time"

	"goinstr.dev/rt/internal/model"
)

// Exporter sends a batch of ended spans somewhere (OTLP, console, a file).
type Exporter interface {
	Export(spans []*model.Span) error
	Name() string
}

// BatchConfig is the batch span processor's OTEL_BSP_* settings.
type BatchConfig struct {
	MaxQueue      int           // OTEL_BSP_MAX_QUEUE_SIZE, default 2048
	MaxBatch      int           // OTEL_BSP_MAX_EXPORT_BATCH_SIZE, default 512
	ScheduleDelay time.Duration // OTEL_BSP_SCHEDULE_DELAY, default 5 s
}

// DefaultBatchConfig is the specification's defaults.
func DefaultBatchConfig() BatchConfig {
	return BatchConfig{MaxQueue: 2048, MaxBatch: 512, ScheduleDelay: 5 * time.Second}
}

// Processor queues ended spans (bounded: a full queue drops the span and
// counts it) and exports them from one goroutine in batches: when a batch is
// full, every ScheduleDelay, and on Flush. The request's goroutine only
// appends under a mutex.
type Processor struct {
	cfg       BatchConfig
	exporters []Exporter
	onDrop    func(firstDrop bool, dropped uint64)
	onError   func(exporter string, spans int, err error)

	mu      sync.Mutex
	queue   []*model.Span
	kick    chan struct{}
	flushes chan chan struct{}
	started sync.Once

	dropped  uint64 // queue full (atomic)
	failed   uint64 // in batches an exporter refused (atomic)
	exported uint64 // handed to every exporter without error (atomic)
}

// NewProcessor returns a processor for exps. onDrop is called (on the
// request's goroutine, so it must be quick) when a span is dropped because
// the queue is full; onError when an exporter fails a batch.
func NewProcessor(cfg BatchConfig, exps []Exporter, onDrop func(first bool, dropped uint64),
	onError func(exporter string, spans int, err error)) *Processor {
	if cfg.MaxQueue <= 0 {
		cfg.MaxQueue = 2048
	}
	if cfg.MaxBatch <= 0 || cfg.MaxBatch > cfg.MaxQueue {
		cfg.MaxBatch = cfg.MaxQueue
	}
	if cfg.ScheduleDelay <= 0 {
		cfg.ScheduleDelay = 5 * time.Second
	}
	return &Processor{cfg: cfg, exporters: exps, onDrop: onDrop, onError: onError,
		queue: make([]*model.Span, 0, cfg.MaxBatch), kick: make(chan struct{}, 1),
		flushes: make(chan chan struct{})}
}

// Enqueue adds an ended span; it never blocks on the exporters.
func (p *Processor) Enqueue(s *model.Span) {
	p.started.Do(func() { go p.run() })
	p.mu.Lock()
	if len(p.queue) >= p.cfg.MaxQueue {
		p.mu.Unlock()
		n := atomic.AddUint64(&p.dropped, 1)
		if p.onDrop != nil {
			p.onDrop(n == 1, n)
		}
		return
	}
	p.queue = append(p.queue, s)
	full := len(p.queue) >= p.cfg.MaxBatch
	p.mu.Unlock()
	if full {
		select {
		case p.kick <- struct{}{}:
		default:
		}
	}
}

// Flush exports every span queued so far, waiting at most timeout; false if
// the exporters did not finish in time.
func (p *Processor) Flush(timeout time.Duration) bool {
	p.started.Do(func() { go p.run() })
	done := make(chan struct{})
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case p.flushes <- done:
	case <-t.C:
		return false
	}
	select {
	case <-done:
		return true
	case <-t.C:
		return false
	}
}

// Stats: spans exported, dropped from a full queue, lost in failed exports.
func (p *Processor) Stats() (exported, dropped, failed uint64) {
	return atomic.LoadUint64(&p.exported), atomic.LoadUint64(&p.dropped), atomic.LoadUint64(&p.failed)
}

func (p *Processor) run() {
	timer := time.NewTimer(p.cfg.ScheduleDelay)
	for {
		var done chan struct{}
		select {
		case <-p.kick:
		case <-timer.C:
		case done = <-p.flushes:
		}
		p.drain()
		if done != nil {
			close(done)
		}
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
		timer.Reset(p.cfg.ScheduleDelay)
	}
}

// drain exports everything queued, in batches of at most MaxBatch.
func (p *Processor) drain() {
	for {
		p.mu.Lock()
		n := len(p.queue)
		if n == 0 {
			p.mu.Unlock()
			return
		}
		if n > p.cfg.MaxBatch {
			n = p.cfg.MaxBatch
		}
		batch := make([]*model.Span, n)
		copy(batch, p.queue[:n])
		rest := copy(p.queue, p.queue[n:])
		for i := rest; i < len(p.queue); i++ {
			p.queue[i] = nil
		}
		p.queue = p.queue[:rest]
		p.mu.Unlock()
		p.export(batch)
	}
}

func (p *Processor) export(batch []*model.Span) {
	ok := true
	for _, e := range p.exporters {
		if err := e.Export(batch); err != nil {
			ok = false
			if p.onError != nil {
				p.onError(e.Name(), len(batch), err)
			}
		}
	}
	if ok {
		atomic.AddUint64(&p.exported, uint64(len(batch)))
	} else {
		atomic.AddUint64(&p.failed, uint64(len(batch)))
	}
}
