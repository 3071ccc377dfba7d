// SPDX-License-Identifier: Apache-2.0

// Package console renders a batch of spans as the human-readable tree the
// "console" exporter writes: a header per trace, then the spans indented
// under their parents. It writes exactly what the runtime agent's console
// exporter (src/export/console_exporter.cpp) writes for the same batch, so
// the two modes look alike; data/console/vectors.json holds the cases both
// implementations are tested against.
package console

import (
	"sort"
	"strings"

	"goinstr.dev/rt/internal/model"
)

// Render is the text for one batch, each line ending in "\n"; "" for no spans.
// Traces come in order of their first span in the batch. Spans whose parent
// is not in the batch are shown at top level with the parent's id, because
// parents often finish (and are exported) after their children.
func Render(res *model.Resource, spans []*model.Span) string {
	var w strings.Builder
	service := ""
	if res != nil {
		if i := findAttr(res.Attrs, keyServiceName); i >= 0 {
			service = "  service " + text(res.Attrs[i])
		}
	}
	for _, trace := range groupByTrace(spans) {
		w.WriteString("trace ")
		writeHex(&w, trace[0].TraceID[:])
		w.WriteString(service)
		w.WriteByte('\n')
		renderTrace(&w, trace)
	}
	return w.String()
}

// groupByTrace splits spans by trace id, in order of first appearance.
func groupByTrace(spans []*model.Span) [][]*model.Span {
	var traces [][]*model.Span
	index := make(map[model.TraceID]int)
	for _, s := range spans {
		if s == nil {
			continue
		}
		i, ok := index[s.TraceID]
		if !ok {
			i = len(traces)
			index[s.TraceID] = i
			traces = append(traces, nil)
		}
		traces[i] = append(traces[i], s)
	}
	return traces
}

// tree renders one trace; children are ordered by start time.
type tree struct {
	w        *strings.Builder
	children map[model.SpanID][]*model.Span
	printed  map[*model.Span]bool
}

func (t *tree) node(s *model.Span, indent string, last, top bool) {
	t.printed[s] = true
	t.w.WriteString(indent)
	childIndent := indent + "│  "
	if last {
		t.w.WriteString("└─ ")
		childIndent = indent + "   "
	} else {
		t.w.WriteString("├─ ")
	}
	spanLine(t.w, s, top && s.ParentSpanID.IsValid())
	t.w.WriteByte('\n')
	kids := t.children[s.SpanID]
	for i, kid := range kids {
		// Guards against span-id cycles, which would otherwise recurse forever.
		if t.printed[kid] {
			continue
		}
		t.node(kid, childIndent, i+1 == len(kids), false)
	}
}

func renderTrace(w *strings.Builder, trace []*model.Span) {
	t := &tree{w: w, children: make(map[model.SpanID][]*model.Span), printed: make(map[*model.Span]bool)}
	present := make(map[model.SpanID]bool, len(trace))
	for _, s := range trace {
		present[s.SpanID] = true
	}
	var roots []*model.Span
	for _, s := range trace {
		if s.ParentSpanID.IsValid() && s.ParentSpanID != s.SpanID && present[s.ParentSpanID] {
			t.children[s.ParentSpanID] = append(t.children[s.ParentSpanID], s)
		} else {
			roots = append(roots, s)
		}
	}
	sortByStart(roots)
	for _, kids := range t.children {
		sortByStart(kids)
	}
	for i, s := range roots {
		t.node(s, "  ", i+1 == len(roots), true)
	}
	// Spans caught in a parent cycle are unreachable from any root; still show every span.
	for _, s := range trace {
		if !t.printed[s] {
			t.node(s, "  ", true, true)
		}
	}
}

// sortByStart orders spans by start time, keeping batch order among equals.
// The agent compares its unsigned times; the same order for any time after 1970.
func sortByStart(spans []*model.Span) {
	sort.SliceStable(spans, func(i, j int) bool { return spans[i].StartNs < spans[j].StartNs })
}
