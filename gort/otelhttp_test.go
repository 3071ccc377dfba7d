// SPDX-License-Identifier: Apache-2.0

package rt

import (
	"net/http"
	"testing"
)

func TestTracesRoundTrip(t *testing.T) {
	defer func(old bool) { hooksInstalled = old }(hooksInstalled)
	hooksInstalled = false
	if TracesRoundTrip(&http.Transport{}) {
		t.Fatal("without the woven hooks nothing is traced by goinstr")
	}
	hooksInstalled = true
	if !TracesRoundTrip(&http.Transport{}) {
		t.Fatal("an *http.Transport is traced by the woven roundTrip")
	}
	if TracesRoundTrip(roundTripperFunc(func(*http.Request) (*http.Response, error) { return nil, nil })) {
		t.Fatal("a custom RoundTripper is not")
	}
	if TracesRoundTrip(nil) {
		t.Fatal("nil is not")
	}
}

type roundTripperFunc func(*http.Request) (*http.Response, error)

func (f roundTripperFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
