// SPDX-License-Identifier: Apache-2.0

// The gRPC server hooks, called by the woven google.golang.org/grpc
// (data/rules/grpc.yaml): one Server span per RPC, from grpc.(*Server).handleStream
// to the transport's final status, attributed like the eBPF agent's
// (src/agent/grpc_server_spans.cpp). grpc is not imported here: the woven code
// hands over plain values, so a program without grpc links none of it.

package rt

import (
	"context"
	"net"
	"net/http"
	"sync/atomic"

	"goinstr.dev/rt/internal/model"
	"goinstr.dev/rt/internal/tracer"
)

// GRPCServerCall is one incoming RPC's span.
type GRPCServerCall struct {
	span   *tracer.Span
	path   string
	remote net.Addr
	local  net.Addr
	ended  uint32
}

type grpcServerKey struct{}

// grpcNoStatus counts RPCs whose handler returned without grpc writing a
// final status (the span is dropped, as the agent drops it; said at exit).
var grpcNoStatus uint64

// TracesGRPC reports whether goinstr makes gRPC spans in this process: the
// woven grpc asks before doing any work, and otelgrpc (woven too) stands aside
// when it is true, so each RPC has one span.
func TracesGRPC() bool { return tr != nil && cfg.GRPCEnabled }

// GRPCServerStart starts the span of the RPC `path` ("/pkg.Service/Method")
// whose stream context is ctx; traceparent and tracestate are the values of
// those request metadata keys. It returns the context for the handler and the
// call, or ctx and nil when the RPC gets no span (tracing off, or grpc is
// served inside net/http through Server.ServeHTTP, whose HTTP/2 server span
// covers the RPC, as in the agent).
func GRPCServerStart(ctx context.Context, path string, traceparent, tracestate []string,
	remote, local net.Addr) (context.Context, *GRPCServerCall) {
	t := tr
	if t == nil || !cfg.GRPCEnabled || ServerSpanFromContext(ctx) {
		return ctx, nil
	}
	ctx, parent := extractParentValues(ctx, traceparent, tracestate)
	ctx, span := t.StartWithParent(ctx, parent, "grpc", model.KindServer)
	c := &GRPCServerCall{span: span, path: path, remote: remote, local: local}
	return context.WithValue(ctx, grpcServerKey{}, c), c
}

// GRPCServerStatus ends the span of the RPC whose stream context is ctx with
// the status grpc writes (its transport's WriteStatus); a second status of the
// same RPC (grpc writes again after a failed send) changes nothing.
func GRPCServerStatus(ctx context.Context, code uint32, message string) {
	if tr == nil || ctx == nil {
		return
	}
	c, _ := ctx.Value(grpcServerKey{}).(*GRPCServerCall)
	if c == nil || !atomic.CompareAndSwapUint32(&c.ended, 0, 1) {
		return
	}
	recognized := !grpcUnrecognized(code, message)
	setGRPCResult(c.span, c.path, recognized, code, message, grpcServerError(code))
	addAddr(c.span, c.local, keyServerAddress, keyServerPort)
	addAddr(c.span, c.remote, keyClientAddress, keyClientPort, keyNetworkPeerAddress, keyNetworkPeerPort)
	c.span.End()
}

// Done runs when handleStream returns: an RPC that ended without a status is
// counted, not exported.
func (c *GRPCServerCall) Done() {
	if atomic.CompareAndSwapUint32(&c.ended, 0, 1) {
		atomic.AddUint64(&grpcNoStatus, 1)
	}
}

// extractParentValues is extractParent for metadata values.
func extractParentValues(ctx context.Context, traceparent, tracestate []string) (context.Context, model.SpanContext) {
	if len(traceparent) == 0 {
		return ctx, model.SpanContext{}
	}
	if propagator != nil {
		h := http.Header{"Traceparent": traceparent}
		if len(tracestate) > 0 {
			h["Tracestate"] = tracestate
		}
		return extractParent(ctx, h)
	}
	var parent model.SpanContext
	if sc, ok := tracer.ParseTraceparent(traceparent[0]); ok {
		parent = sc
		if len(tracestate) > 0 {
			parent.TraceState = tracestate[0]
		}
	}
	return ctx, parent
}
