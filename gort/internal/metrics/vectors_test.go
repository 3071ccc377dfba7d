// SPDX-License-Identifier: Apache-2.0

package metrics

// The shared test vectors (data/metrics/vectors.json) against the Go port.
// tests/unit/metrics/vectors_test.cpp runs the same file against the agent,
// so the two implementations cannot drift: "record" puts one span into a
// fresh Recorder and checks the one series it makes (then all spans into one
// Recorder for the series count), "prometheus" renders histograms with
// AppendPrometheus.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"goinstr.dev/rt/internal/model"
)

const vectorsPath = "../../../data/metrics/vectors.json"

type jsonAttr struct {
	Key    string   `json:"key"`
	String *string  `json:"string"`
	Int    *int64   `json:"int"`
	Bool   *bool    `json:"bool"`
	Double *float64 `json:"double"`
}

type vectorFile struct {
	Comment []string `json:"_comment"`
	Record  []struct {
		Note string `json:"note"`
		Span struct {
			Note       string     `json:"note"`
			Kind       string     `json:"kind"`
			Status     string     `json:"status"`
			DurationNs *int64     `json:"duration_ns"`
			Attributes []jsonAttr `json:"attributes"`
		} `json:"span"`
		Want *struct {
			Note       string     `json:"note"`
			Histogram  string     `json:"histogram"`
			Seconds    *float64   `json:"seconds"`
			Bucket     *int       `json:"bucket"`
			Attributes []jsonAttr `json:"attributes"`
		} `json:"want"`
	} `json:"record"`
	Prometheus []struct {
		Note       string     `json:"note"`
		Pid        int        `json:"pid"`
		Resource   []jsonAttr `json:"resource"`
		Histograms []struct {
			Note   string `json:"note"`
			Name   string `json:"name"`
			Points []struct {
				Note         string     `json:"note"`
				Attributes   []jsonAttr `json:"attributes"`
				Count        uint64     `json:"count"`
				Sum          float64    `json:"sum"`
				BucketCounts []uint64   `json:"bucket_counts"`
			} `json:"points"`
		} `json:"histograms"`
		Want []string `json:"want"`
	} `json:"prometheus"`
}

// loadVectors decodes the file strictly: an unknown key fails, as in C++.
func loadVectors(t *testing.T) *vectorFile {
	t.Helper()
	data, err := os.ReadFile(vectorsPath)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f vectorFile
	if err := dec.Decode(&f); err != nil {
		t.Fatalf("%s: %v", vectorsPath, err)
	}
	if len(f.Record) == 0 || len(f.Prometheus) == 0 {
		t.Fatalf("%s: a family is empty", vectorsPath)
	}
	return &f
}

func attrsOf(t *testing.T, list []jsonAttr) []model.Attr {
	t.Helper()
	var out []model.Attr
	for _, a := range list {
		n := 0
		var attr model.Attr
		if a.String != nil {
			n, attr = n+1, model.String(a.Key, *a.String)
		}
		if a.Int != nil {
			n, attr = n+1, model.Int(a.Key, *a.Int)
		}
		if a.Bool != nil {
			n, attr = n+1, model.Bool(a.Key, *a.Bool)
		}
		if a.Double != nil {
			n, attr = n+1, model.Double(a.Key, *a.Double)
		}
		if n != 1 {
			t.Fatalf("attribute %q: want exactly one value", a.Key)
		}
		out = append(out, attr)
	}
	return out
}

var kinds = map[string]model.Kind{
	"unspecified": model.KindUnspecified, "internal": model.KindInternal,
	"server": model.KindServer, "client": model.KindClient,
	"producer": model.KindProducer, "consumer": model.KindConsumer,
}

var statuses = map[string]model.StatusCode{
	"": model.StatusUnset, "unset": model.StatusUnset, "ok": model.StatusOK, "error": model.StatusError,
}

func TestVectorsRecord(t *testing.T) {
	f := loadVectors(t)
	all := NewRecorder(0)
	distinct := map[string]bool{}
	for i, v := range f.Record {
		name := fmt.Sprintf("%d %s", i, v.Note)
		kind, ok := kinds[v.Span.Kind]
		status, ok2 := statuses[v.Span.Status]
		if !ok || !ok2 || v.Span.DurationNs == nil {
			t.Fatalf("%s: bad span kind %q, status %q or no duration_ns", name, v.Span.Kind, v.Span.Status)
		}
		const start = int64(1_700_000_000_000_000_000)
		span := &model.Span{Kind: kind, Status: status, StartNs: start, EndNs: start + *v.Span.DurationNs,
			Attrs: attrsOf(t, v.Span.Attributes)}
		all.Record(span)
		r := NewRecorder(0)
		r.Record(span)
		got := r.Snapshot(1)
		if v.Want == nil {
			if len(got) != 0 || r.Measured() != 0 {
				t.Errorf("%s: measured into %v", name, got)
			}
			continue
		}
		w := v.Want
		if w.Seconds == nil || w.Bucket == nil {
			t.Fatalf("%s: want lacks seconds or bucket", name)
		}
		if len(got) != 1 || len(got[0].Points) != 1 {
			t.Errorf("%s: want one series of %s, got %+v", name, w.Histogram, got)
			continue
		}
		p := got[0].Points[0]
		if got[0].Name != w.Histogram {
			t.Errorf("%s: histogram %s, want %s", name, got[0].Name, w.Histogram)
		}
		if want := attrsOf(t, w.Attributes); !reflect.DeepEqual(p.Attrs, want) {
			t.Errorf("%s: attributes\n got %+v\nwant %+v", name, p.Attrs, want)
		}
		if p.Count != 1 || p.Sum != *w.Seconds || p.Min != *w.Seconds || p.Max != *w.Seconds {
			t.Errorf("%s: count %d sum %v min %v max %v, want one of %v", name, p.Count, p.Sum, p.Min, p.Max, *w.Seconds)
		}
		if *w.Bucket >= len(p.BucketCounts) || p.BucketCounts[*w.Bucket] != 1 {
			t.Errorf("%s: buckets %v, want the one at %d", name, p.BucketCounts, *w.Bucket)
		}
		distinct[fmt.Sprintf("%s %#v", w.Histogram, p.Attrs)] = true
	}
	if all.Series() != len(distinct) {
		t.Errorf("all spans together: %d series, want %d", all.Series(), len(distinct))
	}
}

func TestVectorsPrometheus(t *testing.T) {
	f := loadVectors(t)
	byName := map[string]instrumentInfo{}
	for _, info := range instruments {
		byName[info.name] = info
	}
	for i, v := range f.Prometheus {
		res := &model.Resource{Attrs: attrsOf(t, v.Resource)}
		var hists []model.Histogram
		for _, h := range v.Histograms {
			info, ok := byName[h.Name]
			if !ok {
				t.Fatalf("%d: no instrument %q", i, h.Name)
			}
			mh := model.Histogram{Name: info.name, Description: info.description, Unit: info.unit,
				Bounds: durationBounds[:]}
			for _, p := range h.Points {
				if len(p.BucketCounts) != bucketCount {
					t.Fatalf("%d: %d bucket counts", i, len(p.BucketCounts))
				}
				mh.Points = append(mh.Points, model.HistogramPoint{Attrs: attrsOf(t, p.Attributes),
					Count: p.Count, Sum: p.Sum, BucketCounts: p.BucketCounts})
			}
			hists = append(hists, mh)
		}
		got := string(AppendPrometheus(nil, hists, res, JobLabel(res), strconv.Itoa(v.Pid)))
		want := ""
		for _, line := range v.Want {
			want += line + "\n"
		}
		if got != want {
			lines, _ := json.MarshalIndent(strings.Split(strings.TrimSuffix(got, "\n"), "\n"), "", "  ")
			t.Errorf("%d %s:\n got %s\nwant %s\n(got as lines: %s)", i, v.Note, got, want, lines)
		}
	}
}
