// SPDX-License-Identifier: Apache-2.0

// The shared vectors (data/console/vectors.json) against the Go renderer. The
// runtime agent's console exporter runs the same file
// (tests/unit/export/console_vectors_test.cpp), so a case added there is
// checked on both sides and the two cannot drift apart.

package console

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strconv"
	"testing"

	"goinstr.dev/rt/internal/model"
)

const vectorsPath = "../../../data/console/vectors.json"

type vectorFile struct {
	Comment []string `json:"_comment"`
	Render  []vector `json:"render"`
}

type vector struct {
	Name     string       `json:"name"`
	Note     string       `json:"note"`
	Resource []vectorAttr `json:"resource"`
	Spans    []vectorSpan `json:"spans"`
	Want     *string      `json:"want"`
}

type vectorSpan struct {
	TraceID       string       `json:"trace_id"`
	SpanID        string       `json:"span_id"`
	ParentSpanID  string       `json:"parent_span_id"`
	Name          string       `json:"name"`
	Kind          string       `json:"kind"`
	StartNs       int64        `json:"start_ns"`
	EndNs         int64        `json:"end_ns"`
	Status        string       `json:"status"`
	StatusMessage string       `json:"status_message"`
	Attributes    []vectorAttr `json:"attributes"`
}

type vectorAttr struct {
	Key    *string         `json:"key"`
	String *string         `json:"string"`
	Int    *int64          `json:"int"`
	Bool   *bool           `json:"bool"`
	Double json.RawMessage `json:"double"`
}

// loadVectors reads the file strictly: an unknown key is an error rather
// than a silently ignored case.
func loadVectors(t *testing.T) []vector {
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
	if len(f.Render) == 0 {
		t.Fatalf("%s: no render vectors", vectorsPath)
	}
	return f.Render
}

var kinds = map[string]model.Kind{
	"unspecified": model.KindUnspecified, "internal": model.KindInternal, "server": model.KindServer,
	"client": model.KindClient, "producer": model.KindProducer, "consumer": model.KindConsumer,
}

var statuses = map[string]model.StatusCode{
	"": model.StatusUnset, "unset": model.StatusUnset, "ok": model.StatusOK, "error": model.StatusError,
}

func (a vectorAttr) model() (model.Attr, error) {
	if a.Key == nil {
		return model.Attr{}, fmt.Errorf("attribute without key")
	}
	n := 0
	var out model.Attr
	if a.String != nil {
		n, out = n+1, model.String(*a.Key, *a.String)
	}
	if a.Int != nil {
		n, out = n+1, model.Int(*a.Key, *a.Int)
	}
	if a.Bool != nil {
		n, out = n+1, model.Bool(*a.Key, *a.Bool)
	}
	if a.Double != nil {
		n++
		var word string
		if json.Unmarshal(a.Double, &word) == nil {
			v, ok := map[string]float64{"nan": math.NaN(), "inf": math.Inf(1), "-inf": math.Inf(-1)}[word]
			if !ok {
				return out, fmt.Errorf("attribute %q: double %q", *a.Key, word)
			}
			out = model.Double(*a.Key, v)
		} else {
			v, err := strconv.ParseFloat(string(a.Double), 64)
			if err != nil {
				return out, fmt.Errorf("attribute %q: %v", *a.Key, err)
			}
			out = model.Double(*a.Key, v)
		}
	}
	if n != 1 {
		return out, fmt.Errorf("attribute %q has %d values", *a.Key, n)
	}
	return out, nil
}

func attrs(in []vectorAttr) ([]model.Attr, error) {
	var out []model.Attr
	for _, a := range in {
		m, err := a.model()
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

func decodeID(dst []byte, s string) error {
	if len(s) != 2*len(dst) {
		return fmt.Errorf("id %q: want %d hex digits", s, 2*len(dst))
	}
	_, err := hex.Decode(dst, []byte(s))
	return err
}

func (v vectorSpan) model() (*model.Span, error) {
	s := &model.Span{Name: v.Name, StartNs: v.StartNs, EndNs: v.EndNs, StatusMessage: v.StatusMessage}
	if err := decodeID(s.TraceID[:], v.TraceID); err != nil {
		return nil, err
	}
	if err := decodeID(s.SpanID[:], v.SpanID); err != nil {
		return nil, err
	}
	if v.ParentSpanID != "" {
		if err := decodeID(s.ParentSpanID[:], v.ParentSpanID); err != nil {
			return nil, err
		}
	}
	var ok bool
	if s.Kind, ok = kinds[v.Kind]; !ok {
		return nil, fmt.Errorf("span %q: kind %q", v.Name, v.Kind)
	}
	if s.Status, ok = statuses[v.Status]; !ok {
		return nil, fmt.Errorf("span %q: status %q", v.Name, v.Status)
	}
	var err error
	s.Attrs, err = attrs(v.Attributes)
	return s, err
}

// input is a vector's batch as the renderer takes it.
func (v vector) input() (*model.Resource, []*model.Span, error) {
	res, err := attrs(v.Resource)
	if err != nil {
		return nil, nil, err
	}
	var spans []*model.Span
	for _, vs := range v.Spans {
		s, err := vs.model()
		if err != nil {
			return nil, nil, err
		}
		spans = append(spans, s)
	}
	return &model.Resource{Attrs: res}, spans, nil
}

func TestVectors(t *testing.T) {
	for _, v := range loadVectors(t) {
		v := v
		t.Run(v.Name, func(t *testing.T) {
			if v.Want == nil {
				t.Fatal("vector has no want")
			}
			res, spans, err := v.input()
			if err != nil {
				t.Fatal(err)
			}
			if got := Render(res, spans); got != *v.Want {
				t.Errorf("got:\n%s\nwant:\n%s", got, *v.Want)
			}
		})
	}
}
