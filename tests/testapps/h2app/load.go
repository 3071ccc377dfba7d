// SPDX-License-Identifier: Apache-2.0

package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// runLoad GETs url with the client kind proto at a fixed rate for a while, for the benchmark
// (scripts/bench-streams.sh): an open model, one request due every 1/rate whatever the earlier
// ones do, at most maxInFlight at a time (over HTTP/2 they share one connection; a request due
// while that many are open is counted late and skipped; with lateOK, as for a saturation run, that
// is no failure). Prints one summary line; fails on any error, non-200 answer, wrong protocol, or
// on a skipped request without lateOK.
func runLoad(url, proto string, rate int, d time.Duration, lateOK bool) int {
	const maxInFlight = 512
	client, found := clients[proto]
	if !found {
		fmt.Fprintf(os.Stderr, "unknown -proto %q\n", proto)
		return 1
	}
	major := wantMajor(proto)
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
			resp, err := client.Get(url)
			if err != nil {
				failed.Add(1)
				return
			}
			_, err = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if err != nil || resp.StatusCode != http.StatusOK || resp.ProtoMajor != major {
				failed.Add(1)
				return
			}
			ok.Add(1)
		}()
	}
	wg.Wait()
	elapsed := time.Since(start).Seconds()
	fmt.Printf("load: %d requests, %d ok, %d errors, %d late, %.0f/s\n", total, ok.Load(),
		failed.Load(), late.Load(), float64(ok.Load())/elapsed)
	if failed.Load() > 0 || (late.Load() > 0 && !lateOK) {
		return 1
	}
	return 0
}
