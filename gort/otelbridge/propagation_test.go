// SPDX-License-Identifier: Apache-2.0

// The program's global propagator carries the context in and out of HTTP
// requests: W3C trace context and baggage by default, or whatever the program
// chose; through the bridge's Extract/Inject and through goinstr's hooks.

package otelbridge

import (
	"context"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"testing"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/baggage"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	rt "goinstr.dev/rt"
	"goinstr.dev/rt/internal/model"
)

const incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

func TestExtract(t *testing.T) {
	f := installed(t)
	h := http.Header{}
	h.Set("traceparent", incoming)
	h.Set("tracestate", "vendor=x")
	h.Set("baggage", "user=alice,tenant=t1")
	ctx, sc := f.b.Extract(context.Background(), h)
	if hex.EncodeToString(sc.TraceID[:]) != "4bf92f3577b34da6a3ce929d0e0e4736" ||
		hex.EncodeToString(sc.SpanID[:]) != "00f067aa0ba902b7" || !sc.Remote || sc.Flags != model.FlagSampled ||
		sc.TraceState != "vendor=x" {
		t.Errorf("span context %+v", sc)
	}
	if b := baggage.FromContext(ctx); b.Member("user").Value() != "alice" || b.Member("tenant").Value() != "t1" {
		t.Errorf("baggage %q", b.String())
	}

	h = http.Header{"Baggage": {"user=bob"}}
	ctx, sc = f.b.Extract(context.Background(), h)
	if sc.IsValid() || baggage.FromContext(ctx).Member("user").Value() != "bob" {
		t.Errorf("without traceparent: %+v, baggage %q", sc, baggage.FromContext(ctx).String())
	}
	// A context that already holds a local span is no remote parent.
	local, _ := rt.StartFunc(context.Background(), "local")
	if _, sc := f.b.Extract(local, http.Header{}); sc.IsValid() {
		t.Errorf("a local span taken for a remote parent: %+v", sc)
	}
}

func TestInject(t *testing.T) {
	f := installed(t)
	member, _ := baggage.NewMember("user", "alice")
	bag, _ := baggage.New(member)
	ctx, _ := rt.StartFunc(baggage.ContextWithBaggage(context.Background(), bag), "main.call")
	sc := trace.SpanContextFromContext(ctx)
	h := http.Header{}
	f.b.Inject(ctx, h)
	if want := "00-" + sc.TraceID().String() + "-" + sc.SpanID().String() + "-01"; h.Get("traceparent") != want {
		t.Errorf("traceparent %q, want %q", h.Get("traceparent"), want)
	}
	if h.Get("baggage") != "user=alice" {
		t.Errorf("baggage %q", h.Get("baggage"))
	}

	// The program chose another propagator: goinstr uses it.
	otel.SetTextMapPropagator(propagation.TraceContext{})
	h = http.Header{}
	f.b.Inject(ctx, h)
	if h.Get("traceparent") == "" || h.Get("baggage") != "" {
		t.Errorf("with the program's propagator: %v", h)
	}
}

// TestHooksCarryContextAndBaggage: a request comes in with traceparent and
// baggage, the handler calls another service; the outgoing request carries
// the client span's traceparent and the same baggage.
func TestHooksCarryContextAndBaggage(t *testing.T) {
	f := installed(t)
	in := httptest.NewRequest("GET", "http://shop/checkout", nil)
	in.Header.Set("traceparent", incoming)
	in.Header.Set("baggage", "user=alice")
	in2, endServer := serveHTTPHook(in)
	if baggage.FromContext(in2.Context()).Member("user").Value() != "alice" {
		t.Error("the handler does not see the incoming baggage")
	}

	out, _ := http.NewRequestWithContext(in2.Context(), "GET", "http://payments/charge", nil)
	out2, endClient := roundTripHook(&http.Transport{}, out)
	endClient(&http.Response{StatusCode: 200}, nil)
	endServer(200, nil)

	spans := f.spans()
	if len(spans) != 2 {
		t.Fatalf("%d spans", len(spans))
	}
	var server, client model.Span
	for _, s := range spans {
		switch s.Kind {
		case model.KindServer:
			server = s
		case model.KindClient:
			client = s
		}
	}
	if hex.EncodeToString(server.ParentSpanID[:]) != "00f067aa0ba902b7" || !server.ParentRemote ||
		client.ParentSpanID != server.SpanID || client.TraceID != server.TraceID {
		t.Errorf("server %+v\nclient %+v", server, client)
	}
	want := "00-" + hex.EncodeToString(client.TraceID[:]) + "-" + hex.EncodeToString(client.SpanID[:]) + "-01"
	if got := out2.Header.Get("traceparent"); got != want {
		t.Errorf("outgoing traceparent %q, want %q", got, want)
	}
	if got := out2.Header.Get("baggage"); got != "user=alice" {
		t.Errorf("outgoing baggage %q", got)
	}
	if out.Header.Get("traceparent") != "" {
		t.Error("the caller's request was modified")
	}
}
