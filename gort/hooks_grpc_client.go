// SPDX-License-Identifier: Apache-2.0

// The gRPC client hooks, called by the woven google.golang.org/grpc: one Client
// span per call (unary or stream), from newClientStream to clientStream.finish,
// a child of the caller's span, with traceparent put into the outgoing
// metadata; attributes as the agent's (src/agent/grpc_client_spans.cpp).

package rt

import (
	"context"
	"net"
	"net/http"
	"strings"
	"sync/atomic"

	"goinstr.dev/rt/internal/model"
	"goinstr.dev/rt/internal/tracer"
)

// GRPCClientCall is one outgoing call's span.
type GRPCClientCall struct {
	span      *tracer.Span
	path      string
	authority string
	peer      atomic.Value // net.Addr of the connection the last attempt used
	ended     uint32
}

type grpcClientKey struct{}

type peerAddr struct{ a net.Addr }

// GRPCClientStart starts the span of a call to `path` on a connection to
// `authority`. It returns the call's context, the call (nil when tracing is
// off) and the metadata to send ("traceparent", value, ...).
func GRPCClientStart(ctx context.Context, authority, path string) (context.Context, *GRPCClientCall, []string) {
	t := tr
	if t == nil || !cfg.GRPCEnabled {
		return ctx, nil, nil
	}
	ctx, span := t.Start(ctx, "grpc", model.KindClient)
	c := &GRPCClientCall{span: span, path: path, authority: authority}
	ctx = context.WithValue(ctx, grpcClientKey{}, c)
	return ctx, c, outgoingMetadata(ctx, span)
}

// GRPCClientCallFrom is the call whose context is ctx (or derives from it).
func GRPCClientCallFrom(ctx context.Context) *GRPCClientCall {
	if tr == nil || ctx == nil {
		return nil
	}
	c, _ := ctx.Value(grpcClientKey{}).(*GRPCClientCall)
	return c
}

// SetPeer records the connection an attempt of the call uses.
func (c *GRPCClientCall) SetPeer(a net.Addr) {
	if c != nil && a != nil {
		c.peer.Store(peerAddr{a})
	}
}

// End ends the span once: with a gRPC status (`fromStatus`), or with `err`,
// which carried none (UNKNOWN, error.type its Go type).
func (c *GRPCClientCall) End(code uint32, message string, err error, fromStatus bool) {
	if c == nil || !atomic.CompareAndSwapUint32(&c.ended, 0, 1) {
		return
	}
	span := c.span
	setGRPCResult(span, c.path, true, code, message, code != 0)
	if !fromStatus && err != nil {
		span.Set(model.String(keyErrorType, errorTypeOf(err)))
		if message == "" {
			span.SetError(errorTypeOf(err))
		}
	}
	if p, ok := c.peer.Load().(peerAddr); ok {
		addAddr(span, p.a, keyNetworkPeerAddress, keyNetworkPeerPort)
	}
	host, port := splitHostPort(c.authority)
	if host != "" {
		span.Add(model.String(keyServerAddress, host))
		if port > 0 {
			span.Add(model.Int(keyServerPort, int64(port)))
		}
	}
	span.End()
}

// outgoingMetadata is the trace context to send, as lower-case metadata.
func outgoingMetadata(ctx context.Context, span *tracer.Span) []string {
	if propagator == nil {
		sc := span.Context()
		if sc.TraceState != "" {
			return []string{"traceparent", tracer.FormatTraceparent(sc), "tracestate", sc.TraceState}
		}
		return []string{"traceparent", tracer.FormatTraceparent(sc)}
	}
	h := http.Header{}
	injectContext(ctx, span, h)
	kv := make([]string, 0, 2*len(h))
	for k, vs := range h {
		for _, v := range vs {
			kv = append(kv, strings.ToLower(k), v)
		}
	}
	return kv
}
