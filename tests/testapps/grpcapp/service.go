// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// The service is described by hand: no generated code, so the same source builds against every
// grpc-go release under test. Every message is a wrapperspb.StringValue.
const serviceName = "goinstr.test.Echo"

// echoService is only the HandlerType grpc checks the registered value against.
type echoService interface {
	say(ctx context.Context, in string) (string, error)
}

var echoDesc = grpc.ServiceDesc{
	ServiceName: serviceName,
	HandlerType: (*echoService)(nil),
	Methods:     []grpc.MethodDesc{{MethodName: "Say", Handler: sayHandler}},
	Streams: []grpc.StreamDesc{
		{StreamName: "Count", Handler: countHandler, ServerStreams: true},
		{StreamName: "Sum", Handler: sumHandler, ClientStreams: true},
		{StreamName: "Chat", Handler: chatHandler, ServerStreams: true, ClientStreams: true},
	},
	Metadata: "goinstr/echo.proto",
}

// Client-side descriptions of the three streaming methods.
var (
	countStream = &grpc.StreamDesc{StreamName: "Count", ServerStreams: true}
	sumStream   = &grpc.StreamDesc{StreamName: "Sum", ClientStreams: true}
	chatStream  = &grpc.StreamDesc{StreamName: "Chat", ServerStreams: true, ClientStreams: true}
)

func method(name string) string { return "/" + serviceName + "/" + name }

type server struct {
	peer *grpc.ClientConn // nil without -peer
}

func sayHandler(srv any, ctx context.Context, dec func(any) error, ic grpc.UnaryServerInterceptor) (any, error) {
	in := new(wrapperspb.StringValue)
	if err := dec(in); err != nil {
		return nil, err
	}
	call := func(ctx context.Context, req any) (any, error) {
		out, err := srv.(*server).say(ctx, req.(*wrapperspb.StringValue).GetValue())
		if err != nil {
			return nil, err
		}
		return wrapperspb.String(out), nil
	}
	if ic == nil {
		return call(ctx, in)
	}
	return ic(ctx, in, &grpc.UnaryServerInfo{Server: srv, FullMethod: method("Say")}, call)
}

// parseCode maps a gRPC code name such as NOT_FOUND (or a number) to its code.
func parseCode(name string) codes.Code {
	var c codes.Code
	if err := c.UnmarshalJSON([]byte(strconv.Quote(name))); err != nil {
		return codes.Unknown
	}
	return c
}

func (s *server) say(ctx context.Context, in string) (string, error) {
	switch {
	case in == "ok":
		return "ok", nil
	case strings.HasPrefix(in, "fail:"):
		name, msg, _ := strings.Cut(strings.TrimPrefix(in, "fail:"), ":")
		return "", status.Error(parseCode(name), msg)
	case strings.HasPrefix(in, "sleep:"):
		ms, err := strconv.Atoi(strings.TrimPrefix(in, "sleep:"))
		if err != nil {
			return "", status.Error(codes.InvalidArgument, "bad sleep")
		}
		select {
		case <-time.After(time.Duration(ms) * time.Millisecond):
			return "ok", nil
		case <-ctx.Done():
			return "", status.FromContextError(ctx.Err()).Err()
		}
	case in == "call":
		if err := s.callPeer(ctx, "ok"); err != nil {
			return "", err
		}
		return "called", nil
	case in == "callfail":
		if err := s.callPeer(ctx, "fail:NOT_FOUND:downstream"); err == nil {
			return "", status.Error(codes.FailedPrecondition, "peer did not fail")
		}
		return "", status.Error(codes.Internal, "peer failed")
	case in == "goroutine-call":
		done := make(chan error)
		go func() { done <- s.callPeer(ctx, "ok") }()
		if err := <-done; err != nil {
			return "", err
		}
		return "called", nil
	}
	return "", status.Errorf(codes.InvalidArgument, "unknown request %q", in)
}

// callPeer makes one outgoing Say on the -peer connection with the incoming context.
func (s *server) callPeer(ctx context.Context, req string) error {
	if s.peer == nil {
		return status.Error(codes.FailedPrecondition, "no -peer given")
	}
	return s.peer.Invoke(ctx, method("Say"), wrapperspb.String(req), new(wrapperspb.StringValue))
}

// Count: "N" sends "0".."N-1"; "fail" sends one message and aborts.
func countHandler(_ any, stream grpc.ServerStream) error {
	in := new(wrapperspb.StringValue)
	if err := stream.RecvMsg(in); err != nil {
		return err
	}
	if in.GetValue() == "fail" {
		if err := stream.SendMsg(wrapperspb.String("0")); err != nil {
			return err
		}
		return status.Error(codes.Aborted, "count aborted")
	}
	n, err := strconv.Atoi(in.GetValue())
	if err != nil {
		return status.Error(codes.InvalidArgument, "bad count")
	}
	for i := 0; i < n; i++ {
		if err := stream.SendMsg(wrapperspb.String(strconv.Itoa(i))); err != nil {
			return err
		}
	}
	return nil
}

// Sum replies with the number of messages received; an item "fail" makes it InvalidArgument.
func sumHandler(_ any, stream grpc.ServerStream) error {
	n, bad := 0, false
	for {
		in := new(wrapperspb.StringValue)
		err := stream.RecvMsg(in)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		n++
		bad = bad || in.GetValue() == "fail"
	}
	if bad {
		return status.Error(codes.InvalidArgument, "bad item")
	}
	return stream.SendMsg(wrapperspb.String(strconv.Itoa(n)))
}

// Chat echoes every message until the client closes its side.
func chatHandler(_ any, stream grpc.ServerStream) error {
	for {
		in := new(wrapperspb.StringValue)
		err := stream.RecvMsg(in)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := stream.SendMsg(in); err != nil {
			return err
		}
	}
}
