// SPDX-License-Identifier: Apache-2.0

// gRPC hook tests: the hooks called the way the woven grpc calls them
// (data/rules/grpc.yaml), with the attributes the agent's spans carry.

package rt

import (
	"context"
	"encoding/hex"
	"errors"
	"net"
	"testing"

	"goinstr.dev/rt/internal/model"
	"goinstr.dev/rt/internal/tracer"
)

func useGRPC(t *testing.T) *testTracer {
	tt := useTestTracer(t)
	old := cfg.GRPCEnabled
	cfg.GRPCEnabled = true
	t.Cleanup(func() { cfg.GRPCEnabled = old })
	return tt
}

var (
	serverAddr = &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 50051}
	clientAddr = &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 41000}
)

func TestGRPCServerSpan(t *testing.T) {
	tt := useGRPC(t)
	tp := "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
	ctx, call := GRPCServerStart(context.Background(), "/pkg.Echo/Say", []string{tp}, nil, clientAddr, serverAddr)
	if call == nil || tracer.SpanFrom(ctx) == nil {
		t.Fatal("no span in the handler's context")
	}
	GRPCServerStatus(ctx, 13, "boom")
	GRPCServerStatus(ctx, 0, "") // a second status changes nothing
	call.Done()
	s := tt.only()
	if s.Name != "pkg.Echo/Say" || hex.EncodeToString(s.TraceID[:]) != "0af7651916cd43dd8448eb211c80319c" {
		t.Errorf("name %q trace %s", s.Name, hex.EncodeToString(s.TraceID[:]))
	}
	wantKind(t, s, model.KindServer)
	wantStatus(t, s, model.StatusError, "boom")
	wantAttrs(t, s, map[string]interface{}{
		"rpc.system.name": "grpc", "rpc.method": "pkg.Echo/Say", "rpc.response.status_code": "INTERNAL",
		"network.protocol.version": "2", "error.type": "INTERNAL",
		"server.address": "127.0.0.1", "server.port": int64(50051),
		"client.address": "127.0.0.1", "client.port": int64(41000),
		"network.peer.address": "127.0.0.1", "network.peer.port": int64(41000),
	})
	if grpcNoStatus != 0 {
		t.Errorf("%d calls without a status", grpcNoStatus)
	}
}

func TestGRPCServerCodesAndUnknownMethods(t *testing.T) {
	tt := useGRPC(t)
	for _, c := range []struct {
		path    string
		code    uint32
		msg     string
		name    string
		isError bool
	}{
		{"/pkg.Echo/Say", 5, "nope", "pkg.Echo/Say", false}, // NOT_FOUND: no server error
		{"/pkg.Echo/Say", 14, "down", "pkg.Echo/Say", true}, // UNAVAILABLE: one
		{"/pkg.Nope/X", 12, "unknown service pkg.Nope", "grpc", true},
	} {
		ctx, _ := GRPCServerStart(context.Background(), c.path, nil, nil, clientAddr, serverAddr)
		GRPCServerStatus(ctx, c.code, c.msg)
		s := tt.only()
		tt.reset()
		if s.Name != c.name || (s.Status == model.StatusError) != c.isError {
			t.Errorf("%s %d: name %q status %v", c.path, c.code, s.Name, s.Status)
		}
		if c.name == "grpc" {
			wantSome(t, s, map[string]interface{}{"rpc.method": "_OTHER", "rpc.method_original": "/pkg.Nope/X"})
		}
	}
}

func TestGRPCServerWithoutStatusIsCounted(t *testing.T) {
	tt := useGRPC(t)
	before := grpcNoStatus
	t.Cleanup(func() { grpcNoStatus = before })
	_, call := GRPCServerStart(context.Background(), "/pkg.Echo/Say", nil, nil, clientAddr, serverAddr)
	call.Done()
	if len(tt.spans()) != 0 || grpcNoStatus != before+1 {
		t.Errorf("spans %d, no-status count %d", len(tt.spans()), grpcNoStatus-before)
	}
}

func TestGRPCOffMakesNothing(t *testing.T) {
	tt := useTestTracer(t)
	cfg.GRPCEnabled = false
	if TracesGRPC() {
		t.Fatal("TracesGRPC with instrumentation.grpc.enabled false")
	}
	ctx, call := GRPCServerStart(context.Background(), "/pkg.Echo/Say", nil, nil, nil, nil)
	GRPCServerStatus(ctx, 0, "")
	if call != nil || len(tt.spans()) != 0 {
		t.Error("a span with gRPC off")
	}
}

func TestGRPCClientSpan(t *testing.T) {
	tt := useGRPC(t)
	parentCtx, parent := tt.tr.Start(context.Background(), "parent", model.KindServer)
	ctx, call, md := GRPCClientStart(parentCtx, "localhost:50051", "/pkg.Echo/Say")
	if GRPCClientCallFrom(ctx) != call || len(md) != 2 || md[0] != "traceparent" {
		t.Fatalf("call %v metadata %q", call, md)
	}
	call.SetPeer(serverAddr)
	call.End(5, "nope", errors.New("rpc error"), true)
	call.End(0, "", nil, true) // finish runs again when the context ends
	parent.End()
	spans := tt.spans()
	if len(spans) != 2 {
		t.Fatalf("%d spans", len(spans))
	}
	s := spans[0]
	if s.ParentSpanID != parent.Context().SpanID || md[1] != tracer.FormatTraceparent(model.SpanContext{
		TraceID: s.TraceID, SpanID: s.SpanID, Flags: s.Flags}) {
		t.Errorf("parent %s, traceparent %q", s.ParentSpanID, md[1])
	}
	wantKind(t, s, model.KindClient)
	wantStatus(t, s, model.StatusError, "nope")
	wantAttrs(t, s, map[string]interface{}{
		"rpc.system.name": "grpc", "rpc.method": "pkg.Echo/Say", "rpc.response.status_code": "NOT_FOUND",
		"network.protocol.version": "2", "error.type": "NOT_FOUND",
		"server.address": "localhost", "server.port": int64(50051),
		"network.peer.address": "127.0.0.1", "network.peer.port": int64(50051),
	})
}

func TestGRPCClientErrorWithoutStatus(t *testing.T) {
	tt := useGRPC(t)
	_, call, _ := GRPCClientStart(context.Background(), "127.0.0.1:1", "/pkg.Echo/Say")
	call.End(grpcUnknown, "dial failed", &net.OpError{Op: "dial", Err: errors.New("dial failed")}, false)
	s := tt.only()
	wantStatus(t, s, model.StatusError, "dial failed")
	wantSome(t, s, map[string]interface{}{"rpc.response.status_code": "UNKNOWN", "error.type": "*net.OpError"})
}

// wantSome checks the attributes `want` names and ignores the others.
func wantSome(t *testing.T, s model.Span, want map[string]interface{}) {
	t.Helper()
	got := attrMap(t, s.Attrs)
	for k, v := range want {
		if got[k] != v {
			t.Errorf("span %s: %s = %v, want %v", s.Name, k, got[k], v)
		}
	}
}
