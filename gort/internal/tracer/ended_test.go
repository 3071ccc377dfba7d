// SPDX-License-Identifier: Apache-2.0

// Where ended spans go: every one to the metrics, the sampled ones to the
// processor, each exactly once however often End is called.

package tracer

import (
	"context"
	"sync"
	"testing"

	"goinstr.dev/rt/internal/model"
)

func TestUnsampledSpansMeasuredNotExported(t *testing.T) {
	off, _ := ParseSampler("always_off", "")
	proc, rec := testProcessor()
	var m measured
	tr := New(off, proc, m.measure)
	ctx, root := tr.Start(context.Background(), "root", model.KindServer)
	_, child := tr.Start(ctx, "child", model.KindClient)
	if root.D.Flags != 0 || child.D.Flags != 0 || !root.IsRecording() || !child.IsRecording() {
		t.Fatalf("unsampled spans: flags %x %x, recording %v %v", root.D.Flags, child.D.Flags,
			root.IsRecording(), child.IsRecording())
	}
	root.Add(model.Int("http.response.status_code", 200))
	child.End()
	root.End()
	if m.count() != 2 || m.spans[0] != &child.D || m.spans[1] != &root.D {
		t.Fatalf("measured %d spans, want the two ended", m.count())
	}
	if m.spans[1].EndNs == 0 || len(m.spans[1].Attrs) != 1 {
		t.Error("the measured span lacks its end time or attributes")
	}
	if !proc.Flush(waitLong) {
		t.Fatal("Flush timed out")
	}
	if n := len(rec.spans()); n != 0 {
		t.Errorf("%d unsampled spans exported", n)
	}
	if e, d, f := proc.Stats(); e+d+f != 0 {
		t.Errorf("Stats = %d, %d, %d for unsampled spans", e, d, f)
	}

	// Sampled spans are measured and exported; no processor is fine too.
	tr = New(AlwaysOn(), nil, m.measure)
	_, s := tr.Start(context.Background(), "sampled", model.KindServer)
	s.End()
	if m.count() != 3 {
		t.Error("a sampled span without a processor was not measured")
	}
}

func TestEndOnlyOnce(t *testing.T) {
	proc, rec := testProcessor()
	var m measured
	tr := New(AlwaysOn(), proc, m.measure)
	_, s := tr.Start(context.Background(), "x", model.KindInternal)
	s.EndAt(s.D.StartNs + 1000)
	s.End()
	s.EndAt(s.D.StartNs + 5000)
	if s.D.EndNs != s.D.StartNs+1000 {
		t.Errorf("end moved to %d by a second End", s.D.EndNs)
	}
	// Racing Ends from many goroutines: one counts.
	_, s2 := tr.Start(context.Background(), "y", model.KindInternal)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s2.End()
		}()
	}
	wg.Wait()
	if !proc.Flush(waitLong) {
		t.Fatal("Flush timed out")
	}
	if m.count() != 2 {
		t.Errorf("measured %d times, want 2", m.count())
	}
	checkSameSpans(t, rec.spans(), []*model.Span{&s.D, &s2.D})
	if s2.D.EndNs < s2.D.StartNs {
		t.Errorf("End set %d before the start %d", s2.D.EndNs, s2.D.StartNs)
	}
}
