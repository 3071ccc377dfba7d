// SPDX-License-Identifier: Apache-2.0

// Cooperation with otelhttp. A program that already wraps handlers or
// transports with otelhttp would otherwise get two server spans per request
// (goinstr's from net/http, otelhttp's inside it) and two client spans per
// round trip. goinstr's rules for otelhttp (data/rules/otelhttp.yaml) make
// otelhttp pass the request through when goinstr's hooks already trace it;
// these are the questions those rules ask.

package rt

import "net/http"

// hooksInstalled is set once init has installed the woven-std hooks (not
// under OTEL_SDK_DISABLED=true, where otelhttp keeps doing its own work).
var hooksInstalled bool

// TracesRoundTrip reports whether a round trip through base gets goinstr's
// client span: true when the hooks are installed and base is an
// *http.Transport (whose roundTrip is woven), other than the exporter's own.
func TracesRoundTrip(base http.RoundTripper) bool {
	if !hooksInstalled {
		return false
	}
	t, ok := base.(*http.Transport)
	return ok && t != nil && t != exportTransport
}
