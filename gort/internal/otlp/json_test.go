// SPDX-License-Identifier: Apache-2.0

package otlp

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"math"
	"os"
	"strings"
	"testing"

	collectortracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"goinstr.dev/rt/internal/model"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"
)

// jsonSpans is the JSON document's spans, decoded loosely.
func jsonSpans(t *testing.T, doc map[string]interface{}) []interface{} {
	t.Helper()
	rs := doc["resourceSpans"].([]interface{})[0].(map[string]interface{})
	ss := rs["scopeSpans"].([]interface{})[0].(map[string]interface{})
	spans, _ := ss["spans"].([]interface{})
	return spans
}

// hexIDsToBase64 rewrites the ids into what protojson reads: it takes bytes
// as base64, and hex digits are valid base64, so a hex id would decode into
// the wrong bytes without an error.
func hexIDsToBase64(t *testing.T, line []byte) []byte {
	t.Helper()
	var doc map[string]interface{}
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, line)
	}
	for _, s := range jsonSpans(t, doc) {
		span := s.(map[string]interface{})
		for _, key := range []string{"traceId", "spanId", "parentSpanId"} {
			if v, ok := span[key].(string); ok {
				raw, err := hex.DecodeString(v)
				if err != nil {
					t.Fatalf("%s %q is not hex", key, v)
				}
				span[key] = base64.StdEncoding.EncodeToString(raw)
			}
		}
	}
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestAppendTraceJSONReadsBackAsTheProtobufRequest(t *testing.T) {
	spans := testSpans()
	line := AppendTraceJSON(nil, testResource, testScope, spans)
	if bytes.ContainsAny(line, "\n") {
		t.Error("the line holds a newline")
	}
	var got collectortracepb.ExportTraceServiceRequest
	if err := protojson.Unmarshal(hexIDsToBase64(t, line), &got); err != nil {
		t.Fatalf("protojson.Unmarshal: %v", err)
	}
	want := decodeTrace(t, AppendTraceRequest(nil, testResource, testScope, spans))
	expectEqual(t, "request read from JSON", &got, want)
}

func TestAppendTraceJSONShapes(t *testing.T) {
	line := AppendTraceJSON(nil, testResource, testScope, testSpans())
	var doc map[string]interface{}
	if err := json.Unmarshal(line, &doc); err != nil {
		t.Fatal(err)
	}
	spans := jsonSpans(t, doc)
	root, child := spans[0].(map[string]interface{}), spans[1].(map[string]interface{})
	want := map[string]interface{}{
		"traceId": "4bf92f3577b34da6a3ce929d0e0e4736", "spanId": "00f067aa0ba902b7",
		"startTimeUnixNano": "1700000000000000000", // 64-bit integers are strings
		"kind":              float64(2),            // enums are numbers
		"flags":             float64(0x101),
	}
	for k, v := range want {
		if root[k] != v {
			t.Errorf("%s = %#v, want %#v", k, root[k], v)
		}
	}
	if _, ok := root["parentSpanId"]; ok {
		t.Error("a root span has a parentSpanId")
	}
	if child["parentSpanId"] != "00f067aa0ba902b7" {
		t.Errorf("parentSpanId = %#v", child["parentSpanId"])
	}
	attr := func(i int) map[string]interface{} {
		return root["attributes"].([]interface{})[i].(map[string]interface{})["value"].(map[string]interface{})
	}
	if v := attr(5)["intValue"]; v != "9223372036854775807" {
		t.Errorf("intValue = %#v, want a string", v)
	}
	if v := attr(8)["boolValue"]; v != false {
		t.Errorf("boolValue = %#v", v)
	}
	if v := attr(12)["doubleValue"]; v != "Infinity" {
		t.Errorf("doubleValue = %#v", v)
	}
	if v := attr(1)["stringValue"]; v != "" {
		t.Errorf("empty stringValue = %#v; it must be present", v)
	}
}

// testdata/agent_lines.jsonl holds lines the runtime agent's printer wrote
// (to_otlp_json(encode_request(...)), protobuf 3.21.12): the first for the
// span built below, whose flags, trace_state and event were set on the
// message directly, since the agent's spans do not carry them; the second
// for a span whose name is every character protobuf escapes and some
// neighbours it does not.
func agentLines(t *testing.T) []string {
	t.Helper()
	f, err := os.Open("testdata/agent_lines.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if len(lines) != 2 {
		t.Fatalf("%d agent lines, want 2", len(lines))
	}
	return lines
}

var agentScope = model.Scope{Name: "goinstr", Version: "0.1.0"}

func TestAppendTraceJSONWritesWhatTheAgentWrites(t *testing.T) {
	var attrs []model.Attr
	for _, d := range []float64{0, math.Copysign(0, -1), 1, 1.5, 0.1, 1e6, 1e15, 1e16, 1e17, 1e21, 1e22,
		123456789012345680000, 1e-5, 1e-7, 0.0001, 1.234567890123456, 0.30000000000000004, 5e-324,
		1.7976931348623157e308, 2.5e-5, 100, 3.14159, math.NaN(), math.Inf(1), math.Inf(-1), 12345678.9} {
		attrs = append(attrs, model.Double("d", d))
	}
	attrs = append(attrs, model.Int("i", -5), model.Bool("b", false), model.Bool("t", true),
		model.String("s", ""), model.Int("z", 0))
	span := &model.Span{
		TraceID: model.TraceID{0x4b, 0xf9, 0x2f, 0x35, 0x77, 0xb3, 0x4d, 0xa6, 0xa3, 0xce, 0x92, 0x9d, 0x0e, 0x0e, 0x47, 0x36},
		SpanID:  spanID(0xb7), ParentSpanID: model.SpanID{7: 1}, ParentRemote: true, Flags: 1, TraceState: "k=v",
		Name: "a\"b\\c\n\t\x01<>&\x7f\u00e9\u2028\U0001F600 '/", Kind: model.KindServer,
		StartNs: 1, EndNs: -1, Attrs: attrs,
		Events: []model.Event{{Name: "ev", TimeNs: 7, Attrs: []model.Attr{model.Int("e", 3)}}},
		Status: model.StatusError, StatusMessage: "boom",
	}
	want := agentLines(t)[0]
	if got := string(AppendTraceJSON(nil, &model.Resource{}, agentScope, []*model.Span{span})); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestAppendTraceJSONEscapesAsProtobufDoes(t *testing.T) {
	want := agentLines(t)[1]
	var doc map[string]interface{}
	if err := json.Unmarshal([]byte(want), &doc); err != nil {
		t.Fatal(err)
	}
	name := jsonSpans(t, doc)[0].(map[string]interface{})["name"].(string)
	if !strings.Contains(name, "\u2028") || !strings.Contains(name, "\U000E007F") {
		t.Fatalf("the agent line does not hold the escaped characters: %q", name)
	}
	span := &model.Span{Name: name, Kind: model.KindInternal}
	got := string(AppendTraceJSON(nil, nil, agentScope, []*model.Span{span}))
	// The agent's spans carry no Span.flags; ours always say HAS_IS_REMOTE.
	got = strings.Replace(got, `,"flags":256}`, "}", 1)
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestAppendTraceJSONEmptyAndInvalidUTF8(t *testing.T) {
	want := `{"resourceSpans":[{"resource":{},"scopeSpans":[{"scope":{}}]}]}`
	if got := string(AppendTraceJSON(nil, nil, model.Scope{}, nil)); got != want {
		t.Errorf("empty request = %s, want %s", got, want)
	}
	s := &model.Span{Name: "caf\xc3", Attrs: []model.Attr{model.String("k", "\xff<")}}
	line := AppendTraceJSON(nil, nil, agentScope, []*model.Span{s})
	var got collectortracepb.ExportTraceServiceRequest
	if err := protojson.Unmarshal(hexIDsToBase64(t, line), &got); err != nil {
		t.Fatalf("%v\n%s", err, line)
	}
	span := got.ResourceSpans[0].ScopeSpans[0].Spans[0]
	if span.Name != "caf\uFFFD" || span.Attributes[0].Value.GetStringValue() != "\uFFFD<" {
		t.Errorf("got %s", prototext.Format(span))
	}
	if !proto.Equal(span, decodeTrace(t, AppendTraceRequest(nil, nil, agentScope, []*model.Span{s})).ResourceSpans[0].ScopeSpans[0].Spans[0]) {
		t.Error("JSON and protobuf replace invalid UTF-8 differently")
	}
}
