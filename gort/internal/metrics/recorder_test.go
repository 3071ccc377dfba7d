// SPDX-License-Identifier: Apache-2.0

package metrics

import (
	"math"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"goinstr.dev/rt/internal/model"
)

const ms = int64(1_000_000)

// serverSpan is an HTTP server span as the hooks make it, lasting d ns.
func serverSpan(d int64, status int64, route string) *model.Span {
	const start = int64(1_700_000_000_000_000_000)
	return &model.Span{Kind: model.KindServer, StartNs: start, EndNs: start + d, Attrs: []model.Attr{
		model.String("http.request.method", "GET"),
		model.String("url.path", "/items/17"),
		model.String("http.route", route),
		model.Int("http.response.status_code", status),
		model.String("network.protocol.version", "1.1"),
		model.String("server.address", "localhost"),
		model.Int("server.port", 8080),
		model.String("client.address", "127.0.0.1"),
		model.Int("client.port", 50312),
		model.String("user_agent.original", "curl/8.5.0"),
	}}
}

func fixedClock(r *Recorder, ns *int64) { r.now = func() int64 { return atomic.LoadInt64(ns) } }

func TestSnapshotIsCumulativeWithPerSeriesStart(t *testing.T) {
	r := NewRecorder(0)
	clock := int64(100)
	fixedClock(r, &clock)
	if got := r.Snapshot(1); got != nil {
		t.Fatalf("empty recorder: %v", got)
	}
	r.Record(serverSpan(1*ms, 200, "/a"))
	r.Record(serverSpan(5*ms, 200, "/a"))
	first := r.Snapshot(150)
	clock = 200
	r.Record(serverSpan(7*ms, 200, "/a"))
	r.Record(serverSpan(12000*ms, 200, "/a"))
	r.Record(serverSpan(300*ms, 500, "/a")) // a new series, started at 200
	second := r.Snapshot(250)

	if len(first) != 1 || len(first[0].Points) != 1 || first[0].Points[0].Count != 2 {
		t.Fatalf("first snapshot %+v", first)
	}
	if first[0].Points[0].BucketCounts[0] != 2 {
		t.Errorf("first snapshot changed by later spans: %v", first[0].Points[0].BucketCounts)
	}
	h := second[0]
	if h.Name != "http.server.request.duration" || h.Unit != "s" || len(h.Bounds) != 14 || len(h.Points) != 2 {
		t.Fatalf("second snapshot %+v", second)
	}
	// The 5xx series sorts first ("error.type" < "http..."), as in the agent.
	p5xx, p200 := h.Points[0], h.Points[1]
	if p200.Count != 4 || p200.StartNs != 100 || p200.TimeNs != 250 {
		t.Errorf("200 series: count %d start %d time %d", p200.Count, p200.StartNs, p200.TimeNs)
	}
	if want := 0.001 + 0.005 + 0.007 + 12; math.Abs(p200.Sum-want) > 1e-12 || p200.Min != 0.001 || p200.Max != 12 {
		t.Errorf("200 series: sum %v min %v max %v", p200.Sum, p200.Min, p200.Max)
	}
	want := make([]uint64, bucketCount)
	want[0], want[1], want[14] = 2, 1, 1
	for i := range want {
		if p200.BucketCounts[i] != want[i] {
			t.Fatalf("200 buckets %v, want %v", p200.BucketCounts, want)
		}
	}
	if p5xx.Count != 1 || p5xx.StartNs != 200 || p5xx.Attrs[0] != model.String("error.type", "500") {
		t.Errorf("5xx series %+v", p5xx)
	}
	if r.Measured() != 5 || r.Series() != 2 || r.Unmeasured() != 0 {
		t.Errorf("measured %d series %d unmeasured %d", r.Measured(), r.Series(), r.Unmeasured())
	}
}

func TestSnapshotOrdersInstrumentsAndSeriesAsTheAgent(t *testing.T) {
	r := NewRecorder(0)
	db := &model.Span{Kind: model.KindClient, Attrs: []model.Attr{model.String("db.system.name", "postgresql")}}
	client := &model.Span{Kind: model.KindClient, Attrs: []model.Attr{model.String("http.request.method", "GET")}}
	r.Record(db)
	r.Record(client)
	r.Record(serverSpan(ms, 200, "/b"))
	r.Record(serverSpan(ms, 200, "/a"))
	got := r.Snapshot(1)
	names := []string{}
	for _, h := range got {
		names = append(names, h.Name)
	}
	if len(got) != 3 || names[0] != "http.server.request.duration" || names[1] != "http.client.request.duration" ||
		names[2] != "db.client.operation.duration" {
		t.Fatalf("order %v", names)
	}
	if got[0].Points[0].Attrs[2].Str != "/a" || got[0].Points[1].Attrs[2].Str != "/b" {
		t.Errorf("series order %+v", got[0].Points)
	}
}

func TestSeriesIdentity(t *testing.T) {
	r := NewRecorder(0)
	mk := func(a model.Attr) *model.Span {
		return &model.Span{Kind: model.KindServer, Attrs: []model.Attr{model.String("http.request.method", "GET"), a}}
	}
	// Each attribute, recorded twice, is one series: values that differ in
	// type only are different series, NaN matches itself.
	for _, a := range []model.Attr{
		model.Int("http.route", 200), model.String("http.route", "200"),
		model.Bool("http.route", true), model.Int("http.route", 1),
		model.Double("http.route", math.NaN()), model.Double("http.route", 0),
		{Key: "http.route", Kind: model.ValueBool, Int: 7}, // a bool is true whatever its Int
		{Key: "http.route", Kind: model.ValueString, Str: "x", Int: 5},
	} {
		r.Record(mk(a))
		r.Record(mk(a))
	}
	r.Record(mk(model.String("http.route", "x"))) // the stray Int of the last one does not count
	if r.Series() != 7 || r.Measured() != 17 {
		t.Errorf("series %d measured %d, want 7 and 17", r.Series(), r.Measured())
	}
}

func TestSeriesLimit(t *testing.T) {
	r := NewRecorder(3)
	var calls int32
	r.OnLimit = func() { atomic.AddInt32(&calls, 1) }
	for _, route := range []string{"/a", "/b", "/c", "/d", "/e", "/a", "/d"} {
		r.Record(serverSpan(ms, 200, route))
	}
	r.Record(&model.Span{Kind: model.KindInternal}) // not covered: neither measured nor unmeasured
	if r.Series() != 3 || r.Measured() != 4 || r.Unmeasured() != 3 || calls != 1 {
		t.Errorf("series %d measured %d unmeasured %d OnLimit calls %d", r.Series(), r.Measured(), r.Unmeasured(), calls)
	}
	// Existing series still count once full, and lock-free (they are all in read).
	r.Record(serverSpan(ms, 200, "/b"))
	if r.Measured() != 5 || r.idx.load().n != 3 || r.idx.dirty != nil || calls != 1 {
		t.Errorf("measured %d, read map %d, OnLimit calls %d", r.Measured(), r.idx.load().n, calls)
	}
	if NewRecorder(0).maxSeries != 2000 || NewRecorder(-1).maxSeries != 2000 {
		t.Error("default limit is not 2000")
	}
}

func TestConcurrentRecordLosesNothing(t *testing.T) {
	r := NewRecorder(50)
	var limit int32
	r.OnLimit = func() { atomic.AddInt32(&limit, 1) }
	const goroutines, spans = 8, 2000
	var wg sync.WaitGroup
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < spans; i++ {
				// 100 routes against a limit of 50: creation, merges and drops race.
				r.Record(serverSpan(ms, 200, "/r"+strconv.Itoa((i+g)%100)))
				if i%500 == 0 {
					r.Snapshot(1)
				}
			}
		}(g)
	}
	wg.Wait()
	var total uint64
	for _, h := range r.Snapshot(1) {
		for _, p := range h.Points {
			total += p.Count
		}
	}
	if r.Series() != 50 || total != r.Measured() || total+r.Unmeasured() != goroutines*spans || limit != 1 {
		t.Errorf("series %d, counted %d + unmeasured %d (want %d), OnLimit %d",
			r.Series(), total, r.Unmeasured(), goroutines*spans, limit)
	}
}

func TestRecordOfASeenSetDoesNotAllocate(t *testing.T) {
	r := NewRecorder(0)
	spans := []*model.Span{serverSpan(3*ms, 200, "/a"), serverSpan(3*ms, 503, "/a")}
	for i := 0; i < 100; i++ { // past the merge into the lock-free map
		r.Record(spans[i%2])
	}
	if n := testing.AllocsPerRun(1000, func() { r.Record(spans[0]); r.Record(spans[1]) }); n != 0 {
		t.Errorf("%v allocations per Record", n)
	}
	r.Record(nil) // ignored
}

// Two keys with one hash (forced: real 64-bit collisions do not happen in a
// test) both stay findable, before and after a merge rehashes them.
func TestTableHashCollision(t *testing.T) {
	r := NewRecorder(0)
	k1 := seriesKey{inst: httpServerDuration}
	k1.vals[1] = stringValue("GET")
	k2 := k1
	k2.vals[1] = stringValue("PUT")
	s1, s2 := newSeries(&k1, 1), newSeries(&k2, 1)
	h := r.idx.hash(&k1)
	tb := newTable(0)
	tb.put(h, s1)
	tb.put(h, s2) // as if k2 hashed like k1
	if tb.get(h, &k1) != s1 || tb.get(h, &k2) != s2 || tb.n != 2 || len(tb.overflow) != 1 {
		t.Fatalf("collision lost a series")
	}
	r.idx.dirty = tb
	r.sorted = []*series{s1, s2}
	r.merge()
	read := r.idx.load()
	if read.get(h, &k1) != s1 || read.get(r.idx.hash(&k2), &k2) != s2 || read.n != 2 {
		t.Errorf("merge lost a colliding series")
	}
	if s1.attrs[0] != model.String("http.request.method", "GET") {
		t.Errorf("attrs %+v", s1.attrs)
	}
}
