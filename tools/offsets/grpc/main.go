// SPDX-License-Identifier: Apache-2.0

// The program `tools/gen_offsets.sh modules` builds once per google.golang.org/grpc version (it
// writes a go.mod for each, so there is none here) to read grpc and golang.org/x/net offsets from
// its DWARF. It links a gRPC server with a registered service, a gRPC client that makes unary and
// streaming calls, and an x/net h2c server; it is never run. The service is written by hand with
// grpc.ServiceDesc and wrapperspb messages, so no generated code is needed, and it only uses API
// that every grpc version since v1.60.0 has (grpc.Dial, not grpc.NewClient).
package main

import (
	"context"
	"net"
	"net/http"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/h2c"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/peer"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

type echoServer interface {
	Echo(context.Context, *wrapperspb.StringValue) (*wrapperspb.StringValue, error)
}

type echo struct{}

func (echo) Echo(ctx context.Context, in *wrapperspb.StringValue) (*wrapperspb.StringValue, error) {
	if p, ok := peer.FromContext(ctx); ok && p.Addr == nil {
		return nil, status.Error(codes.Internal, "no peer address")
	}
	return wrapperspb.String(in.GetValue()), nil
}

func echoHandler(srv interface{}, ctx context.Context, dec func(interface{}) error,
	_ grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(wrapperspb.StringValue)
	if err := dec(in); err != nil {
		return nil, err
	}
	return srv.(echoServer).Echo(ctx, in)
}

func streamHandler(_ interface{}, stream grpc.ServerStream) error {
	in := new(wrapperspb.StringValue)
	if err := stream.RecvMsg(in); err != nil {
		return err
	}
	return stream.SendMsg(in)
}

var serviceDesc = grpc.ServiceDesc{
	ServiceName: "goinstr.Echo",
	HandlerType: (*echoServer)(nil),
	Methods:     []grpc.MethodDesc{{MethodName: "Echo", Handler: echoHandler}},
	Streams: []grpc.StreamDesc{{
		StreamName: "Chat", Handler: streamHandler, ServerStreams: true, ClientStreams: true,
	}},
}

func main() {
	ctx := context.Background()

	srv := grpc.NewServer()
	srv.RegisterService(&serviceDesc, echo{})
	if ln, err := net.Listen("tcp", "127.0.0.1:0"); err == nil {
		go func() { _ = srv.Serve(ln) }()
	}

	conn, err := grpc.Dial("127.0.0.1:1", grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err == nil {
		out := new(wrapperspb.StringValue)
		err = conn.Invoke(ctx, "/goinstr.Echo/Echo", wrapperspb.String("hi"), out)
		if s, ok := status.FromError(err); ok {
			_ = s.Code()
		}
		if cs, err := conn.NewStream(ctx, &serviceDesc.Streams[0], "/goinstr.Echo/Chat"); err == nil {
			_ = cs.SendMsg(wrapperspb.String("hi"))
		}
		_ = conn.Close()
	}

	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok")) })
	_ = http.ListenAndServe("127.0.0.1:0", h2c.NewHandler(mux, &http2.Server{}))
}
