// SPDX-License-Identifier: Apache-2.0

package otlp

import (
	"bytes"
	"testing"

	collectortracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"goinstr.dev/rt/internal/model"
	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"
)

func decodeTrace(t *testing.T, b []byte) *collectortracepb.ExportTraceServiceRequest {
	t.Helper()
	var req collectortracepb.ExportTraceServiceRequest
	if err := proto.Unmarshal(b, &req); err != nil {
		t.Fatalf("proto.Unmarshal: %v", err)
	}
	return &req
}

func expectEqual(t *testing.T, what string, got, want proto.Message) {
	t.Helper()
	if !proto.Equal(got, want) {
		t.Errorf("%s differs\ngot:  %s\nwant: %s", what, prototext.Format(got), prototext.Format(want))
	}
}

func TestAppendTraceRequestDecodesFieldByField(t *testing.T) {
	spans := testSpans()
	req := decodeTrace(t, AppendTraceRequest(nil, testResource, testScope, spans))
	if len(req.ResourceSpans) != 1 || len(req.ResourceSpans[0].ScopeSpans) != 1 {
		t.Fatalf("want one ResourceSpans with one ScopeSpans, got %s", prototext.Format(req))
	}
	rs := req.ResourceSpans[0]
	expectEqual(t, "resource", rs.Resource, wantResource(testResource))
	ss := rs.ScopeSpans[0]
	if ss.Scope.GetName() != testScope.Name || ss.Scope.GetVersion() != testScope.Version {
		t.Errorf("scope = %s", prototext.Format(ss.Scope))
	}
	if len(ss.Spans) != len(spans) {
		t.Fatalf("%d spans, want %d", len(ss.Spans), len(spans))
	}
	for i, s := range spans {
		expectEqual(t, "span "+s.Name, ss.Spans[i], wantSpan(s))
	}

	// The points the mirror above could get wrong the same way as the encoder.
	root, child, remote, bare := ss.Spans[0], ss.Spans[1], ss.Spans[2], ss.Spans[3]
	if root.Flags != 0x101 || child.Flags != 0x100 || remote.Flags != 0x301 {
		t.Errorf("flags = %#x %#x %#x, want 0x101 0x100 0x301", root.Flags, child.Flags, remote.Flags)
	}
	if root.ParentSpanId != nil || !bytes.Equal(child.ParentSpanId, []byte{0, 0xf0, 0x67, 0xaa, 0x0b, 0xa9, 0x02, 0xb7}) {
		t.Errorf("parent ids = %x, %x", root.ParentSpanId, child.ParentSpanId)
	}
	if child.Status.GetMessage() != "" || child.Status.GetCode() != tracepb.Status_STATUS_CODE_OK {
		t.Errorf("OK status = %s; its message must not go out", prototext.Format(child.Status))
	}
	if root.Status.GetMessage() != "connection refused" || remote.Status.GetCode() != tracepb.Status_STATUS_CODE_ERROR {
		t.Errorf("error statuses = %s / %s", prototext.Format(root.Status), prototext.Format(remote.Status))
	}
	if bare.Status != nil || bare.Kind != tracepb.Span_SPAN_KIND_UNSPECIFIED || len(bare.Attributes) != 0 {
		t.Errorf("bare span = %s", prototext.Format(bare))
	}
	if remote.EndTimeUnixNano != ^uint64(0) {
		t.Errorf("end = %d", remote.EndTimeUnixNano)
	}
}

// Byte for byte what protobuf itself writes: fields in number order, zero
// values left out, the same length encodings.
func TestAppendTraceRequestMatchesProtoMarshal(t *testing.T) {
	spans := testSpans()
	want, err := proto.MarshalOptions{Deterministic: true}.Marshal(&collectortracepb.ExportTraceServiceRequest{
		ResourceSpans: []*tracepb.ResourceSpans{{
			Resource:   wantResource(testResource),
			ScopeSpans: []*tracepb.ScopeSpans{{Scope: wantScope(testScope), Spans: wantSpans(spans)}},
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := AppendTraceRequest(nil, testResource, testScope, spans); !bytes.Equal(got, want) {
		t.Errorf("encoding differs from proto.Marshal:\ngot  %x\nwant %x", got[:64], want[:64])
	}
}

func wantSpans(spans []*model.Span) []*tracepb.Span {
	var out []*tracepb.Span
	for _, s := range spans {
		out = append(out, wantSpan(s))
	}
	return out
}

func TestAppendTraceRequestEmpty(t *testing.T) {
	for _, tc := range []struct {
		name  string
		res   *model.Resource
		scope model.Scope
	}{
		{"nil resource, empty scope", nil, model.Scope{}},
		{"empty resource", &model.Resource{}, testScope},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := decodeTrace(t, AppendTraceRequest(nil, tc.res, tc.scope, nil))
			if len(req.ResourceSpans) != 1 || len(req.ResourceSpans[0].ScopeSpans) != 1 {
				t.Fatalf("got %s", prototext.Format(req))
			}
			rs := req.ResourceSpans[0]
			// The resource and scope are there even when empty, as the agent sends them.
			if rs.Resource == nil || len(rs.Resource.Attributes) != 0 || rs.ScopeSpans[0].Scope == nil {
				t.Errorf("got %s", prototext.Format(req))
			}
			if n := len(rs.ScopeSpans[0].Spans); n != 0 {
				t.Errorf("%d spans", n)
			}
		})
	}
}

func TestAppendTraceRequestAppendsToTheBuffer(t *testing.T) {
	spans := testSpans()
	prefix := []byte("prefix")
	got := AppendTraceRequest(append([]byte(nil), prefix...), testResource, testScope, spans)
	if !bytes.HasPrefix(got, prefix) || !bytes.Equal(got[len(prefix):], AppendTraceRequest(nil, testResource, testScope, spans)) {
		t.Error("the request is not appended after what the buffer held")
	}
}

func TestInvalidUTF8BecomesReplacementCharacters(t *testing.T) {
	s := &model.Span{TraceID: traceID(1), SpanID: spanID(1), Name: "GET /caf\xc3", Attrs: []model.Attr{
		model.String("k\xff", "a\xe2\x82b\xed\xa0\x80c")}}
	// proto.Unmarshal rejects invalid UTF-8, so decoding at all is the first check.
	span := decodeTrace(t, AppendTraceRequest(nil, nil, testScope, []*model.Span{s})).ResourceSpans[0].ScopeSpans[0].Spans[0]
	if span.Name != "GET /caf\uFFFD" {
		t.Errorf("name = %q", span.Name)
	}
	kv := span.Attributes[0]
	if kv.Key != "k\uFFFD" || kv.Value.GetStringValue() != "a\uFFFD\uFFFDb\uFFFD\uFFFD\uFFFDc" {
		t.Errorf("attribute = %q: %q", kv.Key, kv.Value.GetStringValue())
	}
}

// The encoders allocate nothing once the buffer is big enough.
func TestEncodersDoNotAllocate(t *testing.T) {
	spans := testSpans()
	hists := testHistograms()
	buf := make([]byte, 0, 1<<20)
	for name, encode := range map[string]func(){
		"trace":   func() { buf = AppendTraceRequest(buf[:0], testResource, testScope, spans) },
		"json":    func() { buf = AppendTraceJSON(buf[:0], testResource, testScope, spans) },
		"metrics": func() { buf = AppendMetricsRequest(buf[:0], testResource, testScope, hists) },
	} {
		if n := testing.AllocsPerRun(20, encode); n != 0 {
			t.Errorf("%s: %v allocations per request", name, n)
		}
	}
}
