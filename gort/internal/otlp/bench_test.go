// SPDX-License-Identifier: Apache-2.0

package otlp

import (
	"testing"

	"goinstr.dev/rt/internal/model"
)

// benchSpans is a batch as a busy service exports it: 512 server and client
// spans of ten attributes each.
func benchSpans() []*model.Span {
	spans := make([]*model.Span, 512)
	for i := range spans {
		spans[i] = &model.Span{
			TraceID: traceID(byte(i)), SpanID: spanID(byte(i)), ParentSpanID: spanID(byte(i + 1)),
			Flags: model.FlagSampled, Name: "GET /api/v1/orders/{id}", Kind: model.KindServer,
			StartNs: 1700000000000000000 + int64(i)*1000, EndNs: 1700000000000000000 + int64(i)*1000 + 1234567,
			Attrs: []model.Attr{
				model.String("http.request.method", "GET"),
				model.String("url.path", "/api/v1/orders/12345"),
				model.String("url.scheme", "http"),
				model.String("http.route", "/api/v1/orders/{id}"),
				model.Int("http.response.status_code", 200),
				model.String("server.address", "orders.internal"),
				model.Int("server.port", 8080),
				model.String("client.address", "10.1.2.3"),
				model.String("user_agent.original", "Go-http-client/1.1"),
				model.String("network.protocol.version", "1.1"),
			},
		}
	}
	return spans
}

func benchmarkEncoder(b *testing.B, encode func([]byte, *model.Resource, model.Scope, []*model.Span) []byte) {
	spans := benchSpans()
	buf := encode(nil, testResource, testScope, spans)
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		buf = encode(buf[:0], testResource, testScope, spans)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(spans)), "ns/span")
}

func BenchmarkAppendTraceRequest(b *testing.B) { benchmarkEncoder(b, AppendTraceRequest) }
func BenchmarkAppendTraceJSON(b *testing.B)    { benchmarkEncoder(b, AppendTraceJSON) }
