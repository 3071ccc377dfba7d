// SPDX-License-Identifier: Apache-2.0

// gRPC attributes as the eBPF agent writes them (src/agent/grpc_attributes.cpp):
// semantic conventions v1.44.0, rpc.system.name, rpc.method as
// "package.Service/Method" (also the span name), rpc.response.status_code as
// the code's name.

package rt

import (
	"net"
	"strconv"
	"strings"

	"goinstr.dev/rt/internal/model"
	"goinstr.dev/rt/internal/tracer"
)

const (
	keyRPCSystemName         = "rpc.system.name"
	keyRPCMethod             = "rpc.method"
	keyRPCMethodOriginal     = "rpc.method_original"
	keyRPCResponseStatusCode = "rpc.response.status_code"
	keyNetworkPeerAddress    = "network.peer.address"
	keyNetworkPeerPort       = "network.peer.port"
)

const (
	grpcUnknown       = 2
	grpcUnimplemented = 12
)

var grpcCodeNames = [...]string{"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT",
	"DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
	"FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE",
	"DATA_LOSS", "UNAUTHENTICATED"}

// grpcCodeName is "OK", "NOT_FOUND", ...; a code outside 0..16 as its number.
func grpcCodeName(code uint32) string {
	if int(code) < len(grpcCodeNames) {
		return grpcCodeNames[code]
	}
	return strconv.FormatUint(uint64(code), 10)
}

// grpcServerError: the codes the conventions call errors for a server.
func grpcServerError(code uint32) bool {
	switch code {
	case 2, 4, 12, 13, 14, 15: // UNKNOWN DEADLINE_EXCEEDED UNIMPLEMENTED INTERNAL UNAVAILABLE DATA_LOSS
		return true
	}
	return false
}

// grpcMethod is "/package.Service/Method" without its slash; "" when the
// path is not of that form.
func grpcMethod(path string) string {
	if len(path) < 4 || path[0] != '/' {
		return ""
	}
	rest := path[1:]
	slash := strings.IndexByte(rest, '/')
	if slash <= 0 || slash+1 == len(rest) || strings.IndexByte(rest[slash+1:], '/') >= 0 {
		return ""
	}
	return rest
}

// grpcUnrecognized: the server answered UNIMPLEMENTED because it does not
// know the method (grpc's own messages), so the method is _OTHER.
func grpcUnrecognized(code uint32, message string) bool {
	return code == grpcUnimplemented && (strings.HasPrefix(message, "unknown service ") ||
		strings.HasPrefix(message, "unknown method ") ||
		strings.HasPrefix(message, "malformed method name"))
}

// setGRPCResult names the span and records the method, the status code and,
// when `failed`, status Error with the message and error.type.
func setGRPCResult(span *tracer.Span, path string, recognized bool, code uint32, message string, failed bool) {
	method := grpcMethod(path)
	span.Add(model.String(keyRPCSystemName, "grpc"))
	if recognized && method != "" {
		span.SetName(method)
		span.Add(model.String(keyRPCMethod, method))
	} else {
		span.SetName("grpc") // semconv: {rpc.system.name} when the method is _OTHER
		span.Add(model.String(keyRPCMethod, "_OTHER"))
		if path != "" {
			span.Add(model.String(keyRPCMethodOriginal, path))
		}
	}
	name := grpcCodeName(code)
	span.Add(model.String(keyRPCResponseStatusCode, name),
		model.String(keyNetworkProtocolVersion, "2"))
	if failed {
		span.Add(model.String(keyErrorType, name))
		span.SetError(message)
	}
}

// addAddr adds a TCP address under each pair of keys (address, port) in
// keys; nothing for other kinds of address.
func addAddr(span *tracer.Span, a net.Addr, keys ...string) {
	tcp, ok := a.(*net.TCPAddr)
	if !ok || tcp == nil {
		return
	}
	ip := tcp.IP.String()
	for i := 0; i+1 < len(keys); i += 2 {
		span.Add(model.String(keys[i], ip), model.Int(keys[i+1], int64(tcp.Port)))
	}
}
