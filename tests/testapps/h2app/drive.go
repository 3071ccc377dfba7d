// SPDX-License-Identifier: Apache-2.0

package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
)

// runDrive GETs every PATH*REPEAT of paths from base with the client kind proto, printing
// "STATUS PROTO PATH" per request. It fails on transport errors and on a wrong protocol, never
// on a status.
func runDrive(base, proto, paths, traceparent string) int {
	client, ok := clients[proto]
	if !ok {
		fmt.Fprintf(os.Stderr, "unknown -proto %q\n", proto)
		return 1
	}
	bad := 0
	for _, p := range strings.Split(paths, ",") {
		n := 1
		if i := strings.LastIndex(p, "*"); i >= 0 {
			if r, err := strconv.Atoi(p[i+1:]); err == nil {
				n, p = r, p[:i]
			}
		}
		for i := 0; i < n; i++ {
			if err := get(client, base+p, traceparent, wantMajor(proto), p); err != nil {
				bad++
				fmt.Fprintf(os.Stderr, "%s: %v\n", p, err)
			}
		}
	}
	if bad > 0 {
		return 1
	}
	return 0
}

func get(client *http.Client, url, traceparent string, major int, path string) error {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	if traceparent != "" {
		req.Header.Set("traceparent", traceparent)
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	fmt.Printf("%d %s %s\n", resp.StatusCode, resp.Proto, path)
	if resp.ProtoMajor != major {
		return fmt.Errorf("got %s, want HTTP/%d", resp.Proto, major)
	}
	return nil
}
