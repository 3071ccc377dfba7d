// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// runLoad sends unary Say("ok") calls to target at a fixed rate for a while, for the benchmark
// (scripts/bench-streams.sh): an open model, one call due every 1/rate whatever the earlier ones
// do, at most maxInFlight at a time over one connection (a call due while that many are open is
// counted late and skipped; with lateOK, as for a saturation run, that is no failure). Prints one
// summary line; fails on any error, or on a skipped call without lateOK.
func runLoad(target string, rate int, d time.Duration, lateOK bool) int {
	const maxInFlight = 512
	conn, err := grpc.Dial(target, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer conn.Close()
	var ok, failed, late atomic.Int64
	slots := make(chan struct{}, maxInFlight)
	var wg sync.WaitGroup
	interval := time.Second / time.Duration(rate)
	start := time.Now()
	total := int64(d / interval)
	for i := int64(0); i < total; i++ {
		if wait := time.Until(start.Add(time.Duration(i) * interval)); wait > 0 {
			time.Sleep(wait)
		}
		select {
		case slots <- struct{}{}:
		default:
			late.Add(1)
			continue
		}
		wg.Add(1)
		go func() {
			defer func() { <-slots; wg.Done() }()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			err := conn.Invoke(ctx, method("Say"), wrapperspb.String("ok"), new(wrapperspb.StringValue))
			if err != nil {
				failed.Add(1)
				return
			}
			ok.Add(1)
		}()
	}
	wg.Wait()
	elapsed := time.Since(start).Seconds()
	fmt.Printf("load: %d calls, %d ok, %d errors, %d late, %.0f/s\n", total, ok.Load(),
		failed.Load(), late.Load(), float64(ok.Load())/elapsed)
	if failed.Load() > 0 || (late.Load() > 0 && !lateOK) {
		return 1
	}
	return 0
}
