// SPDX-License-Identifier: Apache-2.0

package metrics

import (
	"strconv"

	"goinstr.dev/rt/internal/model"
)

// PrometheusContentType is the Content-Type of the text format 0.0.4.
const PrometheusContentType = "text/plain; version=0.0.4; charset=utf-8"

// AppendPrometheus appends hists in the Prometheus text format 0.0.4, as
// src/metrics/prometheus_text.cpp renders them: one HELP/TYPE block per
// histogram with points (in the order given; Snapshot's is the agent's),
// names and label names sanitised, the unit as a suffix
// (http.server.request.duration, "s" -> http_server_request_duration_seconds),
// cumulative le buckets, _sum and _count; job and instance labels first on
// every series, then a target_info gauge with the rest of res. Nothing at
// all when no histogram has a point.
func AppendPrometheus(b []byte, hists []model.Histogram, res *model.Resource, job, instance string) []byte {
	wrote := false
	var ls labels
	for i := range hists {
		h := &hists[i]
		if len(h.Points) == 0 {
			continue
		}
		wrote = true
		name := metricName(h.Name, h.Unit)
		b = append(b, "# HELP "...)
		b = append(b, name...)
		b = append(b, ' ')
		b = appendHelp(b, h.Description)
		b = append(b, "\n# TYPE "...)
		b = append(b, name...)
		b = append(b, " histogram\n"...)
		for j := range h.Points {
			p := &h.Points[j]
			ls.reset(job, instance)
			for k := range p.Attrs {
				ls.add(p.Attrs[k].Key, string(appendText(nil, &p.Attrs[k])))
			}
			b = appendPoint(b, name, h.Bounds, p, &ls)
		}
	}
	if !wrote {
		return b
	}
	b = append(b, "# HELP target_info Target metadata\n# TYPE target_info gauge\n"...)
	ls.reset(job, instance)
	if res != nil {
		// service.name and service.namespace are already job (OTel's
		// Prometheus compatibility rule).
		for k := range res.Attrs {
			if a := &res.Attrs[k]; a.Key != "service.name" && a.Key != "service.namespace" {
				ls.add(a.Key, string(appendText(nil, a)))
			}
		}
	}
	b = append(b, "target_info"...)
	b = ls.appendTo(b, "")
	return append(b, " 1\n"...)
}

// JobLabel is the job label of the agent for a resource: service.name,
// prefixed with service.namespace and a slash when that is set.
func JobLabel(res *model.Resource) string {
	if res == nil {
		return ""
	}
	job := resourceText(res, "service.name")
	if ns := resourceText(res, "service.namespace"); ns != "" {
		job = ns + "/" + job
	}
	return job
}

func resourceText(res *model.Resource, key string) string {
	for i := range res.Attrs {
		if res.Attrs[i].Key == key {
			return string(appendText(nil, &res.Attrs[i]))
		}
	}
	return ""
}

// appendPoint writes one series: Prometheus buckets are cumulative ("le":
// at most), OTLP's and the snapshot's are per bucket.
func appendPoint(b []byte, name string, bounds []float64, p *model.HistogramPoint, ls *labels) []byte {
	var cumulative uint64
	var le [32]byte
	for i := 0; i <= len(bounds); i++ {
		if i < len(p.BucketCounts) {
			cumulative += p.BucketCounts[i]
		}
		leText := append(le[:0], "+Inf"...)
		if i < len(bounds) {
			leText = appendSample(le[:0], bounds[i])
		}
		b = append(b, name...)
		b = append(b, "_bucket"...)
		b = ls.appendTo(b, string(leText))
		b = append(b, ' ')
		b = strconv.AppendUint(b, cumulative, 10)
		b = append(b, '\n')
	}
	b = append(b, name...)
	b = append(b, "_sum"...)
	b = ls.appendTo(b, "")
	b = append(b, ' ')
	b = appendSample(b, p.Sum)
	b = append(b, '\n')
	b = append(b, name...)
	b = append(b, "_count"...)
	b = ls.appendTo(b, "")
	b = append(b, ' ')
	b = strconv.AppendUint(b, p.Count, 10)
	return append(b, '\n')
}

// appendHelp escapes HELP text: backslash and newline only (the format's
// rule for docstrings).
func appendHelp(b []byte, text string) []byte {
	for i := 0; i < len(text); i++ {
		switch c := text[i]; c {
		case '\\':
			b = append(b, `\\`...)
		case '\n':
			b = append(b, `\n`...)
		default:
			b = append(b, c)
		}
	}
	return b
}
