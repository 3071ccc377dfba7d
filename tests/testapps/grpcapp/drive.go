// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

type step struct {
	kind, arg string
	repeat    int
}

// parseScript reads "KIND:ARG*REPEAT,...": KIND ends at the first ':', REPEAT follows the last
// '*' (when what follows is a number), so a say argument may itself contain ':'.
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
		case "say", "count", "sum", "chat", "cancel":
		default:
			return nil, fmt.Errorf("bad step %q", s)
		}
		steps = append(steps, st)
	}
	return steps, nil
}

func runDrive(target, script, traceparent string, useTLS bool) int {
	steps, err := parseScript(script)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	creds := insecure.NewCredentials()
	if useTLS {
		creds = credentials.NewTLS(&tls.Config{InsecureSkipVerify: true})
	}
	conn, err := grpc.Dial(target, grpc.WithTransportCredentials(creds))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer conn.Close()

	calls, bad := 0, 0
	for _, st := range steps {
		for i := 0; i < st.repeat; i++ {
			calls++
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			if traceparent != "" {
				ctx = metadata.AppendToOutgoingContext(ctx, "traceparent", traceparent)
			}
			if err := runStep(ctx, conn, st); err != nil {
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

func runStep(ctx context.Context, conn *grpc.ClientConn, st step) error {
	switch st.kind {
	case "say":
		want := codes.OK
		if strings.HasPrefix(st.arg, "fail:") {
			name, _, _ := strings.Cut(strings.TrimPrefix(st.arg, "fail:"), ":")
			want = parseCode(name)
		} else if st.arg == "callfail" {
			want = codes.Internal
		}
		err := conn.Invoke(ctx, method("Say"), wrapperspb.String(st.arg), new(wrapperspb.StringValue))
		return expect(err, want)
	case "count":
		return driveCount(ctx, conn, st.arg)
	case "sum":
		return driveSum(ctx, conn, st.arg)
	case "chat":
		n, err := strconv.Atoi(st.arg)
		if err != nil {
			return err
		}
		return driveChat(ctx, conn, n)
	case "cancel":
		ms, err := strconv.Atoi(st.arg)
		if err != nil {
			return err
		}
		return driveCancel(ctx, conn, time.Duration(ms)*time.Millisecond)
	}
	return fmt.Errorf("unknown kind %q", st.kind)
}

// driveCount expects N messages then OK, or for "fail" one message then ABORTED.
func driveCount(ctx context.Context, conn *grpc.ClientConn, arg string) error {
	wantMsgs, wantCode := 1, codes.Aborted
	if arg != "fail" {
		n, err := strconv.Atoi(arg)
		if err != nil {
			return err
		}
		wantMsgs, wantCode = n, codes.OK
	}
	stream, err := conn.NewStream(ctx, countStream, method("Count"))
	if err != nil {
		return expect(err, wantCode)
	}
	if err := stream.SendMsg(wrapperspb.String(arg)); err != nil {
		return err
	}
	if err := stream.CloseSend(); err != nil {
		return err
	}
	got := 0
	for {
		err = stream.RecvMsg(new(wrapperspb.StringValue))
		if err != nil {
			break
		}
		got++
	}
	if errors.Is(err, io.EOF) {
		err = nil
	}
	if got != wantMsgs {
		return fmt.Errorf("got %d messages, want %d", got, wantMsgs)
	}
	return expect(err, wantCode)
}

// driveSum sends N items "a" and expects the reply "N"; "fail" sends "a","fail" and expects
// INVALID_ARGUMENT.
func driveSum(ctx context.Context, conn *grpc.ClientConn, arg string) error {
	items, wantCode := []string{"a", "fail"}, codes.InvalidArgument
	if arg != "fail" {
		n, err := strconv.Atoi(arg)
		if err != nil {
			return err
		}
		items, wantCode = make([]string, n), codes.OK
		for i := range items {
			items[i] = "a"
		}
	}
	stream, err := conn.NewStream(ctx, sumStream, method("Sum"))
	if err != nil {
		return expect(err, wantCode)
	}
	for _, it := range items {
		if err := stream.SendMsg(wrapperspb.String(it)); err != nil {
			break // the real error comes with RecvMsg
		}
	}
	if err := stream.CloseSend(); err != nil {
		return err
	}
	out := new(wrapperspb.StringValue)
	err = stream.RecvMsg(out)
	if err == nil && out.GetValue() != strconv.Itoa(len(items)) {
		return fmt.Errorf("sum replied %q, want %d", out.GetValue(), len(items))
	}
	return expect(err, wantCode)
}

// driveChat sends N messages, reading each echo, then closes its side and expects OK.
func driveChat(ctx context.Context, conn *grpc.ClientConn, n int) error {
	stream, err := conn.NewStream(ctx, chatStream, method("Chat"))
	if err != nil {
		return expect(err, codes.OK)
	}
	for i := 0; i < n; i++ {
		msg := "m" + strconv.Itoa(i)
		if err := stream.SendMsg(wrapperspb.String(msg)); err != nil {
			return err
		}
		out := new(wrapperspb.StringValue)
		if err := stream.RecvMsg(out); err != nil {
			return expect(err, codes.OK)
		}
		if out.GetValue() != msg {
			return fmt.Errorf("echo %q, want %q", out.GetValue(), msg)
		}
	}
	if err := stream.CloseSend(); err != nil {
		return err
	}
	err = stream.RecvMsg(new(wrapperspb.StringValue))
	if err == nil {
		return fmt.Errorf("unexpected extra message")
	}
	if errors.Is(err, io.EOF) {
		return nil
	}
	return expect(err, codes.OK)
}

// driveCancel opens a Chat, exchanges one message, then cancels the call after d without
// closing its side; the client must see CANCELED.
func driveCancel(ctx context.Context, conn *grpc.ClientConn, d time.Duration) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := conn.NewStream(ctx, chatStream, method("Chat"))
	if err != nil {
		return err
	}
	if err := stream.SendMsg(wrapperspb.String("x")); err != nil {
		return err
	}
	if err := stream.RecvMsg(new(wrapperspb.StringValue)); err != nil {
		return err
	}
	time.AfterFunc(d, cancel)
	return expect(stream.RecvMsg(new(wrapperspb.StringValue)), codes.Canceled)
}
