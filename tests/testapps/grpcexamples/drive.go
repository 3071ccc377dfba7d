// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	hw "google.golang.org/grpc/examples/helloworld/helloworld"
	rg "google.golang.org/grpc/examples/route_guide/routeguide"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

type step struct {
	kind, arg string
	repeat    int
}

// parseScript reads "KIND:ARG*REPEAT,...": KIND ends at the first ':', REPEAT follows the last
// '*' (when what follows is a number).
func parseScript(script string) ([]step, error) {
	var steps []step
	for _, s := range strings.Split(script, ",") {
		st := step{repeat: 1}
		if i := strings.LastIndex(s, "*"); i >= 0 {
			if n, err := strconv.Atoi(s[i+1:]); err == nil {
				st.repeat, s = n, s[:i]
			}
		}
		st.kind, st.arg, _ = strings.Cut(s, ":")
		switch st.kind {
		case "hello", "feature", "list", "record", "chat":
		default:
			return nil, fmt.Errorf("bad step %q", s)
		}
		steps = append(steps, st)
	}
	return steps, nil
}

type clients struct {
	greeter hw.GreeterClient
	guide   rg.RouteGuideClient
}

func runDrive(target, script, traceparent string) int {
	steps, err := parseScript(script)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	conn, err := grpc.NewClient(target, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer conn.Close()
	c := clients{hw.NewGreeterClient(conn), rg.NewRouteGuideClient(conn)}

	calls, bad := 0, 0
	for _, st := range steps {
		for i := 0; i < st.repeat; i++ {
			calls++
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			if traceparent != "" {
				ctx = metadata.AppendToOutgoingContext(ctx, "traceparent", traceparent)
			}
			if err := c.run(ctx, st); err != nil {
				bad++
				fmt.Fprintf(os.Stderr, "call %d (%s:%s #%d): %v\n", calls, st.kind, st.arg, i+1, err)
			}
			cancel()
		}
	}
	fmt.Printf("drive: %d calls, %d as expected, %d unexpected\n", calls, calls-bad, bad)
	if bad > 0 {
		return 1
	}
	return 0
}

// expect compares a call's final error with the code the step expects.
func expect(err error, want codes.Code) error {
	if got := status.Code(err); got != want {
		return fmt.Errorf("got %v (%v), want %v", got, err, want)
	}
	return nil
}

func (c clients) run(ctx context.Context, st step) error {
	switch st.kind {
	case "hello":
		want := codes.OK
		if st.arg == "fail" {
			want = codes.PermissionDenied
		}
		r, err := c.greeter.SayHello(ctx, &hw.HelloRequest{Name: st.arg})
		if err == nil && r.GetMessage() != "Hello "+st.arg {
			return fmt.Errorf("reply %q", r.GetMessage())
		}
		return expect(err, want)
	case "feature":
		lat, lon, _ := strings.Cut(st.arg, ":")
		la, err1 := strconv.Atoi(lat)
		lo, err2 := strconv.Atoi(lon)
		if err := errors.Join(err1, err2); err != nil {
			return err
		}
		want := codes.OK
		if la == 0 && lo == 0 {
			want = codes.InvalidArgument
		}
		_, err := c.guide.GetFeature(ctx, &rg.Point{Latitude: int32(la), Longitude: int32(lo)})
		return expect(err, want)
	case "list":
		return c.list(ctx)
	case "record", "chat":
		k, err := strconv.Atoi(st.arg)
		if err != nil {
			return err
		}
		if st.kind == "record" {
			return c.record(ctx, k)
		}
		return c.chat(ctx, k)
	}
	return fmt.Errorf("unknown kind %q", st.kind)
}

// list asks for the whole world and expects every feature the server defines.
func (c clients) list(ctx context.Context) error {
	world := &rg.Rectangle{
		Lo: &rg.Point{Latitude: -900000000, Longitude: -1800000000},
		Hi: &rg.Point{Latitude: 900000000, Longitude: 1800000000},
	}
	stream, err := c.guide.ListFeatures(ctx, world)
	if err != nil {
		return expect(err, codes.OK)
	}
	n := 0
	for {
		_, err = stream.Recv()
		if err != nil {
			break
		}
		n++
	}
	if !errors.Is(err, io.EOF) {
		return expect(err, codes.OK)
	}
	if n != len(features) {
		return fmt.Errorf("got %d features, want %d", n, len(features))
	}
	return nil
}

// record sends k points and expects a summary counting them.
func (c clients) record(ctx context.Context, k int) error {
	stream, err := c.guide.RecordRoute(ctx)
	if err != nil {
		return expect(err, codes.OK)
	}
	for i := 0; i < k; i++ {
		if err := stream.Send(&rg.Point{Latitude: int32(i), Longitude: int32(i)}); err != nil {
			break // the real error comes with CloseAndRecv
		}
	}
	sum, err := stream.CloseAndRecv()
	if err == nil && sum.GetPointCount() != int32(k) {
		return fmt.Errorf("point count %d, want %d", sum.GetPointCount(), k)
	}
	return expect(err, codes.OK)
}

// chat sends k notes, reading each echo, then closes its side and expects OK.
func (c clients) chat(ctx context.Context, k int) error {
	stream, err := c.guide.RouteChat(ctx)
	if err != nil {
		return expect(err, codes.OK)
	}
	for i := 0; i < k; i++ {
		msg := "note " + strconv.Itoa(i)
		if err := stream.Send(&rg.RouteNote{Location: &rg.Point{Latitude: int32(i % 2)}, Message: msg}); err != nil {
			return err
		}
		got, err := stream.Recv()
		if err != nil {
			return expect(err, codes.OK)
		}
		if got.GetMessage() != msg {
			return fmt.Errorf("reply %q, want %q", got.GetMessage(), msg)
		}
	}
	if err := stream.CloseSend(); err != nil {
		return err
	}
	if _, err := stream.Recv(); !errors.Is(err, io.EOF) {
		if err == nil {
			return fmt.Errorf("unexpected extra note")
		}
		return expect(err, codes.OK)
	}
	return nil
}
